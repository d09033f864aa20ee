import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IndicatorResults, IndicatorRow } from '@mixite/core';
import { auditerSecret, optionsDuSecret, periodesDeLaDemande } from '@mixite/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainDemandSql, plainIndicatorsSql, territoryEpci } from '../../../../bench/indicators.ts';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { calculerIndicateurs, publierIndicateurs } from './engine.ts';

/**
 * Property tests of the engine on random small territories, written as CSV and imported through the real
 * importer: rates between 0 and 1; breakdowns by commune, bailleur, contingent and contingent type summing to the
 * territory's numerator and denominator; the same counts as the hand-written plain SQL of bench/indicators.ts
 * (an independent implementation of the counting rules); and no masked value recoverable after secrecy.
 */

const RESERVATAIRE_TYPES = ['etat_prioritaires', 'action_logement', 'commune', 'epci'] as const;
const ISSUES = ['bail_signe', 'bail_signe', 'refus_demandeur', 'en_cours', 'non_proposee', ''] as const;
const DECISIONS = ['attribution', 'attribution', 'attribution', 'non_attribution', 'irrecevable'] as const;
const MOTIFS = ['localisation', 'loyer', 'typologie', ''] as const;

const day = (offset: number) => new Date(Date.UTC(2022, 6, 1) + offset * 86_400_000).toISOString().slice(0, 10);
const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;
const bool = (v: number) => (v === 2 ? '' : String(v));

const menage = fc.record({
  ressources: fc.integer({ min: 0, max: 400_000 }),
  personnes: fc.integer({ min: 1, max: 6 }),
  enfants: fc.integer({ min: 0, max: 5 }),
  flags: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 5 }),
});

const territory = fc.record({
  communes: fc.integer({ min: 1, max: 3 }),
  qpv: fc.array(fc.boolean(), { maxLength: 3 }), // true = assimilated sector
  bailleurs: fc.integer({ min: 1, max: 3 }),
  reservataires: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  assimiles: fc.boolean(),
  seuils: fc.tuple(fc.integer({ min: 500_000, max: 1_500_000 }), fc.integer({ min: 500_000, max: 1_500_000 }), fc.boolean()),
  logements: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.nat()), { minLength: 1, maxLength: 8 }),
  demandes: fc.array(
    fc.record({ depot: fc.integer({ min: 0, max: 900 }), duree: fc.integer({ min: 1, max: 500 }), statut: fc.integer({ min: 0, max: 2 }), typo: fc.integer({ min: 0, max: 6 }), menage }),
    { minLength: 3, maxLength: 25 },
  ),
  attributions: fc.array(
    fc.record({
      demande: fc.nat(),
      logement: fc.integer({ min: -1, max: 20 }),
      cal: fc.integer({ min: 200, max: 950 }),
      bail: fc.integer({ min: 0, max: 60 }),
      decision: fc.nat(),
      issue: fc.nat(),
      motif: fc.nat(),
      propre: fc.option(menage, { freq: 3 }),
      bailleur: fc.nat(),
      commune: fc.nat(),
    }),
    { minLength: 5, maxLength: 40 },
  ),
});

type Territory = typeof territory extends fc.Arbitrary<infer T> ? T : never;

