import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CIA_CONFIG } from '../config/cia-config.ts';
import type { LegalIndicatorId } from './declarations.ts';
import { indicateursCsv } from './export.ts';
import type { PeriodeId } from './periods.ts';
import type { PerimeterType, TypeContingent } from './perimeters.ts';
import type { PublishedIndicatorRow } from './secret.ts';
import { appliquerSecret, auditerSecret, cellulesDeterminees } from './secret.ts';
import type { IndicatorRow } from './targets.ts';
import { ligneIndicateur } from './targets.ts';

/** Rows of one indicator and one period from [perimeter type, id, numerator, denominator]. */
function rows(cells: [PerimeterType, string, number, number][], periode: PeriodeId = '2024', indicateur: LegalIndicatorId = 'prioritaires'): IndicatorRow[] {
  return cells.map(([type, id, num, den]) => ligneIndicateur(DEFAULT_CIA_CONFIG, indicateur, { type, id }, periode, num, den));
}

const find = (published: PublishedIndicatorRow[], type: string, id: string, periode = '2024') =>
  published.find((r) => r.perimetre_type === type && r.perimetre_id === id && r.periode === periode) as PublishedIndicatorRow;

describe('primary masking', () => {
  it('masks a small numerator, a small complement and a small denominator; publishes zeros', () => {
    const published = appliquerSecret(
      rows([
        ['territoire', 'territoire', 45, 160],
        ['commune', 'A', 4, 60], // 4 households: masked
        ['commune', 'B', 36, 40], // complement 4: masked
        ['commune', 'C', 5, 8], // denominator 8: whole cell masked
        ['commune', 'D', 0, 52], // zero: published
      ]),
      { seuil: 11 },
    );
    expect(find(published, 'commune', 'A')).toMatchObject({ numerateur: null, denominateur: 60, taux: null, atteint: null, secret: 'primaire' });
    expect(find(published, 'commune', 'C')).toMatchObject({ numerateur: null, denominateur: null, secret: 'primaire' });
    // B's numerator is masked for its complement; its denominator (40, the smallest other one) goes too, or C's 8
    // would be 160 − 60 − 40 − 52.
    expect(find(published, 'commune', 'B')).toMatchObject({ numerateur: null, denominateur: null, secret: 'primaire' });
    expect(find(published, 'commune', 'D')).toMatchObject({ numerateur: 0, denominateur: 52, secret: null });
    expect(auditerSecret(published)).toEqual([]);
    expect(find(published, 'territoire', 'territoire')).toMatchObject({ numerateur: 45, denominateur: 160, secret: null });
    // Targets are configuration, never secret.
    expect(find(published, 'commune', 'A').cible).toBe(find(published, 'commune', 'D').cible);
  });

  it('masks nothing when the threshold is 0 or 1', () => {
    const original = rows([
      ['territoire', 'territoire', 1, 2],
      ['commune', 'A', 1, 2],
    ]);
    expect(appliquerSecret(original, { seuil: 1 }).every((r) => r.secret === null && r.numerateur === 1)).toBe(true);
  });
});

