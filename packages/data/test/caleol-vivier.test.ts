import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGrille } from '@mixite/core';
import { Store, importDataset, listeCaleol } from '../src/index.ts';

/**
 * The pool of a CALEOL session (issue 15, speed; data/src/caleol/vivier.ts): the server's lists read every active
 * request scored once per date and grid instead of scanning the demand for each dwelling. It must give the very list
 * of the direct query: compared here on every dwelling of the hand-built territory of caleol.test.ts at several dates,
 * with requests added whose wish lists are awkward (spaces, empty items, a duplicate, a literal '*', only '|'), then
 * after an import that adds a fitting request (the pool must not be stale).
 */

const SOURCE = fileURLToPath(new URL('./fixtures/caleol/territoire', import.meta.url));
const GRILLE = parseGrille(readFileSync(new URL('./fixtures/caleol/grille.yaml', import.meta.url), 'utf8'), 'grille.yaml');
const AUTRE = parseGrille(readFileSync(new URL('../../../grilles/equilibre-cia.yaml', import.meta.url), 'utf8'), 'equilibre-cia.yaml');
const LOGEMENTS = ['L1', 'L2', 'L3', 'L4'];
const DATES = ['2024-01-15', '2025-06-30', '2025-12-31'];
// nur;date_depot;statut;date_radiation;nb_personnes;nb_moins_14_ans;composition;ressources_mensuelles;typologie_min;
// typologie_max;communes_souhaitees;pmr;dalo;prioritaire;mutation;relogement_anru;travailleur_essentiel;handicap;revenu_fiscal_reference
const BIZARRES = [
  'V01;2022-01-01;active;;3;1;couple_enfants;2500;1;5; 91228 | 91174 ;0;1;0;0;0;0;0;',
  'V02;2022-02-01;active;;3;1;couple_enfants;2500;1;5;91228||91228;0;1;0;0;0;0;0;',
  'V03;2022-03-01;active;;3;1;couple_enfants;2500;1;5;*;0;1;0;0;0;0;0;',
  'V04;2022-04-01;active;;3;1;couple_enfants;2500;1;5;|;0;1;0;0;0;0;0;',
  'V05;2022-05-01;active;;3;1;couple_enfants;2500;1;5;  ;0;1;0;0;0;0;0;',
];

let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-caleol-vivier-'));
  cpSync(SOURCE, join(dir, 'jeu'), { recursive: true });
  appendFileSync(join(dir, 'jeu', 'demandes.csv'), `${BIZARRES.join('\n')}\n`);
  store = await Store.open(':memory:');
  await importDataset(store, [join(dir, 'jeu')]);
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const deux = async (logement: string, date: string, grille = GRILLE) => {
  const direct = await listeCaleol(store, { logement, date, grille, nombre: 10 });
  const vivier = await listeCaleol(store, { logement, date, grille, nombre: 10, vivier: true });
  return { direct, vivier };
};

describe('the pool of a CALEOL session', () => {
  it('gives the direct list on every dwelling, date and grid, awkward wishes included', async () => {
    let candidats = 0;
    for (const grille of [GRILLE, AUTRE]) {
      for (const date of DATES) {
        for (const logement of LOGEMENTS) {
          const { direct, vivier } = await deux(logement, date, grille);
          expect([logement, date, vivier]).toEqual([logement, date, direct]);
          candidats += direct.liste.candidats.length;
        }
      }
    }
    expect(candidats).toBeGreaterThan(20);
  });

  it('reads a wish list as the direct filter does: spaces and duplicates ignored, empty items and * match nothing', async () => {
    // L1 is in 91228 (caleol.test.ts). V01 (spaces) and V02 (duplicate, empty item) wish it; V03 ('*') and V04 ('|')
    // wish no real commune; V05 (spaces only) has no wish, so fits any commune. All DALO (40 points), households like D03 (eligible).
    const { vivier } = await deux('L1', '2025-06-30');
    const nurs = vivier.liste.candidats.map((c) => c.demande.nur);
    expect(nurs.filter((n) => n.startsWith('V')).sort()).toEqual(['V01', 'V02', 'V05']);
    // Examined: the 7 of caleol.test.ts plus V01, V02, V05.
    expect(vivier.liste.examinees).toBe(10);
  });

  it('is rebuilt after an import: a request added to the demand is in the next list', async () => {
    const avant = (await deux('L1', '2025-06-30')).vivier;
    expect(avant.liste.candidats.map((c) => c.demande.nur)).not.toContain('V06');
    appendFileSync(join(dir, 'jeu', 'demandes.csv'), 'V06;2022-06-01;active;;3;1;couple_enfants;2500;1;5;91228;0;1;1;0;0;1;0;\n');
    await importDataset(store, [join(dir, 'jeu')]);
    const { direct, vivier } = await deux('L1', '2025-06-30');
    // V06: DALO 40 + prioritaire 30 + key worker 10 = 80, the best note of L1's list.
    expect(vivier.liste.candidats[0]?.demande).toMatchObject({ nur: 'V06', note: 80 });
    expect(vivier).toEqual(direct);
  });
});
