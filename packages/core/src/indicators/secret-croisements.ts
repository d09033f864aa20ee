import type { PerimeterType } from '../config/cia-config.ts';
import type { Denominateur, PairesIndexees, SecretOptions } from './secret.ts';

/**
 * Where the allocations of a year lie, for the coincidences between breakdowns (leak (d) of issue 12): a reader
 * who knows that a bailleur is the only one with QPV dwellings in a commune reads its QPV proposals in the
 * commune's; a contingent lying only with a bailleur whose count is published zero counts zero. The documents
 * publish no cross-tabulation (every indicator row is one perimeter of one breakdown: commune, QPV, bailleur,
 * contingent or contingent type), but where each partner has dwellings is public (RPLS, the conventions of
 * reservation), so the pass takes it as known. The engine reads it from the facts themselves (not from the
 * dwelling files), so that no pair is missing: a missing pair would split a group into a false equation.
 *
 * Stored compactly: one « place » per distinct (slice, commune, bailleur, contingent, QPV) of the allocations of
 * each denominator, the ids by index. The pairs of a period are derived when the pass asks for them.
 */
export interface CroisementsDuSecret {
  /** The perimeter ids the places refer to, by breakdown. */
  readonly communes: readonly string[];
  readonly bailleurs: readonly string[];
  readonly contingents: readonly string[];
  readonly qpv: readonly string[];
  /**
   * Per denominator (`cleDenominateur`: base and field of dwellings), the places of its allocations, flat:
   * [slice, commune, bailleur, contingent, qpv] for each, an index in the lists above or −1 when unknown / none.
   */
  readonly lieux: Readonly<Record<string, readonly number[]>>;
  /** The slices (quarters, numbered by the engine) each period of the year is made of. */
  readonly tranches: Readonly<Record<string, readonly number[]>>;
}

/** The key of a denominator in `lieux`: its counting base and field (the date follows the base in the facts). */
export const cleDenominateur = (d: Pick<Denominateur, 'base' | 'champ'>): string => `${d.base}:${d.champ}`;

const DIMENSIONS: readonly PerimeterType[] = ['commune', 'bailleur', 'contingent', 'qpv'];

/**
 * Places (all denominators and years of a document) above which the pairs are not handed to the pass. The EPCI demo
 * (36 000 places over four years) and the IDF demo (694 390 places over four years: 369 666 rows) are below: the IDF
 * publication with its pairs was measured to finish (bench/secret-croisements.ts, docs/BENCHMARKS.md) once the
 * zeros the groups fix were found by propagation and the per-pair keys became numbers (secret.ts). The bound keeps
 * a larger territory (a national one) from an unmeasured pass: there the pass writes no cross-dimension equation,
 * and docs/security.md says so.
 */
export const LIEUX_MAX = 1_000_000;

/**
 * The `croisements` option of the pass (secret.ts) from the places of one or several years (each period id belongs
 * to one year): for a denominator and a period, the distinct pairs of perimeters of two breakdowns sharing at least
 * one of its allocations. Undefined when no year carries places (then the pass writes no cross-dimension equation).
 */
export function croisementsDesAnnees(annees: readonly (CroisementsDuSecret | undefined)[], lieuxMax = LIEUX_MAX): SecretOptions['croisements'] {
  // Above the bound (larger than any measured territory) the pass writes no cross-dimension equation.
  const nombre = annees.reduce((n, c) => n + Object.values(c?.lieux ?? {}).reduce((m, l) => m + l.length / 5, 0), 0);
  if (nombre > lieuxMax) return undefined;
  const parPeriode = new Map<string, { c: CroisementsDuSecret; rang: ReadonlyMap<string, number>[] }>();
  for (const c of annees) {
    if (!c) continue;
    // Each perimeter's index in its breakdown's list, once per year: the pass maps its cells to the places' indices.
    const rang = [c.communes, c.bailleurs, c.contingents, c.qpv].map((ids) => new Map(ids.map((id, i) => [id, i])));
    for (const p of Object.keys(c.tranches)) parPeriode.set(p, { c, rang });
  }
  if (parPeriode.size === 0) return undefined;
  // The pass asks once per system (a denominator and its numerators share the pairs): the distinct pairs of a
  // denominator and period are worked out once and handed over by index (no object, no string per pair: a region's
  // publication has millions of pairs).
  const memo = new Map<string, PairesIndexees>();
  return (den, periode) => {
    const annee = parPeriode.get(periode);
    const cle = cleDenominateur(den);
    const lieux = annee?.c.lieux[cle];
    if (!annee || !lieux) return [];
    let paires = memo.get(`${cle}|${periode}`);
    if (!paires) memo.set(`${cle}|${periode}`, (paires = pairesIndexees(lieux, new Set(annee.c.tranches[periode] ?? []), annee.rang)));
    return paires;
  };
}

