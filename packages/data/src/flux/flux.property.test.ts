import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { bilanFlux } from './bilan-flux.ts';
import { calculerFlux } from './flux-engine.ts';

/**
 * Property tests of the flux on random small territories, written as CSV and imported through the real importer,
 * over every bailleur and every year 2022–2024:
 * - the bilan's `ensemble` row of each bailleur × réservataire equals the sum of each dimension's modalities;
 * - the orientations of a bailleur's réservataires (its own share included) sum to its leases in the flow, which
 *   equal a plain SQL count of its leases minus the exclusions (written here, independently of the engine);
 * - the rights sum to the flow × the sum of the shares (its own share included: the flow itself).
 */

const TYPES = ['etat_prioritaires', 'etat_agents', 'action_logement', 'commune'] as const;
const ISSUES = ['bail_signe', 'bail_signe', 'refus_demandeur', 'en_cours', 'non_proposee'] as const;
const day = (offset: number) => new Date(Date.UTC(2022, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

const territoire = fc.record({
  bailleurs: fc.integer({ min: 1, max: 3 }),
  reservataires: fc.integer({ min: 1, max: 4 }),
  logements: fc.array(
    fc.record({ bailleur: fc.nat(), qpv: fc.boolean(), pieces: fc.integer({ min: 1, max: 7 }), fin: fc.nat(), annee: fc.option(fc.integer({ min: 1930, max: 2023 })), service: fc.option(fc.integer({ min: 0, max: 1000 })), contingent: fc.nat(), horsFlux: fc.boolean() }),
    { minLength: 1, maxLength: 10 },
  ),
  attributions: fc.array(
    fc.record({ logement: fc.integer({ min: -1, max: 12 }), cal: fc.integer({ min: 0, max: 1090 }), bail: fc.integer({ min: 0, max: 40 }), issue: fc.nat(), contingent: fc.nat(), mutation: fc.nat(), anru: fc.boolean(), bailleur: fc.nat() }),
    { maxLength: 30 },
  ),
  parts: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 2022, max: 2024 }), fc.integer({ min: 0, max: 30 })), { maxLength: 8 }),
});

type T = typeof territoire extends fc.Arbitrary<infer X> ? X : never;

function ecrire(dir: string, t: T): void {
  const b = (i: number) => `B${i % t.bailleurs}`;
  const r = (i: number) => `R${i % t.reservataires}`;
  writeFileSync(join(dir, 'communes.csv'), 'code_insee;nom;code_epci\n91001;A;200000001\n91002;B;200000001\n');
  writeFileSync(join(dir, 'qpv.csv'), 'code_qpv;nom;code_insee\nQ1;Q;91001\n');
  writeFileSync(join(dir, 'bailleurs.csv'), `id;nom\n${Array.from({ length: t.bailleurs }, (_, i) => `B${i};b${i}`).join('\n')}\n`);
  writeFileSync(join(dir, 'reservataires.csv'), `id;nom;type;code_insee\n${Array.from({ length: t.reservataires }, (_, i) => `R${i};r${i};${pick(TYPES, i)};${pick(TYPES, i) === 'commune' ? '91001' : ''}`).join('\n')}\n`);
  const logements = t.logements.map((l, i) => ({
    id: `L${i}`,
    bailleur: b(l.bailleur),
    ligne: `L${i};${b(l.bailleur)};${l.qpv ? '91001;Q1' : '91002;'};${l.pieces};${pick(['plai', 'plus', 'pls', ''], l.fin)};400;${l.annee ?? ''};${l.service === null ? '' : day(l.service)};${l.contingent % 3 === 0 ? '' : r(l.contingent)};${l.horsFlux ? 1 : 0}`,
  }));
  writeFileSync(join(dir, 'logements.csv'), `id;bailleur_id;code_insee;code_qpv;nb_pieces;financement;loyer;annee_construction;date_mise_en_service;contingent;hors_flux\n${logements.map((l) => l.ligne).join('\n')}\n`);
  const demandes: string[] = ['D;2021-06-01;active;1;1000;0;;;0'];
  const attributions: string[] = [];
  const baux = new Set<string>();
  t.attributions.forEach((a, i) => {
    const logement = a.logement >= 0 && a.logement < logements.length ? logements[a.logement] : undefined;
    const bailleur = logement?.bailleur ?? b(a.bailleur);
    const mutation = a.mutation % 3;
    demandes.push(`D${i};2021-06-01;active;1;1000;${mutation > 0 ? 1 : 0};${mutation > 0 ? 'locataire_social' : ''};${mutation === 1 ? bailleur : mutation === 2 ? b(a.bailleur + 1) : ''};${a.anru ? 1 : 0}`);
    let issue: string = pick(ISSUES, a.issue);
    const bail = issue === 'bail_signe' ? day(Math.min(a.cal + a.bail, 1094)) : '';
    // A dwelling has at most one lease a day (an import check): a second one becomes a proposal still running.
    if (bail !== '' && logement && baux.has(`${logement.id}|${bail}`)) issue = 'en_cours';
    if (bail !== '' && logement) baux.add(`${logement.id}|${bail}`);
    const fields = logement ? `${logement.id};;;;;;` : `;${bailleur};91002;;3;plus;`;
    attributions.push(`A${i};D${i};${fields}${a.contingent % 2 === 0 ? '' : r(a.contingent)};${day(a.cal)};attribution;${issue === 'non_proposee' ? 2 : 1};${issue};${issue === 'bail_signe' ? bail : ''}`);
  });
  writeFileSync(join(dir, 'demandes.csv'), `nur;date_depot;statut;nb_personnes;ressources_mensuelles;mutation;logement_actuel;bailleur_actuel_id;relogement_anru\n${demandes.join('\n')}\n`);
  writeFileSync(join(dir, 'attributions.csv'), `id;nur;logement_id;bailleur_id;code_insee;code_qpv;nb_pieces;financement;contingent;date_cal;decision;rang;issue;date_bail\n${attributions.join('\n')}\n`);
  // Shares: at most 0.3 each and deduplicated, scaled so that a bailleur-year stays ≤ 1; only bailleurs with a dwelling.
  const vues = new Set<string>();
  // A convention needs a dwelling of the bailleur in service that year (an import check).
  const avecParc = new Set(t.logements.flatMap((l) => [2022, 2023, 2024].filter((y) => l.service === null || Number(day(l.service).slice(0, 4)) <= y).map((y) => `${b(l.bailleur)}|${y}`)));
  const conventions = t.parts
    .map(([bi, ri, annee, p]) => ({ bailleur: b(bi), reservataire: r(ri), annee, part: p / 100 / 4 }))
    .filter((c) => avecParc.has(`${c.bailleur}|${c.annee}`) && !vues.has(`${c.bailleur}|${c.reservataire}|${c.annee}`) && vues.add(`${c.bailleur}|${c.reservataire}|${c.annee}`));
  writeFileSync(join(dir, 'conventions.csv'), `bailleur_id;reservataire_id;annee;part\n${conventions.map((c) => `${c.bailleur};${c.reservataire};${c.annee};${c.part}`).join('\n')}\n`);
}

