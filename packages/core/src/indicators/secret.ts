import type { PerimeterType } from '../config/cia-config.ts';
import type { LegalIndicatorDeclaration, LegalIndicatorId } from './declarations.ts';
import { LEGAL_DECLARATIONS } from './declarations.ts';
import type { PeriodeId } from './periods.ts';
import { parsePeriode, periode } from './periods.ts';
import type { TypeContingent } from './perimeters.ts';
import { NON_RESERVE, NON_RESERVE_PREFIX, TERRITOIRE_ID } from './perimeters.ts';
import type { IndicatorRow } from './targets.ts';

/**
 * Statistical secrecy of published indicator tables (DOMAIN.md "Statistical secrecy"; issue 3, item 5).
 * Internal computations are never masked: this only shapes what is published (CLI --secret, reports).
 *
 * Every cell publishes two counts of households, the denominator and the numerator (the complement
 * denominator − numerator follows from them). With s = secret_statistique (11 by default):
 *
 * Primary masking
 * - the denominator is masked when 0 < denominateur < s; the whole cell goes with it;
 * - the numerator (and taux, ecart, atteint) is masked when 0 < numerateur < s or 0 < denominateur − numerateur < s:
 *   "4 of 60 leases went to Q1 households" and "56 of 60" reveal the same 4 households.
 *   Zeros are published: they count no household.
 *
 * Secondary masking. Published cells are tied by additive equations, each "total = sum of parts":
 * - each breakdown (commune, bailleur, contingent, contingent type; QPV for the indicators counted in QPV)
 *   sums to the territory, for each indicator and period;
 * - the contingents of one type sum to their `type_contingent` cell; for the indicators counted in QPV, the
 *   QPVs lying in one commune sum to that commune (the caller says, per period, which QPVs do);
 * - per perimeter, the year is the sum of its two semesters, and the twelve months to 31 December equal the year.
 * A masked value is recoverable from one equation when it is its only masked term. So, until no equation has
 * exactly one masked term, the smallest other positive part of such an equation is masked too (then a zero
 * part, then the total). Denominators are masked from denominators alone, so the indicators that share a
 * denominator (propositions: prioritaires, mutations, travailleurs_essentiels; QPV proposals) mask it alike.
 * `auditerSecret` then checks exactly (rational Gaussian elimination over all the equations at once) that no
 * masked value is determined by the published ones; `appliquerSecret` runs it and masks more when needed.
 *
 * Not covered (see docs/indicators.md): differences between indicators (qpv_hors_q1 − qpv_q3_q4 is the
 * number of Q2 households), coincidences between dimensions (a commune served by a single bailleur), and bounds
 * (counts are ≥ 0), which narrow a masked value to an interval without fixing it.
 */

export type Masque = 'primaire' | 'secondaire';

/** A row as published: counts and rates may be masked (null), `secret` says why. */
export interface PublishedIndicatorRow {
  readonly indicateur: LegalIndicatorId;
  readonly perimetre_type: PerimeterType;
  readonly perimetre_id: string;
  readonly periode: PeriodeId;
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  readonly atteint: boolean | null;
  readonly secret: Masque | null;
}

export interface SecretOptions {
  /** Counts from 1 to seuil − 1 are masked (`secret_statistique` of cia.yaml). */
  readonly seuil: number;
  /** The type of a réservataire's contingent (non-reserved stocks are recognised by their id). */
  readonly typeContingent?: (contingentId: string) => TypeContingent | null | undefined;
  /**
   * The commune whose QPV-counted cells are exactly the sum of its QPVs' cells in the period, for each of those
   * QPVs: a QPV whose allocations of the period all lie in that commune, in a commune no QPV of the period shares
   * with another. Anything else (null) writes no equation: a false equation would only over-mask, a missing one
   * could leak, so the caller derives it from the allocations themselves (engine.ts), not from qpv.csv.
   */
  readonly communeDuQpv?: (codeQpv: string, periode: PeriodeId) => string | null | undefined;
  /**
   * Run the exact audit when a system has at most this many masked values (default 400; the elimination is
   * cubic). Above, the equation rule alone applies.
   */
  readonly auditJusqua?: number;
  /** The declarations of the rows' indicators (core's by default; the engine may have been given others). */
  readonly declarations?: readonly LegalIndicatorDeclaration[];
}

/** Additive equation over cell indices: value(total) = Σ value(parts). */
export interface Equation {
  readonly total: number;
  readonly parts: readonly number[];
}