function write(dir: string, t: Territory): void {
  const communes = Array.from({ length: t.communes }, (_, i) => `9100${i + 1}`);
  const qpv = t.qpv.map((assimile, i) => ({ code: `QN0910${i}`, commune: pick(communes, i), assimile }));
  const bailleurs = Array.from({ length: t.bailleurs }, (_, i) => `B${i}`);
  const reservataires = t.reservataires.map((type, i) => ({ id: `R${i}`, type: pick(RESERVATAIRE_TYPES, type) }));
  const csv = (name: string, header: string, lines: string[]) => writeFileSync(join(dir, `${name}.csv`), [header, ...lines].join('\n') + '\n');
  csv('communes', 'code_insee;nom;code_epci', communes.map((c) => `${c};Commune ${c};200000001`));
  csv('qpv', 'code_qpv;nom;code_insee;assimile', qpv.map((q) => `${q.code};Q ${q.code};${q.commune};${q.assimile ? 1 : 0}`));
  csv('bailleurs', 'id;nom;type', bailleurs.map((b) => `${b};Bailleur ${b};esh`));
  csv('reservataires', 'id;nom;type;code_insee', reservataires.map((r) => `${r.id};Réservataire ${r.id};${r.type};${r.type === 'commune' ? communes[0] : ''}`));
  const logements = t.logements.map(([b, c, q, pieces, r], i) => ({
    id: `L${i}`,
    bailleur: pick(bailleurs, b),
    commune: pick(communes, c),
    qpv: qpv.length > 0 && q % 3 !== 0 ? pick(qpv, q).code : '',
    pieces,
    contingent: reservataires.length > 0 && r % 3 !== 0 ? pick(reservataires, r).id : '',
  }));
  csv('logements', 'id;bailleur_id;code_insee;code_qpv;nb_pieces;loyer;contingent', logements.map((l) => `${l.id};${l.bailleur};${l.commune};${l.qpv};${l.pieces};400;${l.contingent}`));
  const [s2023, s2024, epciRow] = t.seuils;
  csv('seuils', 'annee;code_epci;seuil_q1', [`2023;;${(s2023 / 100).toFixed(2)}`, `2024;;${(s2024 / 100).toFixed(2)}`, ...(epciRow ? [`2024;200000001;${((s2024 + 12345) / 100).toFixed(2)}`] : [])]);
  const h = (m: Territory['demandes'][number]['menage']) => ({
    ressources: (m.ressources / 100).toFixed(2),
    personnes: m.personnes,
    enfants: Math.min(m.enfants, m.personnes - 1), // at least one person of 14 or more (import rule)
    flags: m.flags.map(bool),
  });
  csv(
    'demandes',
    'nur;date_depot;statut;date_radiation;nb_personnes;nb_moins_14_ans;ressources_mensuelles;typologie_min;mutation;dalo;prioritaire;relogement_anru;travailleur_essentiel',
    t.demandes.map((d, i) => {
      const m = h(d.menage);
      const statut = pick(['active', 'attribuee', 'radiee'], d.statut);
      return [`N${i}`, day(d.depot), statut, statut === 'active' ? '' : day(d.depot + d.duree), m.personnes, m.enfants, m.ressources, d.typo === 0 ? '' : d.typo, ...m.flags].join(';');
    }),
  );
  const leases = new Set<string>();
  csv(
    'attributions',
    'id;nur;logement_id;bailleur_id;code_insee;contingent;date_cal;decision;rang;issue;date_bail;motif_refus;ressources_mensuelles;nb_personnes;nb_moins_14_ans;mutation;dalo;prioritaire;relogement_anru;travailleur_essentiel',
    t.attributions.map((a, i) => {
      const logement = a.logement < 0 || a.logement >= logements.length ? null : logements[a.logement];
      // Consistent as the import requires: a decision after the filing, an outcome only after an allocation, one lease per request and per dwelling a day.
      const nur = `N${a.demande % t.demandes.length}`;
      const cal = Math.max(a.cal, t.demandes[a.demande % t.demandes.length]?.depot ?? 0);
      const decision = pick(DECISIONS, a.decision);
      let issue: string = decision === 'attribution' ? pick(ISSUES, a.issue) : '';
      if (issue === 'bail_signe' && (leases.has(nur) || leases.has(`${logement?.id}|${cal + a.bail}`))) issue = 'en_cours';
      if (issue === 'bail_signe') leases.add(nur).add(`${logement?.id}|${cal + a.bail}`);
      const m = a.propre ? h(a.propre) : null;
      return [
        `A${i}`,
        nur,
        logement?.id ?? '',
        logement ? '' : pick(bailleurs, a.bailleur),
        logement ? '' : pick(communes, a.commune),
        '',
        day(cal),
        decision,
        1,
        issue,
        issue === 'bail_signe' ? day(cal + a.bail) : '',
        issue === 'refus_demandeur' ? pick(MOTIFS, a.motif) : '',
        m?.ressources ?? '',
        m?.personnes ?? '',
        m?.enfants ?? '',
        ...(m?.flags ?? ['', '', '', '', '']),
      ].join(';');
    }),
  );
  writeFileSync(join(dir, 'cia.yaml'), `assimiles_comme_qpv: ${t.assimiles}\nsecret_statistique: 3\n`);
}

const key = (r: { indicateur: string; perimetre_type: string; perimetre_id: string; periode: string }) =>
  `${r.indicateur}|${r.perimetre_type}|${r.perimetre_id}|${r.periode}`;

function checkInvariants(results: IndicatorResults): void {
  const rows = results.indicateurs;
  for (const r of rows) {
    expect(r.numerateur).toBeGreaterThanOrEqual(0);
    expect(r.numerateur).toBeLessThanOrEqual(r.denominateur);
    if (r.taux !== null) {
      expect(r.taux).toBeGreaterThanOrEqual(0);
      expect(r.taux).toBeLessThanOrEqual(1);
    } else expect(r.denominateur).toBe(0);
  }
  const territory = new Map(rows.filter((r) => r.perimetre_type === 'territoire').map((r) => [`${r.indicateur}|${r.periode}`, r]));
  for (const type of ['commune', 'bailleur', 'contingent', 'type_contingent'] as const) {
    const sums = new Map<string, { num: number; den: number }>();
    for (const r of rows.filter((x) => x.perimetre_type === type)) {
      const k = `${r.indicateur}|${r.periode}`;
      const s = sums.get(k) ?? { num: 0, den: 0 };
      sums.set(k, { num: s.num + r.numerateur, den: s.den + r.denominateur });
    }
    for (const [k, t] of territory) {
      const s = sums.get(k) ?? { num: 0, den: 0 };
      expect([type, k, s.num, s.den]).toEqual([type, k, t.numerateur, t.denominateur]);
    }
  }
}

