import type { IndicatorRow, LegalIndicatorId, PerimeterType, PerimetreRef, PeriodeId, PublishedIndicatorRow, TypeContingent } from '@mixite/core';
import { DEFAULT_CIA_CONFIG, appliquerSecret, ligneIndicateur } from '@mixite/core';
import fc from 'fast-check';
import type { Connaissances, GroupeDenominateur } from './secret-independant.ts';
import { fuites } from './secret-independant.ts';

// ---------------------------------------------------------------------------------------------------------
// Generated territories: allocations drawn per commune × bailleur × contingent × quarter over two years, with a
// QPV in the first commune; the rows of three indicators over every perimeter and period of the two years
// (years, semesters, quarters, twelve-month windows), masked together, audited with everything a reader knows.

export interface Atome {
  commune: number;
  bailleur: number;
  contingent: number;
  qpv: boolean;
  trimestre: number; // 0 … 7: 2023-T1 … 2024-T4
  /** Proposals by household: [Q1 not priority, Q1 priority, Q2 …, Q3–Q4 …] */
  prioritaires: number;
  autres: number;
  q1: number;
  q2: number;
}

const TYPES: readonly TypeContingent[] = ['etat_prioritaires', 'action_logement', 'commune'];

export interface Territoire {
  communes: number;
  bailleurs: number;
  contingents: readonly { id: string; type: TypeContingent }[];
  atomes: readonly Atome[];
}

export const territoire: fc.Arbitrary<Territoire> = fc
  .record({
    communes: fc.integer({ min: 1, max: 3 }),
    bailleurs: fc.integer({ min: 1, max: 3 }),
    types: fc.array(fc.constantFrom(...TYPES, 'non_reserve' as TypeContingent), { minLength: 1, maxLength: 3 }),
  })
  .chain(({ communes, bailleurs, types }) => {
    const tous = types.map((type, i) => ({ id: type === 'non_reserve' ? `non_reserve:B${i % bailleurs}` : `R${i}`, type }));
    const contingents = tous.filter((k, i) => tous.findIndex((x) => x.id === k.id) === i);
    const compte = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 12 }));
    // Each place (commune, bailleur, contingent, in QPV or not) exists or not: the structure a reader knows.
    const lieux: [number, number, number, boolean][] = [];
    for (let c = 0; c < communes; c++) for (let b = 0; b < bailleurs; b++) for (let k = 0; k < contingents.length; k++) for (const q of c === 0 ? [false, true] : [false]) lieux.push([c, b, k, q]);
    return fc
      .tuple(
        fc.array(fc.boolean(), { minLength: lieux.length, maxLength: lieux.length }),
        fc.array(fc.tuple(compte, compte, compte, compte), { minLength: lieux.length * 8, maxLength: lieux.length * 8 }),
      )
      .map(([existe, comptes]) => {
        const atomes: Atome[] = [];
        lieux.forEach(([commune, bailleur, contingent, qpv], l) => {
          // A non-reserved stock lies on its own bailleur's dwellings only.
          const k = contingents[contingent] as { id: string };
          if (!existe[l] || (k.id.startsWith('non_reserve:') && k.id !== `non_reserve:B${bailleur}`)) return;
          for (let t = 0; t < 8; t++) {
            const [prioritaires, autres, q1, q2] = comptes[l * 8 + t] as [number, number, number, number];
            atomes.push({ commune, bailleur, contingent, qpv, trimestre: t, prioritaires, autres, q1: Math.min(q1, prioritaires + autres), q2: Math.min(q2, prioritaires + autres - Math.min(q1, prioritaires + autres)) });
          }
        });
        return { communes, bailleurs, contingents, atomes };
      });
  });

const PERIODES: readonly [string, number[]][] = [2023, 2024].flatMap((y, i) => {
  const t = (k: number) => i * 4 + k;
  const periodes: [string, number[]][] = [
    [`${y}`, [t(0), t(1), t(2), t(3)]],
    [`${y}-S1`, [t(0), t(1)]],
    [`${y}-S2`, [t(2), t(3)]],
    ...[1, 2, 3, 4].map((k): [string, number[]] => [`${y}-T${k}`, [t(k - 1)]]),
    [`12m-${y}-12-31`, [t(0), t(1), t(2), t(3)]],
  ];
  if (i === 1) periodes.push([`12m-${y}-06-30`, [2, 3, 4, 5]]);
  return periodes;
});

interface Perim {
  type: PerimeterType;
  id: string;
  contient: (a: Atome) => boolean;
}

function perimetres(t: Territoire): Perim[] {
  return [
    { type: 'territoire', id: 'territoire', contient: () => true },
    ...Array.from({ length: t.communes }, (_, c): Perim => ({ type: 'commune', id: `C${c}`, contient: (a) => a.commune === c })),
    { type: 'qpv', id: 'X', contient: (a) => a.qpv },
    ...Array.from({ length: t.bailleurs }, (_, b): Perim => ({ type: 'bailleur', id: `B${b}`, contient: (a) => a.bailleur === b })),
    ...t.contingents.map((k, i): Perim => ({ type: 'contingent', id: k.id, contient: (a) => a.contingent === i })),
    ...[...new Set(t.contingents.map((k) => k.type))].map((type): Perim => ({ type: 'type_contingent', id: type, contient: (a) => t.contingents[a.contingent]?.type === type })),
  ];
}