/** The cells of one indicator and the equations between them. */
export interface SecretSystem {
  readonly indicateur: LegalIndicatorId;
  readonly rows: readonly IndicatorRow[];
  readonly equations: readonly Equation[];
}

const cellKey = (type: string, id: string, p: string) => `${type}\u0000${id}\u0000${p}`;

/** Groups the rows by indicator and writes the equations that tie their cells (see the header). */
export function systemesDuSecret(rows: readonly IndicatorRow[], options: Pick<SecretOptions, 'typeContingent' | 'communeDuQpv' | 'declarations'> = {}): SecretSystem[] {
  const byIndicator = new Map<LegalIndicatorId, IndicatorRow[]>();
  for (const row of rows) {
    const list = byIndicator.get(row.indicateur) ?? [];
    list.push(row);
    byIndicator.set(row.indicateur, list);
  }
  const systems: SecretSystem[] = [];
  for (const [indicateur, cells] of byIndicator) {
    const index = new Map<string, number>();
    cells.forEach((r, i) => index.set(cellKey(r.perimetre_type, r.perimetre_id, r.periode), i));
    const at = (type: string, id: string, p: string) => index.get(cellKey(type, id, p));
    const periodes = [...new Set(cells.map((r) => r.periode))];
    const perimetres = new Map<string, { type: PerimeterType; id: string }>();
    for (const r of cells) perimetres.set(`${r.perimetre_type}\u0000${r.perimetre_id}`, { type: r.perimetre_type, id: r.perimetre_id });
    const equations: Equation[] = [];
    const push = (total: number | undefined, parts: (number | undefined)[]) => {
      const defined = parts.filter((p): p is number => p !== undefined);
      if (total !== undefined && defined.length > 0) equations.push({ total, parts: defined });
    };
    const declaration = (options.declarations ?? LEGAL_DECLARATIONS).find((d) => d.id === indicateur);
    if (!declaration) throw new Error(`secret statistique : indicateur non déclaré « ${indicateur} »`);
    const champQpv = declaration.champ === 'qpv';
    const breakdowns: PerimeterType[] = ['commune', 'bailleur', 'contingent', 'type_contingent', ...(champQpv ? (['qpv'] as const) : [])];
    for (const p of periodes) {
      const ofType = (type: PerimeterType) => cells.flatMap((r, i) => (r.periode === p && r.perimetre_type === type ? [i] : []));
      for (const type of breakdowns) push(at('territoire', TERRITOIRE_ID, p), ofType(type));
      // Contingents nested in their type.
      const parType = new Map<string, number[]>();
      for (const i of ofType('contingent')) {
        const id = (cells[i] as IndicatorRow).perimetre_id;
        const type = id.startsWith(NON_RESERVE_PREFIX) ? NON_RESERVE : options.typeContingent?.(id);
        if (!type) continue;
        parType.set(type, [...(parType.get(type) ?? []), i]);
      }
      for (const [type, parts] of parType) push(at('type_contingent', type, p), parts);
      // QPVs nested in their commune, for the indicators whose denominator is made of QPV dwellings only.
      if (champQpv && options.communeDuQpv) {
        const parCommune = new Map<string, number[]>();
        for (const i of ofType('qpv')) {
          const commune = options.communeDuQpv((cells[i] as IndicatorRow).perimetre_id, p);
          if (commune) parCommune.set(commune, [...(parCommune.get(commune) ?? []), i]);
        }
        for (const [commune, parts] of parCommune) push(at('commune', commune, p), parts);
      }
    }
    // Periods: year = S1 + S2, and the twelve months to 31 December = the year.
    for (const { type, id } of perimetres.values()) {
      for (const p of periodes) {
        const parsed = parsePeriode(p);
        if (parsed?.kind !== 'annee') continue;
        const year = at(type, id, p);
        push(year, [at(type, id, periode('semestre_1', parsed.annee).id), at(type, id, periode('semestre_2', parsed.annee).id)]);
        push(year, [at(type, id, periode('glissant_31_12', parsed.annee).id)]);
      }
    }
    systems.push({ indicateur, rows: cells, equations });
  }
  return systems;
}

/**
 * Extends `masked` until no equation has exactly one masked term (see the header). `values` are the counts
 * of the system (denominators or numerators); the smallest positive candidate is chosen, then a zero, then the total.
 */
