import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RequeteInvalideError, parseGrille } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGEMENTS_MAX_ORDRE_DU_JOUR, Store, importDataset, nomsOrdreDuJour, ordreDuJour } from '../src/index.ts';
import { tempDir } from './helpers.ts';

/**
 * The agenda of a commission (issue 15 item 2) over the hand-built CALEOL territory (fixtures/caleol; lists by hand
 * in caleol.test.ts), with L1 placed in a residence R9 whose surveys are, by hand:
 *   2024: 100 households, 30 under 40 % of the ceilings → 30 % ≥ 25 % (seuil_fragile) and ≤ 50 % → « fragile »;
 *   2026: 100 households, 60 → 60 % > 50 % → « tres_fragile », but after the commission's year (2025): not read.
 * L2 has no residence: its class is unknown (null).
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/caleol/territoire', import.meta.url));
const GRILLE = parseGrille(readFileSync(new URL('./fixtures/caleol/grille.yaml', import.meta.url), 'utf8'), 'grille.yaml');
const DATE = '2025-06-30';

let tmp: ReturnType<typeof tempDir>;
let store: Store;
beforeAll(async () => {
  tmp = tempDir('mixite-odj-');
  const jeu = join(tmp.dir, 'jeu');
  cpSync(FIXTURE, jeu, { recursive: true });
  const logements = readFileSync(join(jeu, 'logements.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(
    join(jeu, 'logements.csv'),
    `${logements.map((l, i) => (i === 0 ? `${l};residence_id` : `${l};${l.startsWith('L1;') ? 'R9' : ''}`)).join('\n')}\n`,
  );
  writeFileSync(join(jeu, 'residences.csv'), 'id;bailleur_id;nom;code_insee;code_qpv;latitude;longitude;nb_logements\nR9;B1;Les Aulnes;91228;;48.63;2.44;100\n');
  writeFileSync(join(jeu, 'occupation.csv'), 'residence_id;annee;menages;menages_sous_40pct_plafonds;menages_sous_60pct_plafonds\nR9;2024;100;30;45\nR9;2026;100;60;70\n');
  store = await Store.open(':memory:');
  await importDataset(store, [jeu]);
});
afterAll(() => {
  store?.close();
  tmp?.cleanup();
});

describe('the agenda of a commission', () => {
  it('gives each dwelling its list, in the order asked, and its residence’s fragility at its latest survey up to the year', async () => {
    const odj = await ordreDuJour(store, { date: DATE, logements: ['L2', 'L1'], grille: GRILLE });
    expect(odj.date).toBe(DATE);
    expect(odj.points.map((p) => [p.liste.logement.id, p.classe_residence, p.liste.liste.candidats.map((c) => c.demande.nur)])).toEqual([
      ['L2', null, ['D02', 'D01', 'D03']],
      ['L1', 'fragile', ['D02', 'D01', 'D04']],
    ]);
  });

  it('names bailleurs, communes and contingents from the store', async () => {
    const noms = await nomsOrdreDuJour(store);
    expect([noms.libelle('bailleur', 'B1'), noms.libelle('commune', '91228'), noms.libelle('contingent', 'AL'), noms.libelle('contingent', 'non_reserve:B2'), noms.libelle('bailleur', 'B9')]).toEqual([
      'Office Un',
      'Évry-Courcouronnes',
      'Action Logement',
      'Non réservé — Entreprise Deux',
      'B9',
    ]);
  });

  it('refuses an empty, repeated, too long or unknown list and a date before the data, in French', async () => {
    const refus = (logements: string[], date = DATE) => ordreDuJour(store, { date, logements, grille: GRILLE });
    await expect(refus([])).rejects.toThrow('ordre du jour vide : indiquez au moins un logement');
    await expect(refus(['L1', 'L2', 'L1'])).rejects.toThrow('logement « L1 » inscrit deux fois à l’ordre du jour (n° 1 et n° 3)');
    await expect(refus(Array.from({ length: LOGEMENTS_MAX_ORDRE_DU_JOUR + 1 }, (_, i) => `X${i}`))).rejects.toThrow('ordre du jour trop long : 51 logements, au plus 50');
    await expect(refus(['L1', 'L99'])).rejects.toThrow('logement « L99 » absent de logements.csv');
    await expect(refus(['L1'], '2019-01-01')).rejects.toThrow('précède les données');
    await expect(refus(['L1'], '2025-02-30')).rejects.toBeInstanceOf(RequeteInvalideError);
  });
});