/** The property over generated territories, their published tables audited for secrecy. */
async function surDesTerritoires(): Promise<void> {
    await fc.assert(
      fc.asyncProperty(territory, async (t) => {
        const dir = mkdtempSync(join(tmpdir(), 'mixite-prop-'));
        const store = await Store.open(':memory:');
        try {
          write(dir, t);
          await importDataset(store, [dir]);
          const results = await calculerIndicateurs(store, { annee: 2024 });
          checkInvariants(results);

          // Same counts as the plain SQL (engine rows that count something).
          const plain = await store.all<Pick<IndicatorRow, 'indicateur' | 'perimetre_type' | 'perimetre_id' | 'periode' | 'numerateur' | 'denominateur'>>(
            plainIndicatorsSql(results.configuration, 2024, await territoryEpci(store, results.configuration)),
          );
          const engine = new Map(results.indicateurs.filter((r) => r.denominateur > 0).map((r) => [key(r), [r.numerateur, r.denominateur]]));
          expect(new Map(plain.map((r) => [key(r), [r.numerateur, r.denominateur]]))).toEqual(engine);

          const plainDemand = await store.all<{ mesure: string; periode: string; modalite: string; n: string; s: string | null }>(
            plainDemandSql(results.configuration, 2024, await territoryEpci(store, results.configuration)),
          );
          const demand = (id: string, periode: string, modalite: string) => results.demande.find((d) => d.indicateur === id && d.periode === periode && d.modalite === modalite);
          // The demand side is published on the five historical periods, not the quarters (periods.ts).
          const periodesDemande = new Set<string>(periodesDeLaDemande(2024).map((p) => p.id));
          for (const p of plainDemand.filter((d) => periodesDemande.has(d.periode))) {
            const n = Number(p.n);
            switch (p.mesure) {
              case 'stock_quartile':
                expect([p.periode, p.modalite, demand('quartile_demande', p.periode, p.modalite)?.numerateur]).toEqual([p.periode, p.modalite, n]);
                break;
              case 'stock_typologie':
                expect([p.periode, p.modalite, demand('tension_typologie', p.periode, p.modalite)?.numerateur]).toEqual([p.periode, p.modalite, n]);
                break;
              case 'baux_quartile':
                expect([p.periode, p.modalite, demand('quartile_attributions', p.periode, p.modalite)?.numerateur]).toEqual([p.periode, p.modalite, n]);
                break;
              case 'baux_typologie':
                expect([p.periode, p.modalite, demand('tension_typologie', p.periode, p.modalite)?.denominateur]).toEqual([p.periode, p.modalite, n]);
                break;
              case 'deposees':
                expect(demand('demandes_deposees', p.periode, '')?.numerateur).toBe(n);
                break;
              case 'satisfaites':
                expect(demand('delai_attente_satisfaites', p.periode, '')).toMatchObject({ numerateur: Number(p.s), denominateur: n });
                break;
              case 'refus':
                expect(demand('refus_par_motif', p.periode, p.modalite)?.numerateur).toBe(n);
                break;
            }
          }

          // Secrecy (threshold 3 in cia.yaml): nothing recoverable through the equations of the table, for an auditor
          // who knows what the pass knows — contingent types, QPVs in their commune, the sectors out of QPV and
          // where the allocations lie (the pairs of the cross-dimension groups): a reader knows them too.
          const published = publierIndicateurs(results);
          expect(auditerSecret(published, { ...optionsDuSecret([results.contexte]), seuil: 3 })).toEqual([]);
        } finally {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      // A fixed seed: CI draws the same 25 territories every time (drawn at random, one CI run on a loaded machine
      // drew territories slow enough to pass the five-minute limit).
      { numRuns: 25, seed: 20261201 },
    );
}

describe('engine on random territories', () => {
  /*
   * One run of the 25 territories for every property (each imports a territory: allow for a loaded machine). The
   * secrecy audit was skipped as a known leak (issue 12) until the pass modelled two things right: an assimilated
   * sector the CIA leaves out of QPV counts out of QPV (seed 20261201, third territory), and a perimeter whose
   * partner a system does not count writes no « x = 0 » (the hand cases of core secret.test.ts).
   */
  it('keeps rates in [0, 1], sums breakdowns to the territory, agrees with plain SQL and masks soundly (nothing recoverable)', () => surDesTerritoires(), 300_000);
});
