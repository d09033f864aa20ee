import type { PerimeterType } from '../config/cia-config.ts';
import type { Base, Champ, Critere, DateComptage, LegalIndicatorDeclaration, LegalIndicatorId } from './declarations.ts';
import { LEGAL_DECLARATIONS } from './declarations.ts';
import type { PeriodeId } from './periods.ts';
import type { TypeContingent } from './perimeters.ts';
import { NON_RESERVE, NON_RESERVE_PREFIX, TERRITOIRE_ID } from './perimeters.ts';
import { relationsDesPeriodes } from './secret-periodes.ts';
import type { IndicatorRow } from './targets.ts';

/**
 * Statistical secrecy of published indicator tables (DOMAIN.md "Statistical secrecy"; issues 3 and 12).
 * Internal computations are never masked: this only shapes what is published (the public edition: CLI --secret,
 * the API for the `lecteur` role, the bilan's public edition).
 *
 * ONE pass over everything a document publishes together: all indicators, perimeters and periods, of every year
 * the document shows (the bilan shows the previous year; the twelve months to 30 June tie two years).
 *
 * Cells. A published count is a cell identified by what it counts, not by the row that prints it:
 * - the denominator of a row is the cell « base, date, champ » (the proposals dated by the CALEOL, in QPV…): the
 *   indicators sharing it (prioritaires, mutations, travailleurs_essentiels; qpv_hors_q1 and qpv_q3_q4; and, in a
 *   QPV perimeter, all of them: every proposal there is a proposal in QPV) print ONE cell, masked under all of
 *   them or none (leak (b) of issue 12);
 * - the numerator is the cell « base, date, champ, critère ».
 * The cells of one measure (a denominator or a numerator kind) form a system: its additive equations are
 * - each breakdown (commune, bailleur, contingent, contingent type; QPV for the QPV-counted measures) sums to the
 *   territory; contingents sum to their type; QPVs lying in one commune sum to it (`communeDuQpv`);
 * - the relations between periods (secret-periodes.ts: year = S1 + S2 = T1 + … + T4, S1 = T1 + T2, twelve months
 *   to 30 June N = S2 of N−1 + S1 of N…; leak (a));
 * - coincidences between dimensions (leak (d)): with `croisements` (which perimeters of two breakdowns share
 *   allocations of the measure's base in the period), each connected group of a commune × bailleur (…) graph
 *   gives Σ its communes = Σ its bailleurs: a reader who knows where each bailleur has dwellings writes it.
 * Systems do not share equations; they are tied only by counts a reader derives from two of them, each sensitive
 * when it is between 1 and seuil − 1:
 * - the complement denominator − numerator of a row (« 56 of 60 » reveals the 4 others);
 * - the difference of nested criteria over one denominator: qpv_hors_q1 − qpv_q3_q4 counts the Q2 households
 *   in QPV (leak (c)).
 * Since the systems are independent, such a derived count is determined iff each of its two terms is: it is safe
 * as soon as one term is masked and not determined within its own system.
 *
 * The pass. Primary: a cell is masked when 0 < count < seuil; a numerator is masked when its complement is
 * sensitive, and the inner numerator when a nested difference is; a masked denominator takes its numerators. Zeros
 * are published: they count no household. Secondary, per system: while an equation has exactly one masked term,
 * its smallest other positive part is masked (then a zero, then the total) — `masquageSecondaire`; then the exact
 * audit `cellulesDeterminees` (rational elimination over all the equations of the system at once) finds the masked
 * values still determined, and more is masked until none is. Denominator systems first, then numerators (outer
 * criteria before the nested ones), so no later step can unmask or expose an earlier one.
 *
 * Not covered (docs/indicators.md, docs/security.md): bounds (counts are ≥ 0), which narrow a masked value to an
 * interval without fixing it; relations involving three breakdowns at once (commune × bailleur × contingent
 * structural zeros beyond pairs).
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

/** What a denominator counts: the allocations of a base, dated one way, in a field of dwellings. */
export interface Denominateur {
  readonly base: Base;
  readonly date: DateComptage;
  readonly champ: Champ;
}

/** A perimeter, as a node of the cross-dimension graph. */
export interface PerimetreRef {
  readonly type: PerimeterType;
  readonly id: string;
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
   * Pairs of perimeters of two different breakdowns (commune, bailleur, contingent, qpv) that share at least one
   * allocation counted by the denominator in the period (leak (d)). Omitted: no cross-dimension equation.
   * A pair too many only joins two groups (fewer, still true equations); a missing pair could split a group
   * into a false equation, so the caller reads them from the allocations.
   */
  readonly croisements?: (denominateur: Denominateur, periode: PeriodeId) => Iterable<readonly [PerimetreRef, PerimetreRef]> | PairesIndexees | undefined;
  /**
   * The QPV perimeters the period counts out of QPV (assimilated sectors the CIA does not count as QPV): every
   * proposal there is out of QPV, so their « all proposals » cells are their « proposals out of QPV » ones, not
   * their « in QPV » ones. Omitted: every QPV counts as QPV. Taking such a sector for a QPV wrote a false
   * equation (the territory's proposals in QPV, zero, = the sector's) that made its masked count look determined
   * (the known leak of the engine's property test, seed 20261201: an artefact, not a disclosure, but a pass that
   * believes a cell is given back can no longer protect it, and its audit proves nothing).
   */
  readonly qpvHorsChamp?: (codeQpv: string, periode: PeriodeId) => boolean;
  /**
   * Run the exact audit when a system has at most this many masked values (default 5 000; the elimination is
   * sparse but may be cubic). Above, the equation rule alone applies.
   */
  readonly auditJusqua?: number;
  /** The declarations of the rows' indicators (core's by default; the engine may have been given others). */
  readonly declarations?: readonly LegalIndicatorDeclaration[];
}

/**
 * Pairs of perimeters by index (what `croisementsDesAnnees` hands over): pair k joins perimeter `a[k]` of breakdown
 * `types[dimensions[k] >> 2]` and perimeter `b[k]` of breakdown `types[dimensions[k] & 3]`, the indices being those
 * of `rang` (perimeter id → index, per breakdown). No object per pair: a region's publication has millions.
 */
export interface PairesIndexees {
  readonly types: readonly PerimeterType[];
  readonly rang: readonly ReadonlyMap<string, number>[];
  readonly dimensions: Uint8Array;
  readonly a: Int32Array;
  readonly b: Int32Array;
}

const estIndexe = (p: Iterable<readonly [PerimetreRef, PerimetreRef]> | PairesIndexees): p is PairesIndexees => 'dimensions' in p;

/** Additive equation over cell indices: value(total) + Σ value(autresTotaux) = Σ value(parts). */
export interface Equation {
  readonly total: number;
  readonly parts: readonly number[];
  /** More terms on the total's side (Σ communes of a group = Σ its bailleurs). */
  readonly autresTotaux?: readonly number[];
}

/** A cell of a system: one count, of one perimeter and period. */
export interface CelluleDuSecret {
  readonly perimetre_type: PerimeterType;
  readonly perimetre_id: string;
  readonly periode: PeriodeId;
  readonly valeur: number;
}

