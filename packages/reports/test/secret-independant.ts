import { readFileSync } from 'node:fs';

/**
 * An independent check of published indicator tables, written apart from core's secret.ts (issue 12): from the
 * published rows and what a reader knows of the territory (which réservataire has which type, which QPV lies in
 * which commune, which perimeters of two breakdowns share allocations), ONE linear system over everything the
 * document publishes together — every indicator, perimeter, period and year — solved at once by floating-point
 * Gauss–Jordan on the augmented matrix. Unknowns: the masked counts, and the counts a reader derives without
 * their being printed (each row's complement denominator − numerator, and the Q2 households in QPV,
 * qpv_hors_q1 − qpv_q3_q4). A leak is a masked count the system determines, or a derived count it determines
 * whose value is 1 to seuil − 1. A masked count the system proves to be zero is no leak: it counts no household
 * (zeros are published), and the structure a reader knows often proves it (a contingent sharing dwellings only with
 * a bailleur that made no such allocation).
 *
 * The reader's equations, written here from DOMAIN.md, not from core's code:
 * - a denominator is what it counts: the indicators dividing by the same allocations print one count
 *   (all proposals for prioritaires, mutations, travailleurs_essentiels; QPV proposals for qpv_hors_q1 and qpv_q3_q4);
 * - each breakdown (commune, bailleur, contingent, contingent type; QPV for the QPV-counted ones) sums to the
 *   territory; contingents to their type; the QPVs of a commune to the commune (when the reader knows they lie
 *   there);
 * - periods: year = S1 + S2 = T1 + T2 + T3 + T4, S1 = T1 + T2, S2 = T3 + T4, twelve months to 31/12 = year,
 *   twelve months to 30/06 N = S2 of N−1 + S1 of N (= T3, T4 of N−1 + T1, T2 of N), whenever the document shows
 *   all the periods involved;
 * - two breakdowns: in each connected group of perimeters sharing allocations (commune × bailleur…), Σ one
 *   side = Σ the other; a perimeter published with a zero shares nothing;
 * - denominator = numerator + complement; qpv_hors_q1's numerator = qpv_q3_q4's + Q2.
 */

type Valeur = string | number | null;

/** A published indicator row, as any output prints it. */
export interface CelluleLue {
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly periode: string;
  readonly numerateur: number | null;
  readonly denominateur: number | null;
}

/** What the reader knows of the territory. */
export interface Connaissances {
  /** The type of a réservataire's contingent. */
  readonly typeContingent: (id: string) => string | undefined;
  /** The QPVs whose QPV-counted cells sum to a commune's, by commune, for a period. */
  readonly qpvDesCommunes?: (periode: string) => ReadonlyMap<string, readonly string[]>;
  /** Pairs [type, id, type, id] of perimeters sharing allocations of a denominator group in a period. */
  readonly croisements?: (groupe: GroupeDenominateur, periode: string) => readonly (readonly [string, string, string, string])[];
  /** Derived counts below it are leaks (the complement, Q2). Omitted: only masked counts are checked. */
  readonly seuil?: number;
}

export type GroupeDenominateur = 'baux_hors_qpv' | 'propositions' | 'propositions_qpv';

const GROUPE: Record<string, GroupeDenominateur> = {
  hors_qpv_q1: 'baux_hors_qpv',
  qpv_hors_q1: 'propositions_qpv',
  qpv_q3_q4: 'propositions_qpv',
  prioritaires: 'propositions',
  mutations: 'propositions',
  travailleurs_essentiels: 'propositions',
};
const EMBOITES: readonly (readonly [string, string])[] = [['qpv_hors_q1', 'qpv_q3_q4']];
const VENTILATIONS = ['commune', 'bailleur', 'contingent', 'type_contingent'];

