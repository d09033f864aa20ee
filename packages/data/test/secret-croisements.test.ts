import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IndicatorResults, PublishedIndicatorRow } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connaissances } from '../../reports/test/secret-independant.ts';
import { fuites } from '../../reports/test/secret-independant.ts';
import { importDataset } from '../src/import/import-dataset.ts';
import { calculerIndicateurs } from '../src/indicators/engine.ts';
import { publierLesAnnees } from '../src/indicators/publication.ts';
import { Store } from '../src/store/store.ts';
import { MINI, tempDir } from './helpers.ts';

/**
 * Issue 12, leak (d), end to end: the engine reads where the allocations lie (which communes, bailleurs and
 * contingents share them) and the one pass uses it. The documents publish no cross-tabulation, but where each
 * bailleur has dwellings is public: a reader who knows that only B3 and B4 work in Corbeil-Essonnes reads B3's
 * masked count as the commune's minus B4's.
 *
 * The territory (the mini territory's communes, requests' format and réservataires; dwellings and allocations
 * written here): Évry-Courcouronnes (91228) has dwellings of B1 and B2 only, Corbeil-Essonnes (91174) of B3 and B4
 * only; no dwelling is reserved (each allocation is in its bailleur's non-reserved stock); every allocation is a
 * proposal of February 2024 (refused by the household, so that no dwelling is let twice). Proposals:
 *   B1 20 and B2 25 in 91228 (45), B3 4 and B4 30 in 91174 (34); territory 79. Threshold 11 (cia.yaml).
 * Masked on the breakdowns alone: B3's 4 (primary), then the smallest other bailleur, B1's 20, so that
 * 79 − 25 − 30 does not give 24 = B1 + B3 apart… but both communes (45, 34) are published, and
 * 34 − 30 = 4 gives B3 back to whoever knows the pairs.
 */

const PROPOSITIONS: readonly [bailleur: string, commune: string, n: number][] = [
  ['B1', '91228', 20],
  ['B2', '91228', 25],
  ['B3', '91174', 4],
  ['B4', '91174', 30],
];

/** The pairs sharing allocations in the periods that contain February 2024, written by hand from the table above. */
const PERIODES_DE_FEVRIER = new Set(['2024', '2024-S1', '2024-T1', '12m-2024-12-31', '12m-2024-06-30']);
function paires(periode: string): [string, string, string, string][] {
  if (!PERIODES_DE_FEVRIER.has(periode)) return [];
  return PROPOSITIONS.flatMap(([b, c]): [string, string, string, string][] => [
    ['bailleur', b, 'commune', c],
    ['bailleur', b, 'contingent', `non_reserve:${b}`],
    ['commune', c, 'contingent', `non_reserve:${b}`],
  ]);
}
const LECTEUR: Connaissances = { typeContingent: () => undefined, croisements: (_groupe, p) => paires(p), seuil: 11 };