/** The cells of one measure (a denominator, or a numerator: a denominator and a criterion) and their equations. */
export interface SecretSystem {
  readonly mesure: string;
  readonly denominateur: Denominateur;
  /** Null for the denominator's system. */
  readonly critere: Critere | null;
  readonly cellules: readonly CelluleDuSecret[];
  readonly equations: readonly Equation[];
  /**
   * When the equations depend on what is published (the cross-dimension groups of a numerator split at the zeros
   * a reader sees): the equations for given masks. `equations` are then those with nothing masked.
   */
  readonly selonMasques?: (masques: readonly (Masque | null)[]) => Equation[];
  /** With `selonMasques`: the cells of the same period sharing allocations with a cell (its pairs across breakdowns). */
  readonly partenaires?: (cellule: number) => readonly number[];
}

/** Where a row's counts live: [system index, cell index]. */
type Adresse = readonly [number, number];

/** The whole structure of a document: the systems, and each row's two cells. */
export interface StructureDuSecret {
  readonly systemes: readonly SecretSystem[];
  readonly lignes: readonly { readonly den: Adresse; readonly num: Adresse }[];
  /** Nested criteria over one denominator: the outer numerator minus the inner one counts households. */
  readonly differences: readonly { readonly grand: Adresse; readonly petit: Adresse }[];
}

/**
 * Criteria nested over one denominator, [outer, inner]: hors_q1 (Q2, Q3, Q4) contains q3_q4, so their difference
 * is the number of Q2 households (leak (c) of issue 12).
 */
export const CRITERES_EMBOITES: readonly (readonly [Critere, Critere])[] = [['hors_q1', 'q3_q4']];

const BREAKDOWNS: readonly PerimeterType[] = ['commune', 'bailleur', 'contingent', 'type_contingent'];
const CROISABLES: readonly PerimeterType[] = ['commune', 'bailleur', 'contingent', 'qpv'];
const mesureDen = (d: Denominateur) => `${d.base}:${d.date}:${d.champ}`;
const cellKey = (type: string, id: string, p: string) => `${type}\u0000${id}\u0000${p}`;

/**
 * The field of dwellings a row's denominator counts in. In a QPV perimeter every dwelling is in that QPV: « all
 * proposals in QPV X » (prioritaires) and « proposals in QPV, in QPV X » (qpv_hors_q1) are one count (leak (b) of
 * issue 12) — or, for an assimilated sector the period counts out of QPV, « all proposals » and « proposals out of
 * QPV » (hors_qpv_q1) are.
 */
function champDeLaLigne(
  r: Pick<IndicatorRow, 'perimetre_type' | 'perimetre_id' | 'periode'>,
  champ: Champ,
  qpvHorsChamp: SecretOptions['qpvHorsChamp'],
): Champ {
  if (r.perimetre_type !== 'qpv' || champ !== 'tout') return champ;
  return qpvHorsChamp?.(r.perimetre_id, r.periode) ? 'hors_qpv' : 'qpv';
}

/**
 * The systems of the rows (see the header): one per denominator and one per numerator kind, over all the rows'
 * periods and years, with their equations; and where each row's counts are.
 */
export function structureDuSecret(
  rows: readonly IndicatorRow[],
  options: Pick<SecretOptions, 'typeContingent' | 'communeDuQpv' | 'croisements' | 'qpvHorsChamp' | 'declarations'> = {},
): StructureDuSecret {
  const declarations = new Map((options.declarations ?? LEGAL_DECLARATIONS).map((d) => [d.id, d]));
  // A system's cells by « perimeter and period » (a number per distinct one: `lieu`), in the order of the rows.
  const builders = new Map<string, { den: Denominateur; critere: Critere | null; cellules: CelluleDuSecret[]; index: Map<number, number> }>();
  const lieux = new Map<string, number>();
  const systemOf = (den: Denominateur, critere: Critere | null) => {
    const mesure = critere === null ? `den:${mesureDen(den)}` : `num:${mesureDen(den)}:${critere}`;
    if (!builders.has(mesure)) builders.set(mesure, { den, critere, cellules: [], index: new Map() });
    return mesure;
  };
  // The two systems of each indicator and field of dwellings, worked out once (not once per row).
  const mesures = new Map<string, { md: string; mn: string }>();
  const cell = (mesure: string, r: IndicatorRow, lieu: number, valeur: number, what: string): number => {
    const b = builders.get(mesure) as NonNullable<ReturnType<typeof builders.get>>;
    const i = b.index.get(lieu);
    if (i !== undefined) {
      const known = (b.cellules[i] as CelluleDuSecret).valeur;
      if (known !== valeur)
        throw new Error(`secret statistique : ${what} de ${r.perimetre_type} ${r.perimetre_id} (${r.periode}) vaut ${known} et ${valeur} selon l’indicateur ${r.indicateur}`);
      return i;
    }
    b.index.set(lieu, b.cellules.length);
    b.cellules.push({ perimetre_type: r.perimetre_type, perimetre_id: r.perimetre_id, periode: r.periode, valeur });
    return b.cellules.length - 1;
  };
  const lignesM: { den: [string, number]; num: [string, number] }[] = [];
  for (const r of rows) {
    const d = declarations.get(r.indicateur);
    if (!d) throw new Error(`secret statistique : indicateur non déclaré « ${r.indicateur} »`);
    const champ = champDeLaLigne(r, d.champ, options.qpvHorsChamp);
    let m = mesures.get(`${r.indicateur}:${champ}`);
    if (!m) {
      const den: Denominateur = { base: d.base, date: d.date, champ };
      mesures.set(`${r.indicateur}:${champ}`, (m = { md: systemOf(den, null), mn: systemOf(den, d.critere) }));
    }
    const k = cellKey(r.perimetre_type, r.perimetre_id, r.periode);
    let lieu = lieux.get(k);
    if (lieu === undefined) lieux.set(k, (lieu = lieux.size));
    lignesM.push({ den: [m.md, cell(m.md, r, lieu, r.denominateur, 'le dénominateur')], num: [m.mn, cell(m.mn, r, lieu, r.numerateur, 'le numérateur')] });
  }
  // Systems in processing order: denominators, then numerators with the outer criteria before the nested ones.
  const profondeur = (c: Critere | null) => (c === null ? 0 : 1 + CRITERES_EMBOITES.filter(([, inner]) => inner === c).length);
  const ordre = [...builders.entries()].sort(([, a], [, b]) => profondeur(a.critere) - profondeur(b.critere));
  const position = new Map(ordre.map(([m], i) => [m, i]));
  // A perimeter that counted no allocation (denominator 0) is known to count zero of everything: its cells are
  // constants, never masked, and leave the equations (a masked zero there would be recovered anyway).
  const nuls = new Map<string, Set<number>>();
  for (const l of lignesM) {
    const den = builders.get(l.den[0]);
    if ((den?.cellules[l.den[1]] as CelluleDuSecret).valeur !== 0) continue;
    for (const [m, c] of [l.den, l.num]) nuls.set(m, (nuls.get(m) ?? new Set()).add(c));
  }
  const systemes = ordre.map(([mesure, b]): SecretSystem => {
    const { selon, partenaires } = equationsDuSysteme(b.cellules, b.den, options);
    let equations: Equation[] | undefined;
    return {
      mesure,
      denominateur: b.den,
      critere: b.critere,
      cellules: b.cellules,
      // Worked out when asked: the pass asks a numerator system with cross-dimension groups for `selonMasques` only.
      get equations() {
        return (equations ??= sansConstantes(selon(() => false), nuls.get(mesure)));
      },
      // A reader splits the groups of two breakdowns at the zeros it sees published, not at the masked ones.
      ...(options.croisements && b.critere !== null
        ? {
            selonMasques: (masques: readonly (Masque | null)[]) => sansConstantes(selon((i) => masques[i] !== null), nuls.get(mesure)),
            partenaires,
          }
        : {}),
    };
  });
  const adresse = ([m, c]: [string, number]): Adresse => [position.get(m) as number, c];
  const lignes = lignesM.map((l) => ({ den: adresse(l.den), num: adresse(l.num) }));
  const differences: { grand: Adresse; petit: Adresse }[] = [];
  for (const [outer, inner] of CRITERES_EMBOITES) {
    for (const [mesure, b] of builders) {
      if (b.critere !== outer) continue;
      const innerMesure = `num:${mesureDen(b.den)}:${inner}`;
      const other = builders.get(innerMesure);
      if (!other) continue;
      for (const [lieu, i] of b.index) {
        const j = other.index.get(lieu);
        if (j !== undefined) differences.push({ grand: adresse([mesure, i]), petit: adresse([innerMesure, j]) });
      }
    }
  }
  return { systemes, lignes, differences };
}