export function masquageSecondaire(values: readonly number[], masked: (Masque | null)[], equations: readonly Equation[]): void {
  const ofCell: number[][] = values.map(() => []);
  equations.forEach((eq, e) => {
    ofCell[eq.total]?.push(e);
    for (const part of eq.parts) ofCell[part]?.push(e);
  });
  const unknown = equations.map((eq) => [eq.total, ...eq.parts].filter((c) => masked[c] !== null).length);
  // Parts sorted by preference (positive values first, ascending, then zeros), with a cursor past the masked ones.
  const rank = (c: number) => ((values[c] as number) > 0 ? (values[c] as number) : Number.MAX_SAFE_INTEGER);
  const sorted: (number[] | null)[] = equations.map(() => null);
  const cursor = equations.map(() => 0);
  const queue = equations.map((_, e) => e).filter((e) => unknown[e] === 1);
  const mask = (c: number) => {
    masked[c] = 'secondaire';
    for (const e of ofCell[c] ?? []) {
      unknown[e] = (unknown[e] as number) + 1;
    }
  };
  while (queue.length > 0) {
    const e = queue.pop() as number;
    if (unknown[e] !== 1) continue;
    const eq = equations[e] as Equation;
    let list = sorted[e];
    if (!list) {
      list = [...eq.parts].sort((a, b) => rank(a) - rank(b) || a - b);
      sorted[e] = list;
    }
    let k = cursor[e] as number;
    while (k < list.length && masked[list[k] as number] !== null) k++;
    cursor[e] = k;
    const pick = k < list.length ? (list[k] as number) : masked[eq.total] === null ? eq.total : null;
    if (pick === null) continue;
    mask(pick);
    for (const other of ofCell[pick] ?? []) if (unknown[other] === 1) queue.push(other);
  }
}

/**
 * Exact audit: the masked cells whose value is determined by the published values through the equations.
 * A masked value x_i is determined iff the unit vector e_i lies in the row space of the equations restricted to
 * the masked cells, i.e. iff the reduced row echelon form has a row whose only non-zero entry is column i.
 * Arithmetic on bigint rows, fraction-free, so the answer is exact.
 */
export function cellulesDeterminees(masked: readonly (Masque | null)[], equations: readonly Equation[]): number[] {
  const rows: Map<number, bigint>[] = [];
  for (const eq of equations) {
    const row = new Map<number, bigint>();
    const add = (c: number, v: bigint) => {
      if (masked[c] === null) return;
      const next = (row.get(c) ?? 0n) + v;
      if (next === 0n) row.delete(c);
      else row.set(c, next);
    };
    add(eq.total, 1n);
    for (const part of eq.parts) add(part, -1n);
    if (row.size > 0) rows.push(row);
  }
  const pivots: { col: number; row: Map<number, bigint> }[] = [];
  for (const original of rows) {
    let row = original;
    for (const pivot of pivots) {
      const coef = row.get(pivot.col);
      if (coef !== undefined) row = eliminate(row, pivot.row, pivot.col, coef);
    }
    if (row.size === 0) continue;
    const col = Math.min(...row.keys());
    // Keep the echelon form reduced: clear the new pivot column from the earlier pivot rows.
    for (const pivot of pivots) {
      const coef = pivot.row.get(col);
      if (coef !== undefined) pivot.row = eliminate(pivot.row, row, col, coef);
    }
    pivots.push({ col, row });
  }
  return pivots.filter((p) => p.row.size === 1).map((p) => p.col);
}