const pad = (y: number) => String(y);
/** The relations between periods of year y, [total, parts]. */
function relationsDeLAnnee(y: number): string[][] {
  const t = (a: number, k: number) => `${pad(a)}-T${k}`;
  return [
    [pad(y), `${y}-S1`, `${y}-S2`],
    [pad(y), t(y, 1), t(y, 2), t(y, 3), t(y, 4)],
    [`${y}-S1`, t(y, 1), t(y, 2)],
    [`${y}-S2`, t(y, 3), t(y, 4)],
    [`12m-${y}-12-31`, pad(y)],
    [`12m-${y}-06-30`, `${y - 1}-S2`, `${y}-S1`],
    [`12m-${y}-06-30`, t(y - 1, 3), t(y - 1, 4), t(y, 1), t(y, 2)],
  ];
}

/** Keys `indicateur|type|id|periode|champ` of the leaks (champ: num, den, complement, q2). */
export function fuites(lignes: readonly CelluleLue[], savoir: Connaissances): string[] {
  const seuil = savoir.seuil;
  // Values: known (number) or unknown (a column). Keys by what is counted.
  // In a QPV perimeter every proposal is a proposal in QPV: the two proposal groups are one count there.
  const groupeDe = (l: CelluleLue) => {
    const g = GROUPE[l.indicateur] ?? l.indicateur;
    return l.perimetre_type === 'qpv' && g === 'propositions' ? 'propositions_qpv' : g;
  };
  const cleDen = (l: CelluleLue) => `den|${groupeDe(l)}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`;
  const cleNum = (l: CelluleLue) => `num|${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`;
  const connues = new Map<string, number>();
  const existantes = new Set<string>();
  const etiquette = new Map<string, string>();
  for (const l of lignes) {
    existantes.add(cleDen(l));
    existantes.add(cleNum(l));
    if (l.denominateur !== null) connues.set(cleDen(l), l.denominateur);
    if (l.numerateur !== null) connues.set(cleNum(l), l.numerateur);
    etiquette.set(cleDen(l), `${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}|den`);
    etiquette.set(cleNum(l), `${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}|num`);
  }
  const colonnes = new Map<string, number>();
  const colonne = (k: string) => {
    let j = colonnes.get(k);
    if (j === undefined) colonnes.set(k, (j = colonnes.size));
    return j;
  };
  const derivees = new Set<string>();
  // An equation: Σ coef × value = 0.
  const equations: [string, number][][] = [];
  const egal = (gauche: readonly string[], droite: readonly string[]) => {
    // Absent cells of an existing period are zeros; the caller checks the periods exist.
    equations.push([...gauche.map((k) => [k, 1] as [string, number]), ...droite.map((k) => [k, -1] as [string, number])]);
  };
  const periodes = new Set(lignes.map((l) => l.periode));
  const mesures = new Set(lignes.flatMap((l) => [`den|${groupeDe(l)}`, `num|${l.indicateur}`]));
  const parMesurePeriodeType = new Map<string, string[]>();
  for (const k of existantes) {
    const [m, g, type, id, p] = k.split('|') as [string, string, string, string, string];
    const mk = `${m}|${g}|${p}|${type}`;
    parMesurePeriodeType.set(mk, [...(parMesurePeriodeType.get(mk) ?? []), id]);
  }
  const valeurDe = (k: string) => connues.get(k);
  for (const mesure of mesures) {
    const [m, g] = mesure.split('|') as [string, string];
    const groupe: GroupeDenominateur | undefined = m === 'den' ? (g as GroupeDenominateur) : GROUPE[g];
    const enQpv = groupe === 'propositions_qpv';
    const cle = (type: string, id: string, p: string) => `${mesure}|${type}|${id}|${p}`;
    const ids = (p: string, type: string) => parMesurePeriodeType.get(`${mesure}|${p}|${type}`) ?? [];
    for (const p of periodes) {
      const territoire = cle('territoire', 'territoire', p);
      if (existantes.has(territoire)) {
        for (const type of [...VENTILATIONS, ...(enQpv ? ['qpv'] : [])]) {
          const parts = ids(p, type);
          if (parts.length > 0) egal([territoire], parts.map((id) => cle(type, id, p)));
        }
      }
      const parType = new Map<string, string[]>();
      for (const id of ids(p, 'contingent')) {
        const t = id.startsWith('non_reserve:') ? 'non_reserve' : savoir.typeContingent(id);
        if (t) parType.set(t, [...(parType.get(t) ?? []), id]);
      }
      for (const [t, parts] of parType) if (existantes.has(cle('type_contingent', t, p))) egal([cle('type_contingent', t, p)], parts.map((id) => cle('contingent', id, p)));
      if (enQpv && savoir.qpvDesCommunes)
        for (const [commune, qpvs] of savoir.qpvDesCommunes(p)) if (existantes.has(cle('commune', commune, p))) egal([cle('commune', commune, p)], qpvs.map((q) => cle('qpv', q, p)));
      // Groups of two breakdowns (breadth-first search over the pairs whose two ends count something).
      if (savoir.croisements && groupe) {
        const compte = (type: string, id: string) => existantes.has(cle(type, id, p)) && valeurDe(cle(type, id, p)) !== 0;
        const voisins = new Map<string, Set<string>>();
        for (const [ta, ia, tb, ib] of savoir.croisements(groupe, p)) {
          if (!enQpv && (ta === 'qpv' || tb === 'qpv')) continue;
          if (!compte(ta, ia) || !compte(tb, ib)) continue;
          const a = `${ta}|${ia}`;
          const b = `${tb}|${ib}`;
          const paire = [ta, tb].sort().join('×');
          for (const [x, y] of [[a, b], [b, a]] as const) {
            const k = `${paire}#${x}`;
            voisins.set(k, (voisins.get(k) ?? new Set()).add(`${paire}#${y}`));
          }
        }
        // A perimeter counting something that shares nothing with the other breakdown of a pair counts zero.
        const croisables = ['bailleur', 'commune', 'contingent', ...(enQpv ? ['qpv'] : [])];
        for (const ta of croisables)
          for (const tb of croisables) {
            if (ta >= tb) continue;
            for (const type of [ta, tb])
              for (const id of ids(p, type)) if (compte(type, id) && !voisins.has(`${ta}×${tb}#${type}|${id}`)) egal([cle(type, id, p)], []);
          }
        const vus = new Set<string>();
        for (const depart of voisins.keys()) {
          if (vus.has(depart)) continue;
          const groupeVu: string[] = [];
          const file = [depart];
          vus.add(depart);
          while (file.length > 0) {
            const n = file.pop() as string;
            groupeVu.push(n);
            for (const v of voisins.get(n) ?? []) {
              if (vus.has(v)) continue;
              vus.add(v);
              file.push(v);
            }
          }
          const [paire] = depart.split('#') as [string];
          const [typeA] = paire.split('×') as [string];
          const noeuds = groupeVu.map((n) => (n.split('#')[1] as string).split('|') as [string, string]);
          egal(noeuds.filter(([t]) => t === typeA).map(([t, id]) => cle(t, id, p)), noeuds.filter(([t]) => t !== typeA).map(([t, id]) => cle(t, id, p)));
        }
      }
    }
    // Periods, per perimeter.
    const perimetres = new Set([...existantes].filter((k) => k.startsWith(`${mesure}|`)).map((k) => k.split('|').slice(2, 4).join('|')));
    const annees = new Set([...periodes].map((p) => Number(/(\d{4})/.exec(p)?.[1])));
    for (const y of annees)
      for (const [total, ...parts] of relationsDeLAnnee(y)) {
        if (![total, ...parts].every((q) => periodes.has(q as string))) continue;
        for (const per of perimetres) {
          const [type, id] = per.split('|') as [string, string];
          if (existantes.has(cle(type, id, total as string))) egal([cle(type, id, total as string)], parts.map((q) => cle(type, id, q)));
        }
      }
  }
  // Derived counts: the complement of each row, the Q2 households in QPV.
  for (const l of lignes) {
    const c = `comp|${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`;
    if (derivees.has(c)) continue;
    derivees.add(c);
    etiquette.set(c, `${l.indicateur}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}|complement`);
    egal([cleDen(l)], [cleNum(l), c]);
  }
  for (const [grand, petit] of EMBOITES)
    for (const l of lignes.filter((x) => x.indicateur === grand)) {
      const autre = `num|${petit}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`;
      if (!existantes.has(autre)) continue;
      const q2 = `q2|${l.perimetre_type}|${l.perimetre_id}|${l.periode}`;
      derivees.add(q2);
      etiquette.set(q2, `${grand}|${l.perimetre_type}|${l.perimetre_id}|${l.periode}|q2`);
      egal([cleNum(l)], [autre, q2]);
    }
  // Augmented matrix over the unknowns: Σ coef × unknown = − Σ coef × known (an absent cell is a zero).
  const matrice: { coefs: Map<number, number>; rhs: number }[] = equations.map((eq) => {
    const coefs = new Map<number, number>();
    let rhs = 0;
    for (const [k, c] of eq) {
      const v = connues.get(k);
      if (v !== undefined) rhs -= c * v;
      else if (existantes.has(k) || k.startsWith('comp|') || k.startsWith('q2|')) {
        const j = colonne(k);
        coefs.set(j, (coefs.get(j) ?? 0) + c);
      }
    }
    return { coefs, rhs };
  });
  const resolues = resoudreCreux(matrice);
  const noms = [...colonnes.keys()];
  const out: string[] = [];
  for (const [j, valeur] of resolues) {
    const k = noms[j] as string;
    const derivee = k.startsWith('comp|') || k.startsWith('q2|');
    // A masked count proven zero reveals no household (zeros are published): not a leak.
    const v = Math.round(valeur);
    if ((!derivee && v !== 0) || (derivee && seuil !== undefined && v > 0 && v < seuil)) out.push(etiquette.get(k) ?? k);
  }
  return out.sort();
}

