import { readFileSync } from 'node:fs';

/**
 * An independent check of the published indicator table, written apart from core's secret.ts: from the rows of the
 * workbook's `indicateurs` sheet and the fixture's own files (which réservataire has which type, which QPV lies in
 * which commune), the equations a reader can write, then a floating-point Gauss–Jordan elimination restricted to
 * the masked values. A masked value is recoverable iff a reduced row has it as its only non-zero entry.
 *
 * Equations: each breakdown (commune, bailleur, contingent, contingent type; QPV for the QPV-counted indicators)
 * sums to the territory; contingents sum to their type; for the QPV-counted indicators a commune whose only QPV
 * is Q equals Q; per perimeter the year is S1 + S2 and the twelve months to 31/12 equal the year; and, across
 * indicators, the denominators that count the same proposals are equal (every proposal for prioritaires,
 * mutations and travailleurs_essentiels; QPV proposals for qpv_hors_q1 and qpv_q3_q4).
 */

type Valeur = string | number | null;
const FIXTURE = new URL('./fixtures/territoire/', import.meta.url);

function csv(nom: string): Record<string, string>[] {
  const [entete, ...lignes] = readFileSync(new URL(nom, FIXTURE), 'utf8').trim().split('\n');
  const cols = (entete ?? '').split(';');
  return lignes.map((l) => Object.fromEntries(l.split(';').map((v, i) => [cols[i] as string, v])));
}

const QPV_INDICATEURS = new Set(['qpv_hors_q1', 'qpv_q3_q4']);
const MEMES_DENOMINATEURS = [['prioritaires', 'mutations', 'travailleurs_essentiels'], ['qpv_hors_q1', 'qpv_q3_q4']];

/** Keys `indicateur|type|id|periode|champ` of the masked values that the published ones determine. */
export function recuperables(rows: readonly (readonly Valeur[])[]): string[] {
  const types = new Map(csv('reservataires.csv').map((r) => [r.id as string, r.type as string]));
  const qpvParCommune = new Map<string, string[]>();
  for (const q of csv('qpv.csv')) qpvParCommune.set(q.code_insee as string, [...(qpvParCommune.get(q.code_insee as string) ?? []), q.code_qpv as string]);

  const cellules = rows.map((r) => ({ ind: String(r[0]), type: String(r[1]), id: String(r[2]), periode: String(r[3]), num: r[4] ?? null, den: r[5] ?? null }));
  const out: string[] = [];
  for (const champ of ['num', 'den'] as const) {
    const inconnues = new Map<string, number>();
    for (const c of cellules) if (c[champ] === null) inconnues.set(`${c.ind}|${c.type}|${c.id}|${c.periode}`, inconnues.size);
    const existe = new Set(cellules.map((c) => `${c.ind}|${c.type}|${c.id}|${c.periode}`));
    const equations: Map<number, number>[] = [];
    const equation = (total: string, parts: readonly string[]) => {
      if (!existe.has(total)) return;
      const e = new Map<number, number>();
      const add = (k: string, coef: number) => {
        const j = inconnues.get(k);
        if (j !== undefined) e.set(j, (e.get(j) ?? 0) + coef);
      };
      add(total, 1);
      for (const p of parts) if (existe.has(p)) add(p, -1);
      equations.push(e);
    };
    const indicateurs = [...new Set(cellules.map((c) => c.ind))];
    const periodes = [...new Set(cellules.map((c) => c.periode))];
    for (const ind of indicateurs) {
      const de = (type: string, p: string) => cellules.filter((c) => c.ind === ind && c.type === type && c.periode === p).map((c) => `${ind}|${type}|${c.id}|${p}`);
      for (const p of periodes) {
        const territoire = `${ind}|territoire|territoire|${p}`;
        for (const type of ['commune', 'bailleur', 'contingent', 'type_contingent', ...(QPV_INDICATEURS.has(ind) ? ['qpv'] : [])]) equation(territoire, de(type, p));
        const parType = new Map<string, string[]>();
        for (const k of de('contingent', p)) {
          const id = k.split('|')[2] as string;
          const type = id.startsWith('non_reserve:') ? 'non_reserve' : (types.get(id) ?? 'inconnu');
          parType.set(type, [...(parType.get(type) ?? []), k]);
        }
        for (const [type, parts] of parType) equation(`${ind}|type_contingent|${type}|${p}`, parts);
        if (QPV_INDICATEURS.has(ind)) for (const [commune, qpvs] of qpvParCommune) equation(`${ind}|commune|${commune}|${p}`, qpvs.map((q) => `${ind}|qpv|${q}|${p}`));
      }
      for (const c of cellules.filter((x) => x.ind === ind && /^\d{4}$/.test(x.periode))) {
        const base = `${ind}|${c.type}|${c.id}`;
        equation(`${base}|${c.periode}`, [`${base}|${c.periode}-S1`, `${base}|${c.periode}-S2`]);
        equation(`${base}|${c.periode}`, [`${base}|12m-${c.periode}-12-31`]);
      }
    }
    if (champ === 'den') {
      for (const groupe of MEMES_DENOMINATEURS) {
        const [premier, ...autres] = groupe;
        for (const c of cellules.filter((x) => x.ind === premier)) for (const autre of autres) equation(`${premier}|${c.type}|${c.id}|${c.periode}`, [`${autre}|${c.type}|${c.id}|${c.periode}`]);
      }
    }
    out.push(...determinees(equations, inconnues.size).map((j) => `${[...inconnues.keys()][j]}|${champ}`));
  }
  return out;
}

/** Gauss–Jordan on the equations restricted to the unknowns; the unknowns alone on a reduced row. */
export function determinees(equations: readonly Map<number, number>[], n: number): number[] {
  const m = equations.map((e) => {
    const row = new Array<number>(n).fill(0);
    for (const [j, v] of e) row[j] = v;
    return row;
  });
  let rang = 0;
  for (let c = 0; c < n && rang < m.length; c++) {
    const pivot = m.findIndex((row, i) => i >= rang && Math.abs(row[c] as number) > 1e-9);
    if (pivot < 0) continue;
    [m[rang], m[pivot]] = [m[pivot] as number[], m[rang] as number[]];
    const p = m[rang] as number[];
    const v = p[c] as number;
    for (let j = 0; j < n; j++) p[j] = (p[j] as number) / v;
    m.forEach((row, i) => {
      if (i === rang) return;
      const f = row[c] as number;
      if (Math.abs(f) > 1e-9) for (let j = 0; j < n; j++) row[j] = (row[j] as number) - f * (p[j] as number);
    });
    rang++;
  }
  return m
    .slice(0, rang)
    .map((row) => row.flatMap((v, j) => (Math.abs(v) > 1e-9 ? [j] : [])))
    .filter((nz) => nz.length === 1)
    .map((nz) => nz[0] as number);
}