/**
 * The equations without the cells known to be zero. What remains of an equation is still known to the reader and
 * is kept: « Σ totals = 0 » when its parts were all zeros, « Σ parts = 0 » (written with the parts as totals) when
 * its totals were. Dropping them lost, for one, the « x = 0 » of a perimeter that shares nothing with a breakdown
 * (equationsDeCroisement): the reader who knows x = 0 in S1 reads S2 = year − 0 (the threshold-5 leak of issue 12,
 * seed −203342998 of secret-fuites.test.ts).
 */
function sansConstantes(equations: readonly Equation[], nuls: ReadonlySet<number> | undefined): Equation[] {
  if (!nuls || nuls.size === 0) return [...equations];
  const out: Equation[] = [];
  for (const eq of equations) {
    // Most equations hold no constant: kept as they are (no copy at each round of the pass).
    if (!nuls.has(eq.total) && !eq.parts.some((c) => nuls.has(c)) && !(eq.autresTotaux ?? []).some((c) => nuls.has(c))) {
      out.push(eq);
      continue;
    }
    const gauche = totaux(eq).filter((c) => !nuls.has(c));
    const droite = eq.parts.filter((c) => !nuls.has(c));
    const [total, ...autres] = gauche.length > 0 ? gauche : droite;
    if (total === undefined) continue;
    const parts = gauche.length > 0 ? droite : [];
    out.push(autres.length > 0 ? { total, parts, autresTotaux: autres } : { total, parts });
  }
  return out;
}

/**
 * The equations among the cells of one measure (see the header), as a function of what is masked: only the
 * cross-dimension groups depend on it (a reader splits them at the zeros it sees published), so everything else —
 * and the pairs of cells the groups are made of — is worked out once per system.
 */
function equationsDuSysteme(
  cells: readonly CelluleDuSecret[],
  den: Denominateur,
  options: Pick<SecretOptions, 'typeContingent' | 'communeDuQpv' | 'croisements'>,
): { selon: (masque: (cellule: number) => boolean) => Equation[]; partenaires: (cellule: number) => readonly number[] } {
  // Each perimeter's cells by period (in the order of the cells: the relations between periods follow it).
  const parPerimetre = new Map<string, Map<string, number>>();
  cells.forEach((r, i) => {
    const k = `${r.perimetre_type}\u0000${r.perimetre_id}`;
    const m = parPerimetre.get(k);
    if (m) m.set(r.periode, i);
    else parPerimetre.set(k, new Map([[r.periode, i]]));
  });
  const at = (type: string, id: string, p: string) => parPerimetre.get(`${type}\u0000${id}`)?.get(p);
  const periodes = [...new Set(cells.map((r) => r.periode))];
  // A perimeter without a row in a period the document shows counted nothing: a missing part is a zero.
  const push = (equations: Equation[], total: number | undefined, parts: readonly (number | undefined)[]) => {
    const defined = parts.filter((p): p is number => p !== undefined);
    if (total !== undefined && defined.length > 0) equations.push({ total, parts: defined });
  };
  const champQpv = den.champ === 'qpv';
  const breakdowns: readonly PerimeterType[] = champQpv ? [...BREAKDOWNS, 'qpv'] : BREAKDOWNS;
  // The cells of each period and perimeter type, read once (the loops below ask for them many times).
  const parPeriode = new Map<string, Map<PerimeterType, number[]>>();
  cells.forEach((r, i) => {
    let types = parPeriode.get(r.periode);
    if (!types) parPeriode.set(r.periode, (types = new Map()));
    const list = types.get(r.perimetre_type);
    if (list) list.push(i);
    else types.set(r.perimetre_type, [i]);
  });
  // The breakdown of each cell that can be crossed (its index in CROISABLES), −1 for the others.
  const dimension = Int8Array.from(cells, (c) => CROISABLES.indexOf(c.perimetre_type));
  // Per period: the equations that do not depend on the masks, then the cross-dimension ones that do.
  const blocs: { fixes: Equation[]; croisements: CroisementsDeLaPeriode | null }[] = [];
  for (const p of periodes) {
    const fixes: Equation[] = [];
    const ofType = (type: PerimeterType): readonly number[] => parPeriode.get(p)?.get(type) ?? [];
    for (const type of breakdowns) push(fixes, at('territoire', TERRITOIRE_ID, p), ofType(type));
    // Contingents nested in their type.
    const parType = new Map<string, number[]>();
    for (const i of ofType('contingent')) {
      const id = (cells[i] as CelluleDuSecret).perimetre_id;
      const type = id.startsWith(NON_RESERVE_PREFIX) ? NON_RESERVE : options.typeContingent?.(id);
      if (!type) continue;
      const list = parType.get(type);
      if (list) list.push(i);
      else parType.set(type, [i]);
    }
    for (const [type, parts] of parType) push(fixes, at('type_contingent', type, p), parts);
    // QPVs nested in their commune, for the measures counted in QPV dwellings only.
    if (champQpv && options.communeDuQpv) {
      const parCommune = new Map<string, number[]>();
      for (const i of ofType('qpv')) {
        const commune = options.communeDuQpv((cells[i] as CelluleDuSecret).perimetre_id, p);
        if (!commune) continue;
        const list = parCommune.get(commune);
        if (list) list.push(i);
        else parCommune.set(commune, [i]);
      }
      for (const [commune, parts] of parCommune) push(fixes, at('commune', commune, p), parts);
    }
    // Coincidences between two breakdowns: the pairs of cells of the period that share allocations.
    const paires = options.croisements?.(den, p);
    const croisements = paires ? pairesDeCellules(paires, cells, champQpv, ofType) : null;
    blocs.push({ fixes, croisements });
  }
  // Periods: for each perimeter, the relations among the periods the document shows.
  const relations: Equation[] = [];
  const relationsDeP = relationsDesPeriodes(periodes);
  for (const m of parPerimetre.values()) for (const rel of relationsDeP) push(relations, m.get(rel.total), rel.parts.map((q) => m.get(q)));
  const selon = (masque: (cellule: number) => boolean) => {
    // A perimeter whose count is zero counts nothing in the measure: it joins no group (the reader sees the zero).
    const compte = (i: number) => (cells[i] as CelluleDuSecret).valeur !== 0 || masque(i);
    const equations: Equation[] = [];
    // One union-find per pair of breakdowns, over cell indices (−1: not in the graph), shared by the periods.
    const graphes: (Int32Array | undefined)[] = [];
    // Loops, not push(...list): the lists of a region are long.
    for (const { fixes, croisements } of blocs) {
      for (const eq of fixes) equations.push(eq);
      if (croisements) for (const eq of equationsDeCroisement(croisements, dimension, compte, graphes)) equations.push(eq);
    }
    for (const eq of relations) equations.push(eq);
    return equations;
  };
  // The pairs of each cell, in the order of the pairs (the pass takes the first that fits), read when first asked.
  let voisins: { debut: Int32Array; liste: Int32Array } | null = null;
  const partenaires = (cellule: number): readonly number[] => {
    if (!voisins) {
      const debut = new Int32Array(cells.length + 1);
      for (const { croisements: c } of blocs)
        for (let k = 0; c && k < c.n; k++) {
          const a = (c.pa[k] as number) + 1;
          const b = (c.pb[k] as number) + 1;
          debut[a] = (debut[a] as number) + 1;
          debut[b] = (debut[b] as number) + 1;
        }
      for (let i = 0; i < cells.length; i++) debut[i + 1] = (debut[i + 1] as number) + (debut[i] as number);
      const liste = new Int32Array(debut[cells.length] as number);
      const fin = debut.slice(0, cells.length);
      for (const { croisements: c } of blocs)
        for (let k = 0; c && k < c.n; k++) {
          const a = c.pa[k] as number;
          const b = c.pb[k] as number;
          liste[fin[a] as number] = b;
          liste[fin[b] as number] = a;
          fin[a] = (fin[a] as number) + 1;
          fin[b] = (fin[b] as number) + 1;
        }
      voisins = { debut, liste };
    }
    return Array.from(voisins.liste.subarray(voisins.debut[cellule], voisins.debut[cellule + 1]));
  };
  return { selon, partenaires };
}