/**
 * The distinct pairs of the places in the slices, in the order they are first met (the pass's choices follow the
 * order of its equations: the same places give the same masks).
 */
function pairesIndexees(lieux: readonly number[], tranches: ReadonlySet<number>, rang: readonly ReadonlyMap<string, number>[]): PairesIndexees {
  const taille = Math.max(...rang.map((r) => r.size)) + 1;
  const vues = new EnsembleDeCodes();
  for (let i = 0; i + 4 < lieux.length; i += 5) {
    if (!tranches.has(lieux[i] as number)) continue;
    for (let x = 0; x < 4; x++) {
      const ix = lieux[i + 1 + x] as number;
      if (ix < 0) continue;
      for (let y = x + 1; y < 4; y++) {
        const iy = lieux[i + 1 + y] as number;
        // Exact below 2^53 for any territory (16 dimension pairs × ids²).
        if (iy >= 0) vues.ajouter(((x * 4 + y) * taille + ix) * taille + iy);
      }
    }
  }
  const n = vues.taille;
  const out = { types: DIMENSIONS, rang, dimensions: new Uint8Array(n), a: new Int32Array(n), b: new Int32Array(n) };
  let k = 0;
  for (const code of vues.codes()) {
    out.b[k] = code % taille;
    out.a[k] = Math.floor(code / taille) % taille;
    out.dimensions[k] = Math.floor(code / taille / taille);
    k++;
  }
  return out;
}

/**
 * A set of non-negative integer codes in typed arrays (open addressing), keeping the order they were first added: a
 * Set of numbers boxes each one beyond 2^30, and a period of a region adds millions.
 */
class EnsembleDeCodes {
  private table = new Float64Array(1 << 16).fill(-1);
  private ordre = new Float64Array(1 << 15);
  taille = 0;

  ajouter(code: number): void {
    const masque = this.table.length - 1;
    let h = EnsembleDeCodes.hacher(code) & masque;
    for (;;) {
      const v = this.table[h] as number;
      if (v === code) return;
      if (v === -1) break;
      h = (h + 1) & masque;
    }
    this.table[h] = code;
    if (this.taille === this.ordre.length) {
      const plus = new Float64Array(this.ordre.length * 2);
      plus.set(this.ordre);
      this.ordre = plus;
    }
    this.ordre[this.taille++] = code;
    // At half full, twice as large: the codes are placed again.
    if (this.taille * 2 > this.table.length) {
      this.table = new Float64Array(this.table.length * 2).fill(-1);
      const m = this.table.length - 1;
      for (let i = 0; i < this.taille; i++) {
        const c = this.ordre[i] as number;
        let j = EnsembleDeCodes.hacher(c) & m;
        while (this.table[j] !== -1) j = (j + 1) & m;
        this.table[j] = c;
      }
    }
  }

  codes(): Float64Array {
    return this.ordre.subarray(0, this.taille);
  }

  private static hacher(code: number): number {
    const bas = code >>> 0;
    const haut = Math.floor(code / 4294967296) >>> 0;
    return Math.imul(bas ^ Math.imul(haut, 0x85ebca6b), 0x9e3779b1) >>> 0;
  }
}
