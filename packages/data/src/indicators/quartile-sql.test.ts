import type { LimitesQuartiles, MenageRessources, PoidsUc } from '@mixite/core';
import { UC_PAR_DEFAUT, estQ1, poidsEntiers, quartileDe, quartileSql, ressourcesParUc, ressourcesParUcCentimes, toCents, ucEntieres } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';

/**
 * The SQL fragments of core/quartile compute exactly what the pure functions compute: same UC, same Q1
 * membership (at or below the threshold), same quartile, on random households and weights, including households
 * placed exactly on a limit (where floating point would differ).
 */

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
});
afterAll(() => store.close());

const cents = (c: number) => (c / 100).toFixed(2);
const sqlCents = (c: bigint | null) => (c === null ? 'NULL::BIGINT' : `${c}::BIGINT`);

const poids: fc.Arbitrary<PoidsUc> = fc.oneof(
  fc.constant({ ...UC_PAR_DEFAUT }),
  fc
    .tuple(fc.integer({ min: 1, max: 2000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }))
    .map(([a, b, c]) => ({ premiere_personne: a / 1000, autre_14_ans_et_plus: b / 1000, moins_14_ans: c / 1000 })),
);

interface Cas {
  ressourcesCentimes: number | null;
  nbPersonnes: number | null;
  nbMoins14: number | null;
  /** Offsets in cents from the household's own resources per UC, to land on, just under and just over a limit. */
  decalages: [number, number, number];
}

const cas: fc.Arbitrary<Cas> = fc.record({
  ressourcesCentimes: fc.option(fc.integer({ min: 0, max: 100_000_000 }), { freq: 10 }),
  nbPersonnes: fc.option(fc.integer({ min: 0, max: 20 }), { freq: 10 }),
  nbMoins14: fc.option(fc.integer({ min: 0, max: 19 }), { freq: 5 }),
  decalages: fc.tuple(fc.integer({ min: -2, max: 2 }), fc.integer({ min: -2, max: 300_000 }), fc.integer({ min: -2, max: 600_000 })),
});

/** Limits in cents: around the household's exact resources per UC (rounded), so equality happens often. */
function limitesDe(c: Cas, w: PoidsUc): { seuil: bigint; mediane: bigint; q3: bigint } {
  const entiers = poidsEntiers(w);
  const uc = ucEntieres(c.nbPersonnes, c.nbMoins14, entiers) ?? 10n ** BigInt(entiers.echelle);
  const scale = 10n ** BigInt(entiers.echelle);
  const ruc = c.ressourcesCentimes === null ? 1_000_000n : (BigInt(c.ressourcesCentimes) * 12n * scale) / (uc === 0n ? 1n : uc);
  const clamp = (v: bigint) => (v < 0n ? 0n : v);
  const seuil = clamp(ruc + BigInt(c.decalages[0]));
  const mediane = clamp(seuil + BigInt(c.decalages[1]));
  return { seuil, mediane, q3: clamp(mediane + BigInt(c.decalages[2])) };
}

describe('quartile SQL fragments', () => {
  it('agree with the pure functions on UC, Q1 and quartile', async () => {
    await fc.assert(
      fc.asyncProperty(poids, fc.array(cas, { minLength: 1, maxLength: 40 }), async (w, lot) => {
        const q = quartileSql(w);
        const m = { ressources: 'r', nbPersonnes: 'n', nbMoins14: 'e' };
        const limites = lot.map((c) => limitesDe(c, w));
        const values = lot
          .map((c, i) => {
            const l = limites[i] as ReturnType<typeof limitesDe>;
            const r = c.ressourcesCentimes === null ? 'NULL' : `${cents(c.ressourcesCentimes)}::DECIMAL(18,2)`;
            return `(${i}, ${r}, ${c.nbPersonnes ?? 'NULL'}::INTEGER, ${c.nbMoins14 ?? 'NULL'}::INTEGER, ${sqlCents(l.seuil)}, ${sqlCents(l.mediane)}, ${sqlCents(l.q3)})`;
          })
          .join(', ');
        const rows = await store.all<{ i: number; uc: string | null; q1: boolean | null; quartile: number | null; ruc: number | null; rucc: string | null }>(
          `SELECT i, CAST(${q.ucEntieres(m)} AS VARCHAR) AS uc, ${q.auPlusLaLimite(m, 's')} AS q1,
             CAST(${q.ressourcesParUcCentimes(m)} AS VARCHAR) AS rucc,
             ${q.quartile(m, { seuilQ1: 's', mediane: 'md', q3: 'q3' })} AS quartile, ${q.ressourcesParUc(m)} AS ruc
           FROM (VALUES ${values}) t(i, r, n, e, s, md, q3) ORDER BY i`,
        );
        rows.forEach((row, i) => {
          const c = lot[i] as Cas;
          const l = limites[i] as ReturnType<typeof limitesDe>;
          const menage: MenageRessources = {
            ressources_mensuelles: c.ressourcesCentimes === null ? null : cents(c.ressourcesCentimes),
            nb_personnes: c.nbPersonnes,
            nb_moins_14_ans: c.nbMoins14,
          };
          const euros = (v: bigint) => (Number(v) / 100).toFixed(2);
          const lim: LimitesQuartiles = { seuil_q1: euros(l.seuil), mediane: euros(l.mediane), q3: euros(l.q3) };
          const uc = ucEntieres(c.nbPersonnes, c.nbMoins14, poidsEntiers(w));
          expect(row.uc).toBe(uc === null ? null : String(uc));
          expect(row.q1).toBe(estQ1(menage, lim.seuil_q1, w));
          expect(row.quartile).toBe(quartileDe(menage, lim, w));
          const centimes = ressourcesParUcCentimes(menage, w);
          expect(row.rucc).toBe(centimes === null ? null : String(centimes));
          const pure = ressourcesParUc(menage, w);
          if (pure === null || row.ruc === null || !Number.isFinite(pure)) expect(row.ruc === null || !Number.isFinite(row.ruc)).toBe(pure === null || !Number.isFinite(pure));
          else expect(row.ruc).toBeCloseTo(pure, 6);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('puts a household exactly at the threshold in Q1 where floating point would not', async () => {
    // 2 persons incl. one child under 14: UC 1.3. 1 365.65 × 12 = 16 387.80; ÷ 1.3 = 12 606 exactly, but the
    // float division gives 12 606.000000000002.
    expect((1365.65 * 12) / 1.3).toBeGreaterThan(12606);
    const q = quartileSql(UC_PAR_DEFAUT);
    const [row] = await store.all<{ q1: boolean }>(
      `SELECT ${q.auPlusLaLimite({ ressources: '1365.65::DECIMAL(18,2)', nbPersonnes: '2', nbMoins14: '1' }, q.centimes('12606'))} AS q1`,
    );
    expect(row?.q1).toBe(true);
    expect(estQ1({ ressources_mensuelles: 1365.65, nb_personnes: 2, nb_moins_14_ans: 1 }, 12606, UC_PAR_DEFAUT)).toBe(true);
    expect(toCents('12606')).toBe(1260600n);
  });
});