/**
 * The pairs of perimeters of a period as pairs of cells of the system (`CroisementsDeLaPeriode`). A cell whose
 * partner in a pair has no cell here (the system does not count that breakdown: the criterion « prioritaire » over
 * proposals in QPV is published for QPV perimeters only; or the document leaves the perimeter out) is in a group
 * the reader cannot sum: no equation for that pair of breakdowns touches it. Taking it for a perimeter that shares
 * nothing wrote a false « x = 0 » (the engine's property test, seed 20261201: a QPV's « prioritaires » numerators
 * were « recovered » as zero, and could not be protected).
 */
function pairesDeCellules(
  paires: Iterable<readonly [PerimetreRef, PerimetreRef]> | PairesIndexees,
  cells: readonly CelluleDuSecret[],
  champQpv: boolean,
  ofType: (type: PerimeterType) => readonly number[],
): CroisementsDeLaPeriode {
  const types = CROISABLES.filter((t) => champQpv || t !== 'qpv');
  const pa: number[] = [];
  const pb: number[] = [];
  const g: number[] = [];
  const incomplets = new Set<number>();
  // A pair of cells i (of breakdown ti) and j (of tj), or undefined when the perimeter has no cell here.
  const ajouter = (ti: PerimeterType, i: number | undefined, tj: PerimeterType, j: number | undefined) => {
    const [t1, t2] = ti < tj ? [ti, tj] : [tj, ti];
    const cle = clePaireDeTypes(t1, t2);
    if (i === undefined || j === undefined) {
      if (i !== undefined) incomplets.add(cle * cells.length + i);
      if (j !== undefined) incomplets.add(cle * cells.length + j);
      return;
    }
    pa.push(ti < tj ? i : j);
    pb.push(ti < tj ? j : i);
    g.push(cle);
  };
  if (estIndexe(paires)) {
    // The period's cells by breakdown and perimeter index (an index read once per cell, not once per pair).
    const cellDe = paires.types.map((type, d) => {
      const out = new Int32Array(paires.rang[d]?.size ?? 0).fill(-1);
      if (!types.includes(type)) return out;
      for (const i of ofType(type)) {
        const k = paires.rang[d]?.get((cells[i] as CelluleDuSecret).perimetre_id);
        if (k !== undefined) out[k] = i;
      }
      return out;
    });
    // Per pair of breakdowns (16 codes): crossed by the system or not, its key and which side sorts first.
    const croise: boolean[] = [];
    const cles: number[] = [];
    const dansLOrdre: boolean[] = [];
    for (let dims = 0; dims < 16; dims++) {
      const tx = paires.types[dims >> 2];
      const ty = paires.types[dims & 3];
      // A pair with a breakdown the system does not cross (QPV outside the QPV-counted measures) writes nothing.
      croise.push(tx !== undefined && ty !== undefined && tx !== ty && types.includes(tx) && types.includes(ty));
      dansLOrdre.push(tx !== undefined && ty !== undefined && tx < ty);
      cles.push(tx !== undefined && ty !== undefined ? (tx < ty ? clePaireDeTypes(tx, ty) : clePaireDeTypes(ty, tx)) : -1);
    }
    const nombre = cells.length;
    for (let k = 0; k < paires.a.length; k++) {
      const dims = paires.dimensions[k] as number;
      if (!croise[dims]) continue;
      const i = (cellDe[dims >> 2] as Int32Array)[paires.a[k] as number] as number;
      const j = (cellDe[dims & 3] as Int32Array)[paires.b[k] as number] as number;
      const cle = cles[dims] as number;
      if (i < 0 || j < 0) {
        if (i >= 0) incomplets.add(cle * nombre + i);
        if (j >= 0) incomplets.add(cle * nombre + j);
        continue;
      }
      const ordre = dansLOrdre[dims] as boolean;
      pa.push(ordre ? i : j);
      pb.push(ordre ? j : i);
      g.push(cle);
    }
  } else {
    // The period's cells by type and id.
    const ici = new Map(types.map((type) => [type, new Map(ofType(type).map((i) => [(cells[i] as CelluleDuSecret).perimetre_id, i]))]));
    for (const [a, b] of paires) {
      if (a.type === b.type || !types.includes(a.type) || !types.includes(b.type)) continue;
      ajouter(a.type, ici.get(a.type)?.get(a.id), b.type, ici.get(b.type)?.get(b.id));
    }
  }
  return { n: pa.length, pa: Int32Array.from(pa), pb: Int32Array.from(pb), g: Uint8Array.from(g), noeuds: types.flatMap((type) => ofType(type)), types, incomplets };
}

/**
 * Numbers, not strings, for the keys the cross-dimension loops build once per pair (a region's publication has
 * millions of pairs: the string keys were most of the pass's time there). A pair of breakdowns [ta, tb] (ta < tb,
 * both in CROISABLES), then a cell of it.
 */
const clePaireDeTypes = (ta: PerimeterType, tb: PerimeterType): number => CROISABLES.indexOf(ta) * CROISABLES.length + CROISABLES.indexOf(tb);

/** The cells of a period that two breakdowns tie, in typed arrays (the pass reads them at each of its rounds). */
interface CroisementsDeLaPeriode {
  /** Pair k: cell pa[k] of the type whose name sorts first, cell pb[k] of the other, `g[k]` their `clePaireDeTypes`. */
  readonly n: number;
  readonly pa: Int32Array;
  readonly pb: Int32Array;
  readonly g: Uint8Array;
  /** The cells of the period of the breakdowns that can be crossed (`types`). */
  readonly noeuds: readonly number[];
  readonly types: readonly PerimeterType[];
  /** clePaireDeTypes × cells + cell: the cells sharing allocations with a perimeter of the other type that has no cell here. */
  readonly incomplets: ReadonlySet<number>;
}