function ecrireTerritoire(dir: string): void {
  cpSync(MINI, dir, { recursive: true });
  const csv = (nom: string, lignes: readonly string[]) => writeFileSync(join(dir, nom), `${lignes.join('\n')}\n`);
  csv('bailleurs.csv', ['id;nom;type', 'B1;Bailleur un;oph', 'B2;Bailleur deux;esh', 'B3;Bailleur trois;esh', 'B4;Bailleur quatre;oph']);
  csv('residences.csv', [
    'id;bailleur_id;nom;code_insee;code_qpv;adresse;latitude;longitude;nb_logements',
    ...PROPOSITIONS.map(([b, c]) => `R${b};${b};Résidence ${b};${c};;1 rue ${b};48.6;2.4;1`),
  ]);
  csv('logements.csv', [
    'id;residence_id;bailleur_id;code_insee;code_qpv;nb_pieces;surface;financement;loyer;charges;annee_construction;date_mise_en_service;contingent;pmr;etage;ascenseur',
    ...PROPOSITIONS.map(([b, c]) => `L${b};R${b};${b};${c};;3;60;plus;450;70;1990;1990-01-01;;0;1;1`),
  ]);
  csv('occupation.csv', ['residence_id;annee;menages;menages_sous_40pct_plafonds;menages_sous_60pct_plafonds;menages_apl;menages_monoparentaux;menages_sans_emploi']);
  const demandes = ['nur;date_depot;statut;date_radiation;code_insee_residence;age_demandeur;nb_personnes;nb_moins_14_ans;composition;ressources_mensuelles;typologie_min;typologie_max;communes_souhaitees;mutation;bailleur_actuel_id;logement_actuel;loyer_actuel;motif;dalo;prioritaire;priorite_motifs;relogement_anru;travailleur_essentiel;handicap;pmr;nb_refus;q1;profession'];
  const attributions = ['id;nur;logement_id;bailleur_id;code_insee;code_qpv;nb_pieces;financement;loyer;premiere_mise_en_location;contingent;date_cal;decision;rang;issue;date_bail;motif_refus;ressources_mensuelles;nb_personnes;nb_moins_14_ans;dalo;prioritaire;mutation;relogement_anru;travailleur_essentiel;q1'];
  let k = 0;
  for (const [b, c, n] of PROPOSITIONS)
    for (let i = 0; i < n; i++) {
      k++;
      const nur = `0912023${String(k).padStart(6, '0')}`;
      demandes.push(`${nur};2023-01-15;active;;${c};40;2;0;couple;1500;3;3;${c};0;;locataire_prive;;trop_cher;0;0;;0;0;0;0;1;0;`);
      // One CALEOL a day in February, one proposal each: refused, so the dwelling stays free.
      const jour = `2024-02-${String((i % 28) + 1).padStart(2, '0')}`;
      attributions.push(`A${k};${nur};L${b};${b};${c};;3;plus;450;0;;${jour};attribution;1;refus_demandeur;;loyer;1500;2;0;0;0;0;0;0;0`);
    }
  csv('demandes.csv', demandes);
  csv('attributions.csv', attributions);
}

describe('coincidences between breakdowns, from the engine to the publication (leak (d))', () => {
  let resultats: IndicatorResults;
  let t: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    t = tempDir('mixite-secret-croisements-');
    const dir = join(t.dir, 'jeu');
    ecrireTerritoire(dir);
    const store = await Store.open(':memory:');
    try {
      await importDataset(store, [dir]);
      resultats = await calculerIndicateurs(store, { annee: 2024 });
    } finally {
      store.close();
    }
  }, 120_000);
  afterAll(() => t?.cleanup());

  const den = (rows: readonly PublishedIndicatorRow[], type: string, id: string) =>
    rows.find((r) => r.indicateur === 'prioritaires' && r.perimetre_type === type && r.perimetre_id === id && r.periode === '2024')?.denominateur;

  it('the engine counts the territory as written (by hand: 79 proposals, 45 and 34 by commune, 20/25/4/30 by bailleur)', () => {
    const brut = (type: string, id: string) =>
      resultats.indicateurs.find((r) => r.indicateur === 'prioritaires' && r.perimetre_type === type && r.perimetre_id === id && r.periode === '2024')?.denominateur;
    expect([brut('territoire', 'territoire'), brut('commune', '91228'), brut('commune', '91174')]).toEqual([79, 45, 34]);
    expect(PROPOSITIONS.map(([b]) => brut('bailleur', b))).toEqual([20, 25, 4, 30]);
  });

  it('without the places of the allocations the pass publishes both communes, and B3 is 34 − 30 = 4', () => {
    const { croisements: _croisements, ...sansLieux } = resultats.contexte;
    const publie = publierLesAnnees([{ ...resultats, contexte: sansLieux }], 'public').get(2024) ?? [];
    expect(den(publie, 'bailleur', 'B3')).toBeNull();
    expect([den(publie, 'commune', '91174'), den(publie, 'bailleur', 'B4')]).toEqual([34, 30]);
    // (The auditor names a shared denominator after one of the indicators printing it.)
    expect(fuites(publie, LECTEUR).filter((f) => f.endsWith('|bailleur|B3|2024|den'))).toHaveLength(1);
  });

  it('with them (the engine hands them to the pass), nothing masked is recoverable by that reader', () => {
    const publie = publierLesAnnees([resultats], 'public').get(2024) ?? [];
    expect(den(publie, 'bailleur', 'B3')).toBeNull();
    // 34 = B3 + B4 is now an equation of the pass: one more of the commune and B4 is masked.
    expect([den(publie, 'commune', '91174'), den(publie, 'bailleur', 'B4')]).toContain(null);
    expect(fuites(publie, LECTEUR)).toEqual([]);
  });
});