describe('flux on random territories', () => {
  it('adds up: bilan dimensions to their total, orientations to the flow, rights to flow × shares', async () => {
    await fc.assert(
      fc.asyncProperty(territoire, async (t) => {
        const dir = mkdtempSync(join(tmpdir(), 'mixite-flux-prop-'));
        const store = await Store.open(':memory:');
        try {
          ecrire(dir, t);
          await importDataset(store, [dir]);
          for (const annee of [2022, 2023, 2024]) {
            const bilan = await bilanFlux(store, { annee });
            const ensembles = bilan.filter((l) => l.dimension === 'ensemble');
            for (const e of ensembles) {
              for (const dimension of ['typologie', 'financement', 'qpv', 'commune', 'periode_construction']) {
                const rows = bilan.filter((l) => l.bailleur_id === e.bailleur_id && l.reservataire_id === e.reservataire_id && l.dimension === dimension);
                const somme = rows.reduce<[number, number]>((s, l) => [s[0] + l.logements_proposes, s[1] + l.logements_attribues], [0, 0]);
                expect([annee, e.bailleur_id, e.reservataire_id, dimension, ...somme]).toEqual([annee, e.bailleur_id, e.reservataire_id, dimension, e.logements_proposes, e.logements_attribues]);
              }
            }
            const flux = await calculerFlux(store, { annee });
            // Plain count: leases dated in the year on the bailleur (allocation's, else the dwelling's), minus internal
            // mutations, ANRU relocations and hors_flux dwellings.
            const plain = await store.all<{ bailleur: string; n: number }>(
              `SELECT coalesce(a.bailleur_id, l.bailleur_id) AS bailleur, count(*)::INTEGER AS n
               FROM attributions a LEFT JOIN logements l ON l.id = a.logement_id LEFT JOIN demandes d ON d.nur = a.nur
               WHERE a.issue = 'bail_signe' AND year(a.date_bail) = $1
                 AND NOT (d.mutation AND d.bailleur_actuel_id = coalesce(a.bailleur_id, l.bailleur_id))
                 AND NOT d.relogement_anru AND NOT coalesce(l.hors_flux, FALSE)
               GROUP BY 1`,
              [annee],
            );
            for (const b of flux.bailleurs) {
              expect([annee, b.bailleurId, b.realise]).toEqual([annee, b.bailleurId, plain.find((p) => p.bailleur === b.bailleurId)?.n ?? 0]);
              expect(b.droits.reduce((s, l) => s + l.orientations, 0)).toBe(b.realise);
              const parts = b.droits.filter((l) => !l.reservataireId.startsWith('non_reserve:')).reduce((s, l) => s + l.part, 0);
              const droits = b.droits.filter((l) => !l.reservataireId.startsWith('non_reserve:')).reduce((s, l) => s + l.droits, 0);
              expect(droits).toBeCloseTo(b.realise * parts, 9);
              expect(b.droits.reduce((s, l) => s + l.droits, 0)).toBeCloseTo(b.realise, 9);
            }
          }
        } finally {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 15 },
    );
  }, 240_000);
});