/**
 * The equations of the bipartite graphs between two breakdowns, over the cells that count something (`compte`):
 * in a connected group, every allocation counted on one side is counted on the other, so Σ A = Σ B; and a
 * perimeter that counts something but shares nothing with the other breakdown counts zero there (x = 0): the
 * reader knows it, and the pass must too. A group that is the whole graph repeats the territory's equation.
 * `graphes` are the union-find arrays of the pairs of breakdowns (by `clePaireDeTypes`), all −1 on entry and on exit.
 */
function equationsDeCroisement(
  croisements: CroisementsDeLaPeriode,
  dimension: Int8Array,
  compte: (cellule: number) => boolean,
  graphes: (Int32Array | undefined)[],
): Equation[] {
  const nombre = dimension.length;
  const find = (parent: Int32Array, k: number): number => {
    let r = k;
    while (parent[r] !== r) r = parent[r] as number;
    while (parent[k] !== r) {
      const suivant = parent[k] as number;
      parent[k] = r;
      k = suivant;
    }
    return r;
  };
  // The nodes of each graph in the order they join it, the graphs in the order of their first pair.
  const ordres = new Map<number, number[]>();
  const { pa, pb, g: gs } = croisements;
  for (let k = 0; k < croisements.n; k++) {
    const a = pa[k] as number;
    const b = pb[k] as number;
    if (!compte(a) || !compte(b)) continue;
    const g = gs[k] as number;
    let parent = graphes[g];
    if (!parent) graphes[g] = parent = new Int32Array(nombre).fill(-1);
    let ordre = ordres.get(g);
    if (!ordre) ordres.set(g, (ordre = []));
    if (parent[a] === -1) {
      parent[a] = a;
      ordre.push(a);
    }
    if (parent[b] === -1) {
      parent[b] = b;
      ordre.push(b);
    }
    parent[find(parent, a)] = find(parent, b);
  }
  const out: Equation[] = [];
  const { types, incomplets } = croisements;
  // « Shares nothing with the other breakdown » is known only of a breakdown the system counts in the period.
  const presents = new Set(croisements.noeuds.map((n) => CROISABLES[dimension[n] as number]));
  for (const ta of types)
    for (const tb of types) {
      if (ta >= tb || !presents.has(ta) || !presents.has(tb)) continue;
      const g = clePaireDeTypes(ta, tb);
      const parent = ordres.has(g) ? graphes[g] : undefined;
      for (const n of croisements.noeuds) {
        const t = CROISABLES[dimension[n] as number];
        if ((t !== ta && t !== tb) || !compte(n) || (parent !== undefined && parent[n] !== -1) || incomplets.has(g * nombre + n)) continue;
        out.push({ total: n, parts: [] });
      }
    }
  for (const [g, ordre] of ordres) {
    const parent = graphes[g] as Int32Array;
    const dimA = Math.floor(g / CROISABLES.length);
    const groupes = new Map<number, { a: number[]; b: number[] }>();
    for (const k of ordre) {
      const root = find(parent, k);
      let grp = groupes.get(root);
      if (!grp) groupes.set(root, (grp = { a: [], b: [] }));
      (dimension[k] === dimA ? grp.a : grp.b).push(k);
    }
    for (const k of ordre) parent[k] = -1;
    for (const { a, b } of groupes.values()) {
      const [total, ...autres] = a;
      if (total === undefined || b.length === 0) continue;
      if (a.some((n) => incomplets.has(g * nombre + n)) || b.some((n) => incomplets.has(g * nombre + n))) continue;
      out.push(autres.length > 0 ? { total, parts: b, autresTotaux: autres } : { total, parts: b });
    }
  }
  return out;
}

/** The terms of the total's side of an equation. */
const totaux = (eq: Equation): readonly number[] => (eq.autresTotaux ? [eq.total, ...eq.autresTotaux] : [eq.total]);

/**
 * Extends `masked` until no equation has exactly one masked term (see the header). `values` are the counts
 * of the system (denominators or numerators); the smallest positive candidate is chosen, then a zero, then the total.
 */
export function masquageSecondaire(values: readonly number[], masked: (Masque | null)[], equations: readonly Equation[]): void {
  const ofCell: number[][] = values.map(() => []);
  equations.forEach((eq, e) => {
    for (const t of totaux(eq)) ofCell[t]?.push(e);
    for (const part of eq.parts) ofCell[part]?.push(e);
  });
  const unknown = equations.map((eq) => [...totaux(eq), ...eq.parts].filter((c) => masked[c] !== null).length);
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
      list = [...eq.parts, ...(eq.autresTotaux ?? [])].sort((a, b) => rank(a) - rank(b) || a - b);
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
  // The same elimination in floating-point numbers while every coefficient stays an integer below 2^52 (exact: the
  // coefficients of these equations are ±1 and stay small), several times faster than on bigints; the first
  // coefficient out of that range starts it again on bigints. Same steps, same order: the same answer.
  try {
    return determineesEnEntiersSurs(masked, equations);
  } catch (e) {
    if (e !== DEPASSEMENT) throw e;
  }
  const rows: Map<number, bigint>[] = [];
  for (const eq of equations) {
    const row = new Map<number, bigint>();
    const add = (c: number, v: bigint) => {
      if (masked[c] === null) return;
      const next = (row.get(c) ?? 0n) + v;
      if (next === 0n) row.delete(c);
      else row.set(c, next);
    };
    for (const t of totaux(eq)) add(t, 1n);
    for (const part of eq.parts) add(part, -1n);
    if (row.size > 0) rows.push(row);
  }
  // Short rows first: they make short pivots and keep the fill-in low.
  rows.sort((a, b) => a.size - b.size);
  const pivots: { col: number; row: Map<number, bigint> }[] = [];
  const pivotOf = new Map<number, { col: number; row: Map<number, bigint> }>();
  // Which pivot rows hold a column: the reduction touches only them.
  const holders = new Map<number, Set<{ col: number; row: Map<number, bigint> }>>();
  const hold = (p: { col: number; row: Map<number, bigint> }) => {
    for (const c of p.row.keys()) {
      let set = holders.get(c);
      if (!set) holders.set(c, (set = new Set()));
      set.add(p);
    }
  };
  const unhold = (p: { col: number; row: Map<number, bigint> }) => {
    for (const c of p.row.keys()) holders.get(c)?.delete(p);
  };
  for (const original of rows) {
    let row = original;
    // Reduce by the pivots whose column the row holds, until none remains (pivot rows are reduced, so each
    // elimination adds no other pivot column).
    for (;;) {
      let col: number | undefined;
      for (const c of row.keys()) if (pivotOf.has(c)) {
        col = c;
        break;
      }
      if (col === undefined) break;
      const pivot = pivotOf.get(col) as { col: number; row: Map<number, bigint> };
      row = eliminate(row, pivot.row, col, row.get(col) as bigint);
    }
    if (row.size === 0) continue;
    let col = -1;
    for (const c of row.keys()) if (col < 0 || c < col) col = c;
    const nouveau = { col, row };
    // Keep the echelon form reduced: clear the new pivot column from the earlier pivot rows.
    for (const pivot of [...(holders.get(col) ?? [])]) {
      const coef = pivot.row.get(col);
      if (coef === undefined) continue;
      unhold(pivot);
      pivot.row = eliminate(pivot.row, row, col, coef);
      hold(pivot);
    }
    pivots.push(nouveau);
    pivotOf.set(col, nouveau);
    hold(nouveau);
  }
  return pivots.filter((p) => p.row.size === 1).map((p) => p.col);
}