/** row − (coef / pivotCoef) × pivot, scaled to integers and divided by the gcd of its entries. */
function eliminate(row: Map<number, bigint>, pivot: Map<number, bigint>, col: number, coef: bigint): Map<number, bigint> {
  const p = pivot.get(col) as bigint;
  const out = new Map<number, bigint>();
  for (const [c, v] of row) out.set(c, v * p);
  for (const [c, v] of pivot) {
    const next = (out.get(c) ?? 0n) - v * coef;
    if (next === 0n) out.delete(c);
    else out.set(c, next);
  }
  let g = 0n;
  for (const v of out.values()) g = gcd(g, v < 0n ? -v : v);
  if (g > 1n) for (const [c, v] of out) out.set(c, v / g);
  return out;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Primary masks of the denominators and numerators of a system. */
function primaryMasks(rows: readonly IndicatorRow[], seuil: number): { den: (Masque | null)[]; num: (Masque | null)[] } {
  const small = (n: number) => n > 0 && n < seuil;
  const den = rows.map((r) => (small(r.denominateur) ? 'primaire' : null) as Masque | null);
  const num = rows.map((r, i) =>
    (den[i] !== null || small(r.numerateur) || small(r.denominateur - r.numerateur) ? 'primaire' : null) as Masque | null,
  );
  return { den, num };
}

/** Secondary masking, then the exact audit (when small enough) and more masking until nothing is determined. */
function protect(values: readonly number[], masked: (Masque | null)[], equations: readonly Equation[], auditJusqua: number): void {
  for (;;) {
    masquageSecondaire(values, masked, equations);
    if (masked.filter((m) => m !== null).length > auditJusqua) return;
    const determined = cellulesDeterminees(masked, equations);
    if (determined.length === 0) return;
    // A value is still recoverable through a combination of equations: mask the smallest published part of an
    // equation it takes part in, and start again.
    let progressed = false;
    for (const cell of determined) {
      const candidates = equations
        .filter((eq) => eq.total === cell || eq.parts.includes(cell))
        .flatMap((eq) => [eq.total, ...eq.parts])
        .filter((c) => masked[c] === null)
        .sort((a, b) => (values[a] as number) - (values[b] as number) || a - b);
      const pick = candidates.find((c) => (values[c] as number) > 0) ?? candidates[0];
      if (pick !== undefined) {
        masked[pick] = 'secondaire';
        progressed = true;
        break;
      }
    }
    if (!progressed) return;
  }
}

/**
 * The published version of the rows: masked counts and rates set to null, `secret` saying whether the cell was
 * masked for its own counts (primaire) or to protect another cell (secondaire). Row order is kept.
 */
export function appliquerSecret(rows: readonly IndicatorRow[], options: SecretOptions): PublishedIndicatorRow[] {
  const status = new Map<IndicatorRow, { den: Masque | null; num: Masque | null }>();
  if (options.seuil > 1) {
    for (const system of systemesDuSecret(rows, options)) {
      const { den, num } = primaryMasks(system.rows, options.seuil);
      const audit = options.auditJusqua ?? 400;
      protect(
        system.rows.map((r) => r.denominateur),
        den,
        system.equations,
        audit,
      );
      // A masked denominator takes its numerator with it.
      den.forEach((m, i) => {
        if (m !== null && num[i] === null) num[i] = m;
      });
      protect(
        system.rows.map((r) => r.numerateur),
        num,
        system.equations,
        audit,
      );
      system.rows.forEach((r, i) => status.set(r, { den: den[i] ?? null, num: num[i] ?? null }));
    }
  }
  return rows.map((row) => {
    const s = status.get(row) ?? { den: null, num: null };
    const secret: Masque | null = s.den === 'primaire' || s.num === 'primaire' ? 'primaire' : s.den ?? s.num;
    const hideNum = s.num !== null;
    return {
      indicateur: row.indicateur,
      perimetre_type: row.perimetre_type,
      perimetre_id: row.perimetre_id,
      periode: row.periode,
      numerateur: hideNum ? null : row.numerateur,
      denominateur: s.den !== null ? null : row.denominateur,
      taux: hideNum ? null : row.taux,
      cible: row.cible,
      ecart: hideNum ? null : row.ecart,
      atteint: hideNum ? null : row.atteint,
      secret,
    };
  });
}

/**
 * For tests and reviews: the published cells whose masked numerator or denominator can be recomputed exactly
 * from the published ones through the equations of `systemesDuSecret`. Empty when the masking is sound.
 */
export function auditerSecret(
  published: readonly PublishedIndicatorRow[],
  options: Pick<SecretOptions, 'typeContingent' | 'communeDuQpv'> = {},
): { indicateur: LegalIndicatorId; perimetre_type: PerimeterType; perimetre_id: string; periode: PeriodeId; valeur: 'numerateur' | 'denominateur' }[] {
  // Only the structure matters: rebuild rows with placeholder counts to get the equations.
  const asRows = published.map((p) => ({ ...p, numerateur: 0, denominateur: 0 }) as IndicatorRow);
  const back = new Map(asRows.map((r, i) => [r, published[i] as PublishedIndicatorRow]));
  const found: ReturnType<typeof auditerSecret> = [];
  for (const system of systemesDuSecret(asRows, options)) {
    const cells = system.rows.map((r) => back.get(r) as PublishedIndicatorRow);
    for (const valeur of ['numerateur', 'denominateur'] as const) {
      const masked = cells.map((c) => (c[valeur] === null ? ('primaire' as Masque) : null));
      for (const i of cellulesDeterminees(masked, system.equations)) {
        const c = cells[i] as PublishedIndicatorRow;
        found.push({ indicateur: c.indicateur, perimetre_type: c.perimetre_type, perimetre_id: c.perimetre_id, periode: c.periode, valeur });
      }
    }
  }
  return found;
}