/** The rows, as the engine emits them: a perimeter with something counted in the two years gets every period. */
export function agreger(t: Territoire): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  const total = (a: Atome) => a.prioritaires + a.autres;
  const mesures: [LegalIndicatorId, (a: Atome) => boolean, (a: Atome) => number][] = [
    ['prioritaires', () => true, (a) => a.prioritaires],
    ['qpv_hors_q1', (a) => a.qpv, (a) => total(a) - a.q1],
    ['qpv_q3_q4', (a) => a.qpv, (a) => total(a) - a.q1 - a.q2],
  ];
  for (const [ind, champ, num] of mesures) {
    for (const p of perimetres(t)) {
      const dans = t.atomes.filter((a) => champ(a) && p.contient(a));
      if (p.type !== 'territoire' && dans.every((a) => total(a) === 0)) continue;
      for (const [periode, trimestres] of PERIODES) {
        const de = dans.filter((a) => trimestres.includes(a.trimestre));
        rows.push(ligneIndicateur(DEFAULT_CIA_CONFIG, ind, { type: p.type, id: p.id }, periode as PeriodeId, de.reduce((s, a) => s + num(a), 0), de.reduce((s, a) => s + total(a), 0)));
      }
    }
  }
  return rows;
}

/** Pairs of perimeters of two breakdowns sharing proposals of the group in the period, read from the atoms (memoised: the pass asks again and again). */
const memo = new WeakMap<Territoire, Map<string, [PerimeterType, string, PerimeterType, string][]>>();
export function croisements(t: Territoire, groupe: GroupeDenominateur | 'qpv' | 'tout', periode: string): [PerimeterType, string, PerimeterType, string][] {
  let deT = memo.get(t);
  if (!deT) memo.set(t, (deT = new Map()));
  const k = `${groupe === 'propositions_qpv' || groupe === 'qpv' ? 'qpv' : 'tout'}|${periode}`;
  let out = deT.get(k);
  if (!out) deT.set(k, (out = calculerCroisements(t, groupe, periode)));
  return out;
}

function calculerCroisements(t: Territoire, groupe: GroupeDenominateur | 'qpv' | 'tout', periode: string): [PerimeterType, string, PerimeterType, string][] {
  const trimestres = PERIODES.find(([p]) => p === periode)?.[1] ?? [];
  const enQpv = groupe === 'propositions_qpv' || groupe === 'qpv';
  const out: [PerimeterType, string, PerimeterType, string][] = [];
  const types: PerimeterType[] = ['commune', 'bailleur', 'contingent', 'qpv'];
  const ps = perimetres(t).filter((p) => types.includes(p.type));
  for (const a of t.atomes) {
    if (!trimestres.includes(a.trimestre) || a.prioritaires + a.autres === 0 || (enQpv && !a.qpv)) continue;
    const miens = ps.filter((p) => p.contient(a));
    for (const x of miens) for (const y of miens) if (x.type < y.type) out.push([x.type, x.id, y.type, y.id]);
  }
  return [...new Map(out.map((p) => [p.join('\u0000'), p])).values()];
}

/** The pass over the territory's rows with the structure a reader knows (types, the QPV's commune, cross pairs). */
export function publier(t: Territoire, seuil: number, rows: readonly IndicatorRow[] = agreger(t)): PublishedIndicatorRow[] {
  const types = new Map(t.contingents.map((k) => [k.id, k.type]));
  const paires = new Map<string, (readonly [PerimetreRef, PerimetreRef])[]>();
  return appliquerSecret(rows, {
    seuil,
    typeContingent: (id) => types.get(id),
    communeDuQpv: () => 'C0',
    croisements: (den, p) => {
      const groupe = den.champ === 'qpv' ? 'qpv' : 'tout';
      const k = `${groupe}|${p}`;
      let out = paires.get(k);
      if (!out) paires.set(k, (out = croisements(t, groupe, p).map(([ta, ia, tb, ib]) => [{ type: ta, id: ia }, { type: tb, id: ib }] as const)));
      return out;
    },
  });
}

/** The independent auditor's leaks (secret-independant.ts) in what was published: empty when the masking is sound. */
export function auditer(t: Territoire, published: readonly PublishedIndicatorRow[], seuil: number): string[] {
  const types = new Map(t.contingents.map((k) => [k.id, k.type]));
  const savoir: Connaissances = {
    seuil,
    typeContingent: (id) => types.get(id),
    qpvDesCommunes: () => new Map([['C0', ['X']]]),
    croisements: (groupe, p) => croisements(t, groupe, p),
  };
  return fuites(published, savoir);
}