describe('secondary masking', () => {
  it('masks the next smallest cell of a breakdown when one alone would be recoverable from the total', () => {
    // Denominators: territory 100 = 8 (masked) + 30 + 62: 8 = 100 − 30 − 62 unless 30 is masked too.
    const published = appliquerSecret(
      rows([
        ['territoire', 'territoire', 40, 100],
        ['bailleur', 'B1', 0, 8],
        ['bailleur', 'B2', 12, 30],
        ['bailleur', 'B3', 28, 62],
      ]),
      { seuil: 11 },
    );
    expect(find(published, 'bailleur', 'B1')).toMatchObject({ denominateur: null, secret: 'primaire' });
    expect(find(published, 'bailleur', 'B2')).toMatchObject({ denominateur: null, numerateur: null, secret: 'secondaire' });
    expect(find(published, 'bailleur', 'B3')).toMatchObject({ denominateur: 62, numerateur: 28, secret: null });
    expect(auditerSecret(published)).toEqual([]);
  });

  it('protects a contingent within its type, and the type within the types', () => {
    // Contingents COM1 (3 priority proposals, masked) and COM2 (20) are of type commune (23); AL (30) alone in
    // action_logement. COM1 = 23 − COM2 unless COM2 is masked; then the type cells are consistent.
    const published = appliquerSecret(
      rows([
        ['territoire', 'territoire', 33, 120],
        ['contingent', 'COM1', 3, 40],
        ['contingent', 'COM2', 20, 40],
        ['contingent', 'AL', 10, 40],
        ['type_contingent', 'commune', 23, 80],
        ['type_contingent', 'action_logement', 10, 40],
      ]),
      { seuil: 5, typeContingent: (id) => (id.startsWith('COM') ? 'commune' : 'action_logement') },
    );
    expect(find(published, 'contingent', 'COM1').numerateur).toBeNull();
    expect(find(published, 'contingent', 'COM2').numerateur).toBeNull();
    expect(auditerSecret(published, { typeContingent: (id) => (id.startsWith('COM') ? 'commune' : 'action_logement') })).toEqual([]);
  });

  it('protects a semester from the year and the other semester', () => {
    const cells = (periode: PeriodeId, b1: [number, number], b2: [number, number]) =>
      rows(
        [
          ['territoire', 'territoire', b1[0] + b2[0], b1[1] + b2[1]],
          ['bailleur', 'B1', ...b1],
          ['bailleur', 'B2', ...b2],
        ],
        periode,
      );
    const published = appliquerSecret(
      [...cells('2024', [30, 60], [40, 80]), ...cells('2024-S1', [4, 20], [18, 40]), ...cells('2024-S2', [26, 40], [22, 40]), ...cells('12m-2024-12-31', [30, 60], [40, 80])],
      { seuil: 11 },
    );
    // B1 S1 numerator 4 is masked; B2 S1 too (breakdown); then B1 S2 = B1 year − B1 S1 must not reveal it: more masks.
    expect(find(published, 'bailleur', 'B1', '2024-S1').numerateur).toBeNull();
    expect(auditerSecret(published)).toEqual([]);
  });

  it('never changes a published value', () => {
    const original = rows([
      ['territoire', 'territoire', 40, 100],
      ['commune', 'A', 2, 50],
      ['commune', 'B', 38, 50],
    ]);
    const published = appliquerSecret(original, { seuil: 11 });
    published.forEach((p, i) => {
      const o = original[i] as IndicatorRow;
      if (p.numerateur !== null) expect(p.numerateur).toBe(o.numerateur);
      if (p.denominateur !== null) expect(p.denominateur).toBe(o.denominateur);
    });
    expect(indicateursCsv(published, { secret: true }).split('\n')[0]).toMatch(/,atteint,secret$/);
  });
});

describe('exact audit', () => {
  it('finds a value determined through several equations at once', () => {
    // x0 + x1 = T (eq 0), x1 + x2 = U (eq 1), x2 = V − x3 where x3 is published: x2, then x1, then x0 are determined.
    const masked = ['primaire', 'primaire', 'primaire', null, null, null, null] as const;
    const equations = [
      { total: 4, parts: [0, 1] },
      { total: 5, parts: [1, 2] },
      { total: 6, parts: [2, 3] },
    ];
    expect(cellulesDeterminees([...masked], equations).sort()).toEqual([0, 1, 2]);
    // Without the third equation, a perturbation (+d, −d, +d) keeps the others: nothing is determined.
    expect(cellulesDeterminees([...masked], equations.slice(0, 2))).toEqual([]);
  });
});