/**
 * Sparse Gauss–Jordan (floating point) on rows Σ coefs × unknowns = rhs: the unknowns alone on a reduced row, with
 * their value. Rows with fewer unknowns first; each new pivot is cleared from the earlier pivot rows.
 */
export function resoudreCreux(lignes: readonly { coefs: Map<number, number>; rhs: number }[]): Map<number, number> {
  const EPS = 1e-9;
  const pivots = new Map<number, { coefs: Map<number, number>; rhs: number }>();
  const porteurs = new Map<number, Set<{ coefs: Map<number, number>; rhs: number }>>();
  const porter = (r: { coefs: Map<number, number>; rhs: number }, oui: boolean) => {
    for (const j of r.coefs.keys()) {
      if (!porteurs.has(j)) porteurs.set(j, new Set());
      if (oui) porteurs.get(j)?.add(r);
      else porteurs.get(j)?.delete(r);
    }
  };
  // r ← r − f × p (in place).
  const soustraire = (r: { coefs: Map<number, number>; rhs: number }, p: { coefs: Map<number, number>; rhs: number }, f: number) => {
    for (const [j, v] of p.coefs) {
      const x = (r.coefs.get(j) ?? 0) - f * v;
      if (Math.abs(x) < EPS) r.coefs.delete(j);
      else r.coefs.set(j, x);
    }
    r.rhs -= f * p.rhs;
  };
  for (const source of [...lignes].sort((a, b) => a.coefs.size - b.coefs.size)) {
    const r = { coefs: new Map(source.coefs), rhs: source.rhs };
    for (;;) {
      const j = [...r.coefs.keys()].find((c) => pivots.has(c));
      if (j === undefined) break;
      soustraire(r, pivots.get(j) as { coefs: Map<number, number>; rhs: number }, r.coefs.get(j) as number);
    }
    if (r.coefs.size === 0) continue;
    const [c, v] = [...r.coefs.entries()].reduce((a, b) => (Math.abs(b[1]) > Math.abs(a[1]) ? b : a));
    for (const [j, x] of r.coefs) r.coefs.set(j, x / v);
    r.rhs /= v;
    for (const autre of [...(porteurs.get(c) ?? [])]) {
      const f = autre.coefs.get(c);
      if (f === undefined) continue;
      porter(autre, false);
      soustraire(autre, r, f);
      porter(autre, true);
    }
    pivots.set(c, r);
    porter(r, true);
  }
  const out = new Map<number, number>();
  for (const [c, r] of pivots) if (r.coefs.size === 1) out.set(c, r.rhs);
  return out;
}