/** Thrown by the floating-point elimination when a coefficient leaves the range where it is exact. */
const DEPASSEMENT = new Error('secret statistique : coefficient hors des entiers sûrs');
const ENTIER_SUR = 2 ** 52;

/**
 * `cellulesDeterminees` on numbers, DEPASSEMENT as soon as a coefficient reaches 2^52. Rows are sorted typed arrays
 * (columns, coefficients): merging two is a walk, with no map entry to allocate. A row is reduced by the pivots in
 * the order of its columns rather than of its terms: the reduced row is the same up to its sign (the pivot rows are
 * kept reduced), so the pivots, their order and the answer are those of the bigint elimination.
 */
function determineesEnEntiersSurs(masked: readonly (Masque | null)[], equations: readonly Equation[]): number[] {
  const rows: Ligne[] = [];
  // The masked terms of an equation, each one number (2 × column, + 1 on the parts' side: no pair allocated per term,
  // the audit builds its rows again at every round), sorted, then summed by column; the zero sums dropped.
  const termes: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (const eq of equations) {
    termes.length = 0;
    if (masked[eq.total] !== null) termes.push(eq.total * 2);
    for (const t of eq.autresTotaux ?? []) if (masked[t] !== null) termes.push(t * 2);
    for (const part of eq.parts) if (masked[part] !== null) termes.push(part * 2 + 1);
    if (termes.length === 0) continue;
    termes.sort((x, y) => x - y);
    cols.length = 0;
    vals.length = 0;
    for (let k = 0; k < termes.length; ) {
      const c = Math.floor((termes[k] as number) / 2);
      let v = 0;
      for (; k < termes.length && Math.floor((termes[k] as number) / 2) === c; k++) v += (termes[k] as number) % 2 === 0 ? 1 : -1;
      if (v === 0) continue;
      cols.push(c);
      vals.push(v);
    }
    if (cols.length === 0) continue;
    rows.push({ cols: Int32Array.from(cols), vals: Float64Array.from(vals) });
  }
  rows.sort((x, y) => x.cols.length - y.cols.length);
  type Pivot = { col: number; row: Ligne };
  const pivots: Pivot[] = [];
  // By column (cell index): its pivot, and the pivot rows that hold it.
  const pivotOf: (Pivot | undefined)[] = new Array(masked.length);
  const holders: (Set<Pivot> | undefined)[] = new Array(masked.length);
  const hold = (p: Pivot) => {
    for (const c of p.row.cols) {
      let set = holders[c];
      if (!set) holders[c] = set = new Set();
      set.add(p);
    }
  };
  const unhold = (p: Pivot) => {
    for (const c of p.row.cols) holders[c]?.delete(p);
  };
  for (const original of rows) {
    let row = original;
    for (;;) {
      let k = 0;
      while (k < row.cols.length && pivotOf[row.cols[k] as number] === undefined) k++;
      if (k === row.cols.length) break;
      const pivot = pivotOf[row.cols[k] as number] as Pivot;
      row = eliminerLigne(row, pivot.row, row.cols[k] as number, row.vals[k] as number);
    }
    if (row.cols.length === 0) continue;
    const col = row.cols[0] as number;
    const nouveau = { col, row };
    for (const pivot of [...(holders[col] ?? [])]) {
      const k = indexDe(pivot.row.cols, col);
      if (k < 0) continue;
      unhold(pivot);
      pivot.row = eliminerLigne(pivot.row, row, col, pivot.row.vals[k] as number);
      hold(pivot);
    }
    pivots.push(nouveau);
    pivotOf[col] = nouveau;
    hold(nouveau);
  }
  return pivots.filter((p) => p.row.cols.length === 1).map((p) => p.col);
}

/** A sparse row: its columns in increasing order, and their integer coefficients. */
interface Ligne {
  readonly cols: Int32Array;
  readonly vals: Float64Array;
}