describe('what the reader truly knows (the engine property test\'s known leak, seed 20261201, shrunk by hand)', () => {
  it('counts an assimilated sector the CIA leaves out of QPV among the proposals out of QPV, not in QPV', () => {
    // Threshold 3, one year. The CIA does not count the assimilated sector Q as a QPV: the territory made 0
    // proposals in QPV (qpv_hors_q1 0/0) while Q's perimeter holds 1 proposal (prioritaires 1/1), which is out of
    // QPV. Taking Q for a QPV wrote « territory's proposals in QPV (0) = Q's » and Q's masked 1 looked given back
    // (as 0, falsely): the pass could not protect it and the audit reported it.
    const original = [...rows([['territoire', 'territoire', 0, 0]], '2024', 'qpv_hors_q1'), ...rows([['qpv', 'Q', 1, 1]], '2024', 'prioritaires')];
    const leQ = { indicateur: 'prioritaires', perimetre_type: 'qpv', perimetre_id: 'Q', periode: '2024' } as const;
    expect(auditerSecret(appliquerSecret(original, { seuil: 3 }))).toContainEqual({ ...leQ, valeur: 'denominateur' });
    // Known out of QPV: Q's « all proposals » are its proposals out of QPV, a cell no equation ties here.
    const qpvHorsChamp = (code: string) => code === 'Q';
    const published = appliquerSecret(original, { seuil: 3, qpvHorsChamp });
    expect(find(published, 'qpv', 'Q')).toMatchObject({ numerateur: null, denominateur: null, secret: 'primaire' }); // 1 < 3
    expect(auditerSecret(published, { qpvHorsChamp, seuil: 3 })).toEqual([]);
  });

  it('writes no cross-dimension equation for a perimeter whose partner the system does not count', () => {
    // Threshold 3. Proposals in QPV: territory 4, commune C 4, QPV Q 4 (qpv_hors_q1, all Q2 or more: 4/4). The
    // « prioritaire » households among proposals in QPV are published for QPV perimeters only (prioritaires of Q:
    // 1 of 4): that system holds Q's cell and no commune's. Q shares its proposals with C; taking the missing C
    // for « Q shares nothing with any commune » wrote Q = 0, the masked 1 looked given back and stayed unprotected.
    const original = [
      ...rows([['territoire', 'territoire', 4, 4], ['commune', 'C', 4, 4], ['qpv', 'Q', 4, 4]], '2024', 'qpv_hors_q1'),
      ...rows([['qpv', 'Q', 1, 4]], '2024', 'prioritaires'),
    ];
    const C = { type: 'commune', id: 'C' } as const;
    const Q = { type: 'qpv', id: 'Q' } as const;
    const croisements = (den: { champ: string }) => (den.champ === 'qpv' ? [[C, Q] as const] : []);
    const published = appliquerSecret(original, { seuil: 3, croisements });
    // 1 < 3: Q's numerator masked; 4 − 1 = 3 is not sensitive, the denominator 4 stays.
    expect(find(published.filter((r) => r.indicateur === 'prioritaires'), 'qpv', 'Q')).toMatchObject({ numerateur: null, denominateur: 4, secret: 'primaire' });
    expect(auditerSecret(published, { croisements, seuil: 3 })).toEqual([]);
    // The groups of the systems that count both still hold: C's 4 in QPV = Q's 4 in the denominators' system, so a
    // masked Q denominator would be given back by C's (checked by masking it by hand).
    const cache = published.map((r) => (r.perimetre_type === 'qpv' ? { ...r, numerateur: null, denominateur: null } : r));
    expect(auditerSecret(cache, { croisements })).toContainEqual({ indicateur: 'qpv_hors_q1', perimetre_type: 'qpv', perimetre_id: 'Q', periode: '2024', valeur: 'denominateur' });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property: on random territories, no masked value can be recomputed from the published ones.

interface Territory {
  communes: number;
  bailleurs: number;
  contingents: { id: string; type: TypeContingent }[];
  /** Counts per commune × bailleur × contingent × half-year (H2 N−1, H1 N, H2 N): [numerator, denominator]. */
  atoms: [number, number][];
}

const territory: fc.Arbitrary<Territory> = fc
  .record({
    communes: fc.integer({ min: 1, max: 3 }),
    bailleurs: fc.integer({ min: 1, max: 3 }),
    contingentTypes: fc.array(fc.constantFrom<TypeContingent>('etat_prioritaires', 'action_logement', 'commune', 'non_reserve'), { minLength: 1, maxLength: 4 }),
  })
  .chain(({ communes, bailleurs, contingentTypes }) => {
    const contingents = contingentTypes.map((type, i) => ({ id: type === 'non_reserve' ? `non_reserve:B${i}` : `R${i}`, type }));
    const size = communes * bailleurs * contingents.length * 3;
    const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 30 }));
    const atom = fc.tuple(count, count).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as [number, number]);
    return fc.array(atom, { minLength: size, maxLength: size }).map((atoms) => ({ communes, bailleurs, contingents, atoms }));
  });