/** Gauss–Jordan on an augmented matrix; the unknowns alone on a reduced row, with their value. */
export function resoudre(m: number[][], n: number): Map<number, number> {
  let rang = 0;
  for (let c = 0; c < n && rang < m.length; c++) {
    let pivot = -1;
    for (let i = rang; i < m.length; i++) if (Math.abs((m[i] as number[])[c] as number) > 1e-9) {
      pivot = i;
      break;
    }
    if (pivot < 0) continue;
    [m[rang], m[pivot]] = [m[pivot] as number[], m[rang] as number[]];
    const p = m[rang] as number[];
    const v = p[c] as number;
    for (let j = c; j <= n; j++) p[j] = (p[j] as number) / v;
    for (let i = 0; i < m.length; i++) {
      if (i === rang) continue;
      const row = m[i] as number[];
      const f = row[c] as number;
      if (Math.abs(f) > 1e-9) for (let j = c; j <= n; j++) row[j] = (row[j] as number) - f * (p[j] as number);
    }
    rang++;
  }
  const out = new Map<number, number>();
  for (const row of m.slice(0, rang)) {
    const nz: number[] = [];
    for (let j = 0; j < n; j++) if (Math.abs(row[j] as number) > 1e-9) nz.push(j);
    if (nz.length === 1) out.set(nz[0] as number, row[n] as number);
  }
  return out;
}

