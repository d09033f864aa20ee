import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IndicatorResults, IndicatorRow } from '@mixite/core';
import { Store, calculerIndicateurs, importDataset, publierIndicateurs } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { construireBilan } from '../src/contenu/construire.ts';
import type { Bloc, Cellule, DocumentBilan, Tableau } from '../src/contenu/modele.ts';
import type { BilanDonnees } from '../src/donnees/collecte.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';
import { BAUX_HORS_QPV_PRIORITAIRES as FICTIF, DECLARATIONS_AVEC_FICTIF } from './fixtures/indicateur-fictif.ts';

/**
 * Adding a legal indicator is one declaration (plus, for a new household criterion, one case of its SQL rule):
 * a fictitious one, declared in a fixture, is computed by the real engine over a real DuckDB store and written by
 * the bilan's content code, neither of which names any indicator.
 *
 * The territory is the engine's golden one (packages/data/test/fixtures/indicators/territoire, described in
 * packages/data/src/indicators/engine.test.ts), with a secrecy threshold of 1 so that nothing is masked.
 * Expected values by hand from its files — leases signed outside QPV (the assimilated sector SA09101 is not
 * counted as QPV), priority = dalo or prioritaire, from the allocation when given, else from the request:
 * | lease | date       | dwelling            | commune | bailleur | priority?                                   |
 * | A09   | 2023-12-10 | L4                  | 91002   | B2       | no (D13)                                    |
 * | A01   | 2024-03-15 | L4                  | 91002   | B2       | no (D03)                                    |
 * | A02   | 2024-04-01 | L3                  | 91002   | B2       | no (D06)                                    |
 * | A03   | 2024-05-02 | L4                  | 91002   | B2       | no (D07)                                    |
 * | A04   | 2024-06-10 | L5                  | 91001   | B1       | no (D08: relocated, not priority)           |
 * | A08   | 2024-07-05 | L3                  | 91002   | B2       | no (D12)                                    |
 * | A10   | 2024-09-01 | L5                  | 91001   | B1       | no (D14)                                    |
 * | A11   | 2024-10-01 | L2 (SA09101)        | 91001   | B1       | no (D15)                                    |
 * | A14   | 2024-11-20 | L5                  | 91001   | B1       | yes: the allocation's own prioritaire = 1   |
 * Not counted: A06 (lease of a DALO household, but L1 is in QPV QN09101A), A05 (a priority household's refusal:
 * no lease), A07 (never proposed).
 */

const GOLDEN = fileURLToPath(new URL('../../data/test/fixtures/indicators/territoire', import.meta.url));
const ID = FICTIF.id;

let dir: string;
let store: Store;
let avecFictif: IndicatorResults;
let sansFictif: IndicatorResults;
let bilan: DocumentBilan;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mixite-fictif-'));
  cpSync(GOLDEN, dir, { recursive: true });
  const cia = join(dir, 'cia.yaml');
  // The golden territory counts a few households per perimeter: judged as its hand figures are, not set aside as
  // « faible effectif » by the default minimum of 20.
  writeFileSync(cia, `${readFileSync(cia, 'utf8').replace('secret_statistique: 11', 'secret_statistique: 1')}\neffectif_minimum: 1\n`);
  store = await Store.open(':memory:');
  await importDataset(store, [dir]);
  avecFictif = await calculerIndicateurs(store, { annee: 2024, declarations: DECLARATIONS_AVEC_FICTIF });
  sansFictif = await calculerIndicateurs(store, { annee: 2024 });
  // The bilan's data as collecte.ts reads them, each year computed and published with the fictitious indicator too.
  const donnees = await collecterDonnees(store, 2024, 2, () => undefined);
  const parAnnee = new Map<number, BilanDonnees['parAnnee'] extends ReadonlyMap<number, infer A> ? A : never>();
  for (const [annee, a] of donnees.parAnnee) {
    const resultats = await calculerIndicateurs(store, { annee, declarations: DECLARATIONS_AVEC_FICTIF });
    parAnnee.set(annee, { ...a, resultats, publies: publierIndicateurs(resultats, undefined, DECLARATIONS_AVEC_FICTIF) });
  }
  bilan = construireBilan({ ...donnees, parAnnee }, new Date('2025-02-15T10:00:00Z'), DECLARATIONS_AVEC_FICTIF);
});

afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ligne = (r: IndicatorResults, type: string, id: string, periode: string): IndicatorRow | undefined =>
  r.indicateurs.find((x) => x.indicateur === ID && x.perimetre_type === type && x.perimetre_id === id && x.periode === periode);
const comptes = (row: IndicatorRow | undefined) => (row ? [row.numerateur, row.denominateur] : undefined);

describe('the engine computes an indicator declared in a fixture', () => {
  it('counts leases outside QPV to priority households, by period', () => {
    // 2024: A01 A02 A03 A04 A08 A10 A11 A14 = 8 leases, A14 priority → 1 / 8.
    expect(comptes(ligne(avecFictif, 'territoire', 'territoire', '2024'))).toEqual([1, 8]);
    // S1: A01 A02 A03 A04 → 0 / 4; S2: A08 A10 A11 A14 → 1 / 4; 12 months to 30/06: A09 + S1 → 0 / 5.
    expect(comptes(ligne(avecFictif, 'territoire', 'territoire', '2024-S1'))).toEqual([0, 4]);
    expect(comptes(ligne(avecFictif, 'territoire', 'territoire', '2024-S2'))).toEqual([1, 4]);
    expect(comptes(ligne(avecFictif, 'territoire', 'territoire', '12m-2024-06-30'))).toEqual([0, 5]);
  });

  it('breaks it down like the others: communes, bailleurs, contingents, the assimilated sector', () => {
    // 91001: A04 A10 A11 A14 → 1 / 4; 91002: A01 A02 A03 A08 → 0 / 4.
    expect(comptes(ligne(avecFictif, 'commune', '91001', '2024'))).toEqual([1, 4]);
    expect(comptes(ligne(avecFictif, 'commune', '91002', '2024'))).toEqual([0, 4]);
    // B1 (L2, L5): A04 A10 A11 A14 → 1 / 4; B2 (L3, L4): 0 / 4.
    expect(comptes(ligne(avecFictif, 'bailleur', 'B1', '2024'))).toEqual([1, 4]);
    expect(comptes(ligne(avecFictif, 'bailleur', 'B2', '2024'))).toEqual([0, 4]);
    // COM1 (L5): A04 A10 A14 → 1 / 3.
    expect(comptes(ligne(avecFictif, 'contingent', 'COM1', '2024'))).toEqual([1, 3]);
    // The assimilated sector is outside QPV here, listed in the QPV breakdown: A11 → 0 / 1. The real QPV has no lease outside QPV.
    expect(comptes(ligne(avecFictif, 'qpv', 'SA09101', '2024'))).toEqual([0, 1]);
    expect(ligne(avecFictif, 'qpv', 'QN09101A', '2024')).toBeUndefined();
  });

  it('takes its declared default target where the declaration says, judged exactly', () => {
    // cibles of cia.yaml has no key for it: the declared 25 % applies on the territory and the communes only.
    expect(ligne(avecFictif, 'territoire', 'territoire', '2024')).toMatchObject({ taux: 0.125, cible: 0.25, ecart: -0.125, atteint: false });
    // 91001: 1 / 4 = 25 %, exactly the target: met.
    expect(ligne(avecFictif, 'commune', '91001', '2024')).toMatchObject({ taux: 0.25, cible: 0.25, ecart: 0, atteint: true });
    expect(ligne(avecFictif, 'bailleur', 'B1', '2024')).toMatchObject({ cible: null, atteint: null });
  });

  it('leaves the six indicators of core as they were', () => {
    expect(avecFictif.indicateurs.filter((r) => r.indicateur !== ID)).toEqual(sansFictif.indicateurs);
    expect(avecFictif.controles).toEqual(sansFictif.controles);
  });
});