const HALVES_OF: Record<string, number[]> = { '2024': [1, 2], '2024-S1': [1], '2024-S2': [2], '12m-2024-06-30': [0, 1], '12m-2024-12-31': [1, 2] };

/** Aggregates the atoms into indicator rows, as the engine would (perimeters with something in the window). */
function aggregate(t: Territory): IndicatorRow[] {
  const perimeters: { type: PerimeterType; id: string; member: (c: number, b: number, k: number) => boolean }[] = [
    { type: 'territoire', id: 'territoire', member: () => true },
    ...Array.from({ length: t.communes }, (_, c) => ({ type: 'commune' as const, id: `C${c}`, member: (cc: number) => cc === c })),
    ...Array.from({ length: t.bailleurs }, (_, b) => ({ type: 'bailleur' as const, id: `B${b}`, member: (_c: number, bb: number) => bb === b })),
    ...t.contingents.map((k, i) => ({ type: 'contingent' as const, id: k.id, member: (_c: number, _b: number, kk: number) => kk === i })),
    ...[...new Set(t.contingents.map((k) => k.type))].map((type) => ({
      type: 'type_contingent' as const,
      id: type,
      member: (_c: number, _b: number, kk: number) => t.contingents[kk]?.type === type,
    })),
  ];
  const sum = (member: (c: number, b: number, k: number) => boolean, halves: number[]) => {
    let num = 0;
    let den = 0;
    let i = 0;
    for (let c = 0; c < t.communes; c++)
      for (let b = 0; b < t.bailleurs; b++)
        for (let k = 0; k < t.contingents.length; k++)
          for (let h = 0; h < 3; h++) {
            const [n, d] = t.atoms[i++] as [number, number];
            if (member(c, b, k) && halves.includes(h)) {
              num += n;
              den += d;
            }
          }
    return { num, den };
  };
  return perimeters
    .filter((p) => p.type === 'territoire' || sum(p.member, [0, 1, 2]).den > 0)
    .flatMap((p) =>
      Object.entries(HALVES_OF).map(([periode, halves]) => {
        const { num, den } = sum(p.member, halves);
        return ligneIndicateur(DEFAULT_CIA_CONFIG, 'prioritaires', { type: p.type, id: p.id }, periode as PeriodeId, num, den);
      }),
    );
}

/**
 * Independent check (floating-point Gauss–Jordan, written apart from secret.ts): the equations a reader can
 * write from the table — every breakdown sums to the territory, contingents to their type, S1 + S2 = year,
 * 12 months to 31/12 = year — restricted to the masked values; a masked value is determined iff a reduced row
 * has it as its only non-zero entry.
 */