/** Gauss–Jordan on the equations restricted to the unknowns; the unknowns alone on a reduced row. */
export function determinees(equations: readonly Map<number, number>[], n: number): number[] {
  const m = equations.map((e) => {
    const row = new Array<number>(n + 1).fill(0);
    for (const [j, v] of e) row[j] = v;
    return row;
  });
  return [...resoudre(m, n).keys()];
}

// ---------------------------------------------------------------------------------------------------------
// The bilan's fixture: its published long format (the workbook's `indicateurs` sheet) against its own files.

const FIXTURE = new URL('./fixtures/territoire/', import.meta.url);

function csv(nom: string): Record<string, string>[] {
  const [entete, ...lignes] = readFileSync(new URL(nom, FIXTURE), 'utf8').trim().split('\n');
  const cols = (entete ?? '').split(';');
  return lignes.map((l) => Object.fromEntries(l.split(';').map((v, i) => [cols[i] as string, v])));
}

/** The fixture's knowledge: réservataire types, and each commune's QPVs from qpv.csv (one commune each there). */
export function connaissancesDuFixture(seuil?: number): Connaissances {
  const types = new Map(csv('reservataires.csv').map((r) => [r.id as string, r.type as string]));
  const qpvParCommune = new Map<string, string[]>();
  for (const q of csv('qpv.csv')) qpvParCommune.set(q.code_insee as string, [...(qpvParCommune.get(q.code_insee as string) ?? []), q.code_qpv as string]);
  return { typeContingent: (id) => types.get(id), qpvDesCommunes: () => qpvParCommune, ...(seuil === undefined ? {} : { seuil }) };
}

/** Rows of a sheet: [indicateur, type, id, periode, numerateur, denominateur, …]. */
export function lignesDeFeuille(rows: readonly (readonly Valeur[])[]): CelluleLue[] {
  return rows.map((r) => ({
    indicateur: String(r[0]),
    perimetre_type: String(r[1]),
    perimetre_id: String(r[2]),
    periode: String(r[3]),
    numerateur: typeof r[4] === 'number' ? r[4] : null,
    denominateur: typeof r[5] === 'number' ? r[5] : null,
  }));
}

/** Keys `indicateur|type|id|periode|champ` of the masked values of the workbook's sheet that the published ones determine. */
export function recuperables(rows: readonly (readonly Valeur[])[], seuil?: number): string[] {
  return fuites(lignesDeFeuille(rows), connaissancesDuFixture(seuil));
}