const texteDe = (c: Cellule | undefined) => (c?.kind === 'texte' ? c.texte : undefined);
const tableau = (id: string) => bilan.blocs.find((b): b is Tableau => b.kind === 'tableau' && b.id === id);
const normal = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
// The points of attention are short tables, one per level (`attention-<niveau>`: subject, finding).
const points = () =>
  bilan.blocs.flatMap((b: Bloc) =>
    b.kind === 'tableau' && b.id.startsWith('attention-') ? b.lignes.map((l) => ({ niveau: b.id.slice('attention-'.length), texte: normal(texteDe(l.cellules[1]) ?? '') })) : [],
  );

describe('the bilan writes it without any other change', () => {
  it('in the synthesis, its own chapter, the breakdowns and the annex', () => {
    const synthese = tableau('synthese');
    const rangee = synthese?.lignes.find((l) => texteDe(l.cellules[0]) === 'Baux hors QPV aux prioritaires');
    expect(rangee?.cellules.slice(1, 7)).toEqual([
      { kind: 'nombre', valeur: 1 },
      { kind: 'nombre', valeur: 8 },
      { kind: 'taux', valeur: 0.125 },
      { kind: 'taux', valeur: 0.25 },
      { kind: 'points', valeur: -0.125 },
      { kind: 'booleen', valeur: false },
    ]);
    expect(bilan.blocs).toContainEqual({ kind: 'titre', niveau: 2, texte: 'Baux hors QPV signés par des ménages prioritaires' });
    const periodes = tableau(`objectif-${ID}-periodes`);
    expect(periodes?.colonnes.slice(0, 3)).toEqual(['Période', 'Baux à des prioritaires', 'Baux hors QPV']);
    // Its target applies to communes: it has a breakdown by commune, the territory last.
    const communes = tableau(`ventilation-commune-${ID}`);
    expect(communes?.lignes.map((l) => texteDe(l.cellules[0]))).toEqual(['Ville-Basse (91002)', 'Ville-Haute (91001)', 'Ensemble du territoire']);
    expect(tableau(`annexe-${ID}`)?.lignes.find((l) => texteDe(l.cellules[0]) === 'Source légale')?.cellules[1]).toEqual({
      kind: 'texte',
      texte: 'Aucune : indicateur fictif des tests de Mixité',
    });
  });

  it('in the points of attention, as its declaration presents it', () => {
    const p = points();
    // Missed on the territory (legal there): an alert.
    expect(p).toContainEqual(expect.objectContaining({
      niveau: 'alerte',
      texte: expect.stringContaining('Baux hors QPV signés par des ménages prioritaires : 12,5 % en 2024 pour une cible de 25,0 %, soit −12,5 pt (1 sur 8).'),
    }));
    // A first semester at 0 / 4 opens the préfet's substitution, as the declaration says.
    expect(p).toContainEqual(expect.objectContaining({ niveau: 'alerte', texte: expect.stringContaining('au premier semestre 2024 pour 25,0 % (0 sur 4). Un déficit sur six mois permet au préfet') }));
    // Missed by Ville-Basse, where the target is a reading aid (not in its legal perimeters): a point to watch, counted;
    // the lagging table names it: 0 of 4 for 25 %, ⌈0,25 × 4⌉ − 0 = 1 household missing.
    expect(p).toContainEqual({
      niveau: 'vigilance',
      texte: 'Baux hors QPV aux prioritaires, par commune : 1 commune sur 2 sous sa cible en 2024 (voir le tableau des partenaires sous leur cible).',
    });
    expect(tableau(`retards-${ID}-commune`)?.lignes.map((l) => l.cellules.slice(0, 4))).toEqual([
      [{ kind: 'texte', texte: 'Ville-Basse (91002)' }, { kind: 'nombre', valeur: 1 }, { kind: 'nombre', valeur: 0 }, { kind: 'nombre', valeur: 4 }],
    ]);
  });
});