function recoverable(published: PublishedIndicatorRow[], t: Territory, field: 'numerateur' | 'denominateur'): string[] {
  const key = (r: { perimetre_type: string; perimetre_id: string; periode: string }) => `${r.perimetre_type}/${r.perimetre_id}/${r.periode}`;
  const masked = published.filter((r) => r[field] === null).map(key);
  const col = new Map(masked.map((k, i) => [k, i]));
  const eqs: string[][][] = []; // [total keys, part keys]
  const periods = Object.keys(HALVES_OF);
  const ofType = (type: string, p: string) => published.filter((r) => r.perimetre_type === type && r.periode === p).map(key);
  for (const p of periods) {
    for (const type of ['commune', 'bailleur', 'contingent', 'type_contingent']) eqs.push([[`territoire/territoire/${p}`], ofType(type, p)]);
    for (const type of new Set(t.contingents.map((k) => k.type)))
      eqs.push([[`type_contingent/${type}/${p}`], t.contingents.filter((k) => k.type === type).map((k) => `contingent/${k.id}/${p}`)]);
  }
  for (const r of published.filter((x) => x.periode === '2024')) {
    const base = `${r.perimetre_type}/${r.perimetre_id}`;
    eqs.push([[`${base}/2024`], [`${base}/2024-S1`, `${base}/2024-S2`]]);
    eqs.push([[`${base}/2024`], [`${base}/12m-2024-12-31`]]);
  }
  const matrix = eqs.map(([totals, parts]) => {
    const row = new Array<number>(masked.length).fill(0);
    const add = (k: string, v: number) => {
      const j = col.get(k);
      if (j !== undefined) row[j] = (row[j] as number) + v;
    };
    for (const k of totals ?? []) add(k, 1);
    for (const k of parts ?? []) add(k, -1);
    return row;
  });
  // Gauss–Jordan.
  let rank = 0;
  for (let c = 0; c < masked.length && rank < matrix.length; c++) {
    const pivot = matrix.findIndex((row, i) => i >= rank && Math.abs(row[c] as number) > 1e-9);
    if (pivot < 0) continue;
    [matrix[rank], matrix[pivot]] = [matrix[pivot] as number[], matrix[rank] as number[]];
    const p = matrix[rank] as number[];
    const v = p[c] as number;
    for (let j = 0; j < p.length; j++) p[j] = (p[j] as number) / v;
    matrix.forEach((row, i) => {
      if (i === rank) return;
      const f = row[c] as number;
      if (Math.abs(f) > 1e-9) for (let j = 0; j < row.length; j++) row[j] = (row[j] as number) - f * (p[j] as number);
    });
    rank++;
  }
  return matrix
    .slice(0, rank)
    .map((row) => row.flatMap((v, j) => (Math.abs(v) > 1e-9 ? [j] : [])))
    .filter((nz) => nz.length === 1)
    .map((nz) => masked[nz[0] as number] as string);
}

describe('secrecy on random territories', () => {
  it('masks every small cell and leaves no masked value recoverable from a breakdown and its total', () => {
    fc.assert(
      fc.property(territory, fc.integer({ min: 2, max: 11 }), (t, seuil) => {
        const original = aggregate(t);
        const types = Object.fromEntries(t.contingents.map((k) => [k.id, k.type]));
        // With the exact audit (default), and with the equation rule alone (auditJusqua 0): both must be sound.
        for (const auditJusqua of [400, 0]) {
          const published = appliquerSecret(original, { seuil, typeContingent: (id) => types[id], auditJusqua });
          published.forEach((p, i) => {
            const o = original[i] as IndicatorRow;
            const small = (n: number) => n > 0 && n < seuil;
            if (small(o.denominateur)) expect(p.denominateur).toBeNull();
            if (small(o.numerateur) || small(o.denominateur - o.numerateur)) expect(p.numerateur).toBeNull();
            if (p.numerateur !== null) expect([p.numerateur, p.taux]).toEqual([o.numerateur, o.taux]);
            if (p.denominateur !== null) expect(p.denominateur).toBe(o.denominateur);
          });
          expect(recoverable(published, t, 'denominateur')).toEqual([]);
          expect(recoverable(published, t, 'numerateur')).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