/** The position of a column in a row's sorted columns, −1 when absent. */
function indexDe(cols: Int32Array, col: number): number {
  let lo = 0;
  let hi = cols.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = cols[mid] as number;
    if (c === col) return mid;
    if (c < col) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** row × p − pivot × coef (p: the pivot's coefficient at col), divided by the gcd; DEPASSEMENT from 2^52 on. */
function eliminerLigne(row: Ligne, pivot: Ligne, col: number, coef: number): Ligne {
  const p = pivot.vals[indexDe(pivot.cols, col)] as number;
  // The size of the result first (a walk without writing), so that each row is allocated once at its size: at
  // regional scale the audit merges millions of rows, and a second copy of each (`slice`) was most of its garbage.
  const n = tailleDeLElimination(row, pivot, p, coef);
  const cols = new Int32Array(n);
  const vals = new Float64Array(n);
  let i = 0;
  let j = 0;
  let k = 0;
  let g = 0;
  while (i < row.cols.length || j < pivot.cols.length) {
    const ci = i < row.cols.length ? (row.cols[i] as number) : Number.MAX_SAFE_INTEGER;
    const cj = j < pivot.cols.length ? (pivot.cols[j] as number) : Number.MAX_SAFE_INTEGER;
    let c: number;
    let x = 0;
    let y = 0;
    if (ci <= cj) {
      c = ci;
      x = (row.vals[i++] as number) * p;
    } else c = cj;
    if (cj === c) y = (pivot.vals[j++] as number) * coef;
    const v = x - y;
    if (x >= ENTIER_SUR || x <= -ENTIER_SUR || y >= ENTIER_SUR || y <= -ENTIER_SUR || v >= ENTIER_SUR || v <= -ENTIER_SUR) throw DEPASSEMENT;
    if (v === 0) continue;
    cols[k] = c;
    vals[k++] = v;
    g = pgcd(g, v < 0 ? -v : v);
  }
  if (g > 1) for (let t = 0; t < k; t++) vals[t] = (vals[t] as number) / g;
  return { cols, vals };
}

/** The number of non-zero terms of row × p − pivot × coef (the same walk as `eliminerLigne`, nothing written). */
function tailleDeLElimination(row: Ligne, pivot: Ligne, p: number, coef: number): number {
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < row.cols.length || j < pivot.cols.length) {
    const ci = i < row.cols.length ? (row.cols[i] as number) : Number.MAX_SAFE_INTEGER;
    const cj = j < pivot.cols.length ? (pivot.cols[j] as number) : Number.MAX_SAFE_INTEGER;
    let x = 0;
    let y = 0;
    const c = ci <= cj ? ci : cj;
    if (ci === c) x = (row.vals[i++] as number) * p;
    if (cj === c) y = (pivot.vals[j++] as number) * coef;
    if (x - y !== 0) k++;
  }
  return k;
}

function pgcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
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

/**
 * Secondary masking, then the exact audit (when small enough) and more masking until nothing is determined but the
 * masked cells the equations fix whatever is published (structural zeros, see below), which it returns.
 */
function protect(values: readonly number[], masked: (Masque | null)[], equations: readonly Equation[], auditJusqua: number): number[] {
  // The equations the exact audit solves, and for each cell those it takes part in (built on the first audit).
  let audit: { equations: readonly Equation[]; ofCell: number[][] } | null = null;
  let structurels: Set<number> | null = null;
  for (;;) {
    masquageSecondaire(values, masked, equations);
    if (!audit) {
      // Above `auditJusqua` masked values, the elimination over every equation is too slow for an interactive
      // answer (the breakdowns of a region: territory = Σ 600 contingents, 400 of them masked, in each period). It
      // then runs over the equations that have few masked terms when it starts (kept as they are masked further):
      // the combinations of a perimeter's periods with the small breakdowns (a contingent type, a commune's QPVs,
      // the cross-dimension groups) that the equation rule misses — at IDF scale, a département's contingent of
      // 2023-S1 was given back by its type's and its own periods' equations. Every cell it finds is truly
      // determined; what it cannot see is checked by the benchmark's exact audit (bench/secret.ts).
      const nombre = masked.reduce((n, m) => n + (m === null ? 0 : 1), 0);
      const utiles = nombre <= auditJusqua ? equations : equations.filter((eq) => termesMasques(eq, masked) <= TERMES_MASQUES_MAX);
      const ofCell: number[][] = values.map(() => []);
      utiles.forEach((eq, e) => {
        for (const c of [...totaux(eq), ...eq.parts]) ofCell[c]?.push(e);
      });
      audit = { equations: utiles, ofCell };
    }
    // A masked cell that the equations fix whatever is published — determined with every cell masked: a zero of
    // the cross-dimension groups (x = 0, a perimeter whose partners all count zero) — cannot be protected by
    // masking more here: it reveals no household, and searching for it masked whole components in vain, one
    // elimination per round (the EPCI demo's 85 s). Left to the caller, which can change the equations.
    const found = cellulesDeterminees(masked, audit.equations);
    // The zeros the equations fix one by one (x = 0, then a term whose others are all such zeros) are found by
    // propagation, a walk over the equations; the whole elimination with every cell masked (as long as the one
    // above) runs only when a found cell is not among them.
    if (found.length > 0 && !structurels) {
      const propages = zerosPropages(values.length, audit.equations);
      structurels = found.every((c) => propages.has(c)) ? propages : new Set(cellulesDeterminees(values.map(() => 'primaire' as const), audit.equations));
    }
    const determined = found.filter((c) => !structurels?.has(c));
    if (determined.length === 0) return found;
    // Values still recoverable through a combination of equations: for each, mask the smallest published
    // positive term (else a zero) of an equation it takes part in; when all those terms are masked already, look
    // one equation further (through the masked terms), and so on. Then start again.
    let progressed = false;
    const { equations: utiles, ofCell: index } = audit;
    for (const cell of determined) {
      const vus = new Set<number>([cell]);
      let couche = [cell];
      while (couche.length > 0) {
        const suivante: number[] = [];
        const candidates: number[] = [];
        for (const c of couche)
          for (const e of index[c] ?? []) {
            const eq = utiles[e] as Equation;
            for (const t of [...totaux(eq), ...eq.parts]) {
              if (vus.has(t)) continue;
              vus.add(t);
              if (masked[t] === null) candidates.push(t);
              else suivante.push(t);
            }
          }
        if (candidates.length > 0) {
          const pick = candidates.sort((a, b) => rank(values, a) - rank(values, b) || a - b)[0] as number;
          masked[pick] = 'secondaire';
          progressed = true;
          break;
        }
        couche = suivante;
      }
    }
    if (!progressed) return found;
  }
}

/**
 * The cells the equations fix to zero whatever is published, found by propagation: the single term of an equation
 * (x = 0), then, again and again, the last term of an equation whose other terms are all fixed. Each is truly
 * determined with every cell masked (a chain of substitutions); the elimination may find more (combinations of
 * several equations), which is why `protect` falls back on it when a determined cell is not among these.
 */
export function zerosPropages(nombre: number, equations: readonly Equation[]): Set<number> {
  // The terms of each equation with a non-zero coefficient (a cell on both sides cancels out).
  const libres = equations.map((eq) => {
    const coef = new Map<number, number>();
    for (const c of totaux(eq)) coef.set(c, (coef.get(c) ?? 0) + 1);
    for (const c of eq.parts) coef.set(c, (coef.get(c) ?? 0) - 1);
    return [...coef].filter(([, v]) => v !== 0).map(([c]) => c);
  });
  const ofCell: number[][] = Array.from({ length: nombre }, () => []);
  libres.forEach((termes, e) => {
    for (const c of termes) ofCell[c]?.push(e);
  });
  const restants = libres.map((termes) => termes.length);
  const zeros = new Set<number>();
  const file: number[] = [];
  libres.forEach((termes, e) => {
    if (restants[e] === 1) file.push(e);
  });
  while (file.length > 0) {
    const e = file.pop() as number;
    if (restants[e] !== 1) continue;
    const c = (libres[e] as number[]).find((t) => !zeros.has(t));
    if (c === undefined) continue;
    zeros.add(c);
    for (const f of ofCell[c] ?? []) {
      restants[f] = (restants[f] as number) - 1;
      if (restants[f] === 1) file.push(f);
    }
  }
  return zeros;
}

/** In a system too large for the whole elimination, the equations with at most this many masked terms are solved. */
const TERMES_MASQUES_MAX = 40;

const termesMasques = (eq: Equation, masked: readonly (Masque | null)[]): number => {
  let n = masked[eq.total] === null ? 0 : 1;
  for (const c of eq.autresTotaux ?? []) if (masked[c] !== null) n++;
  for (const c of eq.parts) if (masked[c] !== null) n++;
  return n;
};

const rank = (values: readonly number[], c: number) => ((values[c] as number) > 0 ? (values[c] as number) : Number.MAX_SAFE_INTEGER);

/** A count a reader derives from published ones is sensitive when it counts 1 to seuil − 1 households. */
const sensible = (n: number, seuil: number) => n > 0 && n < seuil;

/**
 * The masks of every cell of the structure (see the header): [system][cell], null when published.
 */
export function masquesDuSecret(structure: StructureDuSecret, options: Pick<SecretOptions, 'seuil' | 'auditJusqua'>): (Masque | null)[][] {
  const { seuil } = options;
  const audit = options.auditJusqua ?? 5000;
  const masks = structure.systemes.map((s) => s.cellules.map((c) => (seuil > 1 && sensible(c.valeur, seuil) ? ('primaire' as Masque) : null)));
  if (seuil <= 1) return masks;
  const valeur = ([s, c]: Adresse) => (structure.systemes[s]?.cellules[c] as CelluleDuSecret).valeur;
  const masque = ([s, c]: Adresse) => masks[s]?.[c] ?? null;
  const poser = ([s, c]: Adresse, m: Masque) => {
    const list = masks[s] as (Masque | null)[];
    if (list[c] === null) list[c] = m;
  };
  // A numerator whose complement is sensitive is masked for it (« 56 of 60 » reveals 4).
  for (const l of structure.lignes) if (sensible(valeur(l.den) - valeur(l.num), seuil)) poser(l.num, 'primaire');
  structure.systemes.forEach((system, s) => {
    if (system.critere !== null) {
      // Before a numerator system: a masked denominator takes the numerators it divides, and a nested
      // difference (Q2 households) that would be published is protected by masking its inner term.
      for (const l of structure.lignes) if (l.num[0] === s && masque(l.den) !== null) poser(l.num, masque(l.den) as Masque);
      for (const d of structure.differences)
        if (d.petit[0] === s && masque(d.grand) === null && sensible(valeur(d.grand) - valeur(d.petit), seuil)) poser(d.petit, 'primaire');
    }
    const valeurs = system.cellules.map((c) => c.valeur);
    const m = masks[s] as (Masque | null)[];
    if (!system.selonMasques) {
      protect(valeurs, m, system.equations, audit);
      return;
    }
    // The equations change when a zero gets masked (its groups join): protect again until they stand still. A
    // masked zero the groups fix (all its partners are published zeros: x = 0) is protected by masking one of
    // those partners, which joins them in a group (the smallest change of the equations that frees it).
    const partenaires = system.partenaires ?? (() => []);
    for (;;) {
      const zerosMasques = m.filter((x, i) => x !== null && valeurs[i] === 0).length;
      for (const z of protect(valeurs, m, system.selonMasques(m), audit)) {
        const p = partenaires(z).find((q) => m[q] === null && valeurs[q] === 0);
        if (p !== undefined) m[p] = 'secondaire';
      }
      if (m.filter((x, i) => x !== null && valeurs[i] === 0).length === zerosMasques) break;
    }
  });
  return masks;
}

/**
 * The published version of the rows: masked counts and rates set to null, `secret` saying whether the cell was
 * masked for its own counts (primaire) or to protect another cell (secondaire). Row order is kept. The rows are
 * everything the document publishes together (all indicators, perimeters, periods and years it shows).
 */
export function appliquerSecret(rows: readonly IndicatorRow[], options: SecretOptions): PublishedIndicatorRow[] {
  const structure = structureDuSecret(rows, options);
  const masks = masquesDuSecret(structure, options);
  const at = ([s, c]: Adresse) => masks[s]?.[c] ?? null;
  return rows.map((row, i) => {
    const l = structure.lignes[i] as StructureDuSecret['lignes'][number];
    const den = at(l.den);
    const num = at(l.num);
    const secret: Masque | null = den === 'primaire' || num === 'primaire' ? 'primaire' : (den ?? num);
    const hideNum = num !== null || den !== null;
    return {
      indicateur: row.indicateur,
      perimetre_type: row.perimetre_type,
      perimetre_id: row.perimetre_id,
      periode: row.periode,
      numerateur: hideNum ? null : row.numerateur,
      denominateur: den !== null ? null : row.denominateur,
      taux: hideNum ? null : row.taux,
      cible: row.cible,
      ecart: hideNum ? null : row.ecart,
      atteint: hideNum ? null : row.atteint,
      secret,
    };
  });
}

/** A leak found by the audit: a masked count the published ones determine, or a derived count that is sensitive. */
export interface FuiteDuSecret {
  readonly indicateur: LegalIndicatorId;
  readonly perimetre_type: PerimeterType;
  readonly perimetre_id: string;
  readonly periode: PeriodeId;
  readonly valeur: 'numerateur' | 'denominateur' | 'complement' | 'difference';
}

/**
 * For tests and reviews: the published cells whose masked numerator or denominator can be recomputed exactly
 * from the published ones through the equations of `structureDuSecret` (all systems of the document at once).
 * With `seuil`, also the derived counts a reader computes from published cells that are sensitive: a complement
 * (denominator − numerator) and a nested difference (qpv_hors_q1 − qpv_q3_q4). Empty when the masking is sound.
 */
export function auditerSecret(
  published: readonly PublishedIndicatorRow[],
  options: Pick<SecretOptions, 'typeContingent' | 'communeDuQpv' | 'croisements' | 'qpvHorsChamp' | 'declarations'> & { readonly seuil?: number } = {},
): FuiteDuSecret[] {
  // Only the structure matters: rebuild rows with a placeholder (−1) for every masked count. A count masked under
  // one indicator and published under another (a shared denominator) is published: a leak, and its value is known.
  const declarations = options.declarations ?? LEGAL_DECLARATIONS;
  const cles = published.map((p) => {
    const d = declarations.find((x) => x.id === p.indicateur);
    if (!d) throw new Error(`audit du secret : indicateur non déclaré « ${p.indicateur} »`);
    const champ = champDeLaLigne(p, d.champ, options.qpvHorsChamp);
    const base = `${d.base}:${d.date}:${champ}\u0000${cellKey(p.perimetre_type, p.perimetre_id, p.periode)}`;
    return { den: base, num: `${base}\u0000${d.critere}` };
  });
  const connus = new Map<string, number>();
  published.forEach((p, i) => {
    const k = cles[i] as { den: string; num: string };
    if (p.denominateur !== null) connus.set(k.den, p.denominateur);
    if (p.numerateur !== null) connus.set(k.num, p.numerateur);
  });
  const preFound: { row: PublishedIndicatorRow; valeur: 'numerateur' | 'denominateur' }[] = [];
  const asRows = published.map((p, i) => {
    const k = cles[i] as { den: string; num: string };
    const den = p.denominateur ?? connus.get(k.den);
    const num = p.numerateur ?? connus.get(k.num);
    if (p.denominateur === null && den !== undefined) preFound.push({ row: p, valeur: 'denominateur' });
    if (p.numerateur === null && num !== undefined) preFound.push({ row: p, valeur: 'numerateur' });
    return { ...p, numerateur: num ?? -1, denominateur: den ?? -1 } as IndicatorRow;
  });
  const structure = structureDuSecret(asRows, options);
  const found: FuiteDuSecret[] = [];
  const masks = structure.systemes.map((s) => s.cellules.map((c) => (c.valeur < 0 ? ('primaire' as Masque) : null)));
  const determined = structure.systemes.map((s, i) => new Set(cellulesDeterminees(masks[i] as (Masque | null)[], s.equations)));
  const known = ([s, c]: Adresse) => masks[s]?.[c] === null || (determined[s]?.has(c) ?? false);
  const cellOf = ([s, c]: Adresse) => structure.systemes[s]?.cellules[c] as CelluleDuSecret;
  const reported = new Set<string>();
  const report = (row: PublishedIndicatorRow, valeur: FuiteDuSecret['valeur']) => {
    const k = `${row.indicateur}\u0000${row.perimetre_type}\u0000${row.perimetre_id}\u0000${row.periode}\u0000${valeur}`;
    if (reported.has(k)) return;
    reported.add(k);
    found.push({ indicateur: row.indicateur, perimetre_type: row.perimetre_type, perimetre_id: row.perimetre_id, periode: row.periode, valeur });
  };
  for (const { row, valeur } of preFound) report(row, valeur);
  const seuil = options.seuil;
  published.forEach((row, i) => {
    const l = structure.lignes[i] as StructureDuSecret['lignes'][number];
    if (row.denominateur === null && known(l.den)) report(row, 'denominateur');
    if (row.numerateur === null && known(l.num)) report(row, 'numerateur');
    if (seuil !== undefined && row.numerateur !== null && row.denominateur !== null && sensible(row.denominateur - row.numerateur, seuil)) report(row, 'complement');
  });
  if (seuil !== undefined) {
    for (const d of structure.differences) {
      const g = cellOf(d.grand);
      const p = cellOf(d.petit);
      if (masks[d.grand[0]]?.[d.grand[1]] === null && masks[d.petit[0]]?.[d.petit[1]] === null && sensible(g.valeur - p.valeur, seuil)) {
        const row = published.find((r, i) => structure.lignes[i]?.num[0] === d.grand[0] && structure.lignes[i]?.num[1] === d.grand[1]);
        if (row) report(row, 'difference');
      }
    }
  }
  return found;
}
