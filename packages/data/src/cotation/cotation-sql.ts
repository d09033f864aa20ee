import type { Condition, CritereGrille, DefinitionChamp, Grille, MenageSql, PoidsUc, Portee, Rubrique } from '@mixite/core';
import {
  BOOLEAN_FALSE,
  BOOLEAN_TRUE,
  FR_DATE_REGEX,
  ID_REFUS,
  ISO_DATE_REGEX,
  PREFIXE_PLAFOND,
  champ,
  colonneLibre,
  douzeMoisAvant,
  quartileSql,
} from '@mixite/core';
import { montantSql } from '../import/sql-checks.ts';
import { ident, literal } from '../store/sql-types.ts';

/**
 * The cotation of every request as DuckDB SQL generated from the grid: one set-based query, no row-by-row JavaScript.
 * The rules are those of the pure reference `noteDe` (packages/core/src/cotation/note.ts); a property test runs both
 * on random requests and compares. Structure of the generated query (CTE names carry a prefix, so that two grids
 * can be compared in one query):
 *   base     requests active at the date, and those satisfied in the twelve months before it (waiting times), with
 *            the fields the grid reads (canonical columns, derived fields, free columns);
 *   lignes   one column per criterion: its points in hundredths, NULL when it does not hold;
 *   rub      per heading the best (max) or the sum (somme) of its criteria;
 *   notes    the note, the population (premier_acces / mutation / toutes) and the ids of the lines that count;
 *   cotes    rank among the similar active requests, their number, the mean waiting time of the satisfied ones.
 */

/** The Q1 threshold of the reference year for one EPCI ('' = the territory), in cents per UC per year. */
export interface SeuilEpciSql {
  readonly annee: number;
  readonly codeEpci: string;
  readonly seuilQ1: bigint | null;
}

export interface ContexteCotationSql {
  /** Reference date, ISO. */
  readonly date: string;
  readonly poids: PoidsUc;
  /** Thresholds of the reference year (and of the year before, for the leases of the impact), per EPCI plus ''. */
  readonly seuils: readonly SeuilEpciSql[];
  /** SQL condition on the requests (alias `d`) that restricts the population to a viewer's perimeter (issue 10). */
  readonly filtreDemandes?: string;
}

const sqlDate = (iso: string) => `DATE ${literal(iso)}`;
const sqlNombre = (n: number) => (/e/i.test(String(n)) ? `CAST(${literal(String(n))} AS DOUBLE)` : String(n));
const sqlScalaire = (v: string | number | boolean, comparaison: Condition['comparaison']): string => {
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return sqlNombre(v);
  return comparaison === 'date' ? sqlDate(v) : literal(v);
};
const listeSql = (values: readonly string[]) => values.map(literal).join(', ');

/** A free-column cell read as a boolean, a number or a date, like booleenLibre / nombreLibre / toIsoDate of the core. */
const booleenLibreSql = (c: string) =>
  `(CASE WHEN lower(trim(${c})) IN (${listeSql(BOOLEAN_TRUE)}) THEN TRUE WHEN lower(trim(${c})) IN (${listeSql(BOOLEAN_FALSE)}) THEN FALSE END)`;
export const nombreLibreSql = (c: string) => montantSql(`trim(${c})`);
const dateLibreSql = (c: string) =>
  `(CASE WHEN regexp_full_match(${c}, ${literal(ISO_DATE_REGEX)}) THEN TRY_CAST(${c} AS DATE) WHEN regexp_full_match(${c}, ${literal(FR_DATE_REGEX)}) THEN TRY_CAST(try_strptime(${c}, '%d/%m/%Y') AS DATE) END)`;

/** Whole months from a date to the reference date (moisRevolus of the core): the reference's parts are constants. */
function moisRevolusSql(depuis: string, ref: string): string {
  const [y, m, d] = ref.split('-').map(Number) as [number, number, number];
  const dernier = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const incomplet = d === dernier ? '' : ` - CASE WHEN dayofmonth(${depuis}) > ${d} THEN 1 ELSE 0 END`;
  return `(12 * (${y} - year(${depuis})) + (${m} - month(${depuis}))${incomplet})`;
}

const MENAGE: MenageSql = { ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' };

/** Typology bucket of a number of rooms, like the indicator engine (t1 … t4, t5_plus, inconnue). */
export const typologieSql = (pieces: string) =>
  `CASE WHEN ${pieces} IS NULL THEN 'inconnue' WHEN ${pieces} >= 5 THEN 't5_plus' ELSE 't' || CAST(${pieces} AS VARCHAR) END`;

/** Columns of base for the impact (household profile and typology of the request). */
export const COLONNES_IMPACT = ['q1', 'dalo', 'prioritaire', 'mutation', 'travailleur_essentiel', 'typologie_min'] as const;

/** The place of one criterion of one section in the generated query. */
export interface ColonneCritere {
  readonly section: number;
  readonly critere: CritereGrille;
  readonly colonne: string;
  /** The heading of the criterion: its column, the column of the winner of a `max` heading, the criterion's place among its members. */
  readonly rubrique: { readonly colonne: string; readonly gagnant: string; readonly indice: number; readonly mode: Rubrique['mode'] } | null;
}

/** The SQL of one grid at one date: CTEs to compose, and where each line lives (for explanations). */
export interface PlanCotation {
  /** CTE definitions, comma-separated, to put after WITH (the `lim` CTE of the context included when `avecLimites`). */
  readonly ctes: string;
  /** Name of the final CTE: one row per active request (nur, _mutation, centiemes, masque, rang, nb_similaires, delai_moyen_jours, nb_satisfaites, keys k0…). */
  readonly cotes: string;
  /** Name of the CTE of notes (before ranking: nur, date_depot, _mutation, centiemes, masque, keys): enough for the impact. */
  readonly notes: string;
  /** The `|`-separated ids of the lines of the note, decoded from the mask column (`masque`) and the mutation flag (`_mutation`). */
  criteresSql(masque: string, mutation: string): string;
  /** The ids of the explanation lines of each body, bit i of `masque` being ids[i]. */
  readonly explications: readonly { readonly portee: Portee; readonly ids: readonly string[] }[];
  /** The population of a request (premier_acces, mutation or toutes) from its mutation flag. */
  porteeSql(mutation: string): string;
  /** Columns of the similarity key in `cotes` (k0, k1, …), in the grid's order. */
  readonly cles: readonly string[];
  readonly criteres: readonly ColonneCritere[];
  readonly rubriques: readonly { readonly section: number; readonly rubrique: Rubrique; readonly brut: string; readonly plafonne: string }[];
  readonly refus: readonly { readonly section: number; readonly colonne: string }[];
}

/** The `lim` CTE: Q1 thresholds per year and EPCI. */
export function limitesCte(seuils: readonly SeuilEpciSql[]): string {
  const rows = seuils.map((s) => `(${s.annee}, ${literal(s.codeEpci)}, ${s.seuilQ1 === null ? 'NULL::BIGINT' : `${s.seuilQ1}::BIGINT`})`);
  if (rows.length === 0) rows.push(`(0, '', NULL::BIGINT)`);
  return `lim(annee, code_epci, seuil_q1) AS (VALUES ${rows.join(', ')})`;
}

/** The SQL expression of a field in `base` (reads `source()` as `d`, with the threshold `_seuil_q1` when Q1 is read). */
function expressionChamp(definition: DefinitionChamp, ctx: ContexteCotationSql): string {
  switch (definition.origine) {
    case 'canonique':
      return `d.${ident(definition.nom)}`;
    case 'libre':
      return `d.attributs[${literal(colonneLibre(definition.nom))}]`;
    case 'derive': {
      const q = quartileSql(ctx.poids);
      const echelle = 10 ** q.echelle;
      switch (definition.nom) {
        case 'commune_1':
          return 'd._commune_1';
        case 'taux_effort_actuel':
          return `(CASE WHEN d.ressources_mensuelles > 0 THEN CAST(d.loyer_actuel AS DOUBLE) / CAST(d.ressources_mensuelles AS DOUBLE) END)`;
        case 'anciennete_mois':
          return moisRevolusSql('d.date_depot', ctx.date);
        case 'uc':
          return `(CAST(${q.ucEntieres(MENAGE)} AS DOUBLE) / ${echelle})`;
        case 'ressources_uc':
          return q.ressourcesParUc(MENAGE);
        case 'q1':
          return q.auPlusLaLimite(MENAGE, '_seuil_q1');
        default:
          throw new Error(`champ dérivé sans expression SQL : ${definition.nom}`);
      }
    }
  }
}

/** A condition on the columns of `base`. Unknown values make it NULL, which the caller turns into FALSE. */
export function conditionSql(c: Condition): string {
  const col = ident(c.champ.nom);
  const libre = c.champ.origine === 'libre';
  const valeurs = Array.isArray(c.valeur) ? c.valeur : [c.valeur];
  const comparer = (expr: string) =>
    c.operateur === 'in' ? `${expr} IN (${valeurs.map((v) => sqlScalaire(v, c.comparaison)).join(', ')})` : `${expr} ${c.operateur} ${sqlScalaire(c.valeur as string | number | boolean, c.comparaison)}`;
  switch (c.comparaison) {
    case 'booleen':
      return comparer(libre ? booleenLibreSql(col) : col);
    case 'texte':
      return comparer(col);
    case 'nombre':
      return comparer(libre ? nombreLibreSql(col) : col);
    case 'date':
      return comparer(libre ? dateLibreSql(col) : col);
    case 'liste': {
      const items = `('|' || replace(${col}, ' ', '') || '|')`;
      return `(${valeurs.map((v) => `contains(${items}, ${literal(`|${String(v)}|`)})`).join(' OR ')})`;
    }
  }
}

// Inside CASE WHEN a NULL (unknown) condition is not taken: no coalesce needed.
const toutesVraies = (conditions: readonly Condition[]) => (conditions.length === 0 ? 'TRUE' : conditions.map((c) => `(${conditionSql(c)})`).join(' AND '));

/** The points of a criterion in hundredths, NULL when it does not hold (whatever the section: see `notes`). */
function critereSql(c: CritereGrille, ctx: ContexteCotationSql): string {
  const quand = toutesVraies(c.conditions);
  if (c.kind === 'points') return `CASE WHEN ${quand} THEN ${c.centiemes} END`;
  const col = ident(c.depuis.nom);
  const depuis = c.depuis.origine === 'libre' ? dateLibreSql(col) : col;
  const points = `greatest(0, ${c.centiemesParMois} * ${moisRevolusSql(depuis, ctx.date)})`;
  // least() ignores NULLs in DuckDB: the cap is applied inside the branch where the date is known.
  return `CASE WHEN ${quand} AND ${depuis} IS NOT NULL THEN ${c.plafondCentiemes === null ? points : `least(${c.plafondCentiemes}, ${points})`} END`;
}

/** Every field the grid reads, by name. */
function champsLus(grille: Grille, extra: readonly string[]): DefinitionChamp[] {
  const out = new Map<string, DefinitionChamp>();
  const add = (d: DefinitionChamp) => out.set(d.nom, d);
  for (const d of grille.similaires) add(d);
  for (const s of grille.sections) {
    for (const c of s.criteres) {
      for (const cond of c.conditions) add(cond.champ);
      if (c.kind === 'anciennete') add(c.depuis);
    }
    if (s.refus) add(champ('nb_refus') as DefinitionChamp);
  }
  for (const nom of extra) add(champ(nom) as DefinitionChamp);
  return [...out.values()];
}

export interface OptionsPlan {
  /** Prefix of the CTE names (two grids in one query). */
  readonly prefixe?: string;
  /** Adds to `notes` the columns of the impact: typologie, date_depot, _q1, _prioritaire, _mutation, _te. */
  readonly impact?: boolean;
  /** Keeps the columns of every line in `cotes` (explanations). */
  readonly details?: boolean;
}

/** Builds the SQL of a grid at a date. The `lim` CTE must be defined by the caller (limitesCte). */
export function planCotation(grille: Grille, ctx: ContexteCotationSql, options: OptionsPlan = {}): PlanCotation {
  const p = options.prefixe ?? '';
  const annee = Number(ctx.date.slice(0, 4));
  const champs = champsLus(grille, options.impact ? COLONNES_IMPACT : []);
  const lisQ1 = champs.some((d) => d.nom === 'q1');
  const { debut } = douzeMoisAvant(ctx.date);
  const date = sqlDate(ctx.date);

  const active = `date_depot <= ${date} AND (date_radiation IS NULL OR date_radiation > ${date})`;
  const satisfaite = `statut = 'attribuee' AND date_radiation BETWEEN ${sqlDate(debut)} AND ${date}`;
  const cles = grille.similaires.map((_, i) => `k${i}`);

  // The first wished commune is computed once per request; the Q1 threshold comes from one join with the
  // thresholds of the communes (the EPCI's), the territory's for a commune outside the territory or none.
  const seuilCommune = `${p}seuil_commune AS (
  SELECT c.code_insee, lim.seuil_q1 FROM communes c JOIN lim ON lim.annee = ${annee} AND lim.code_epci = coalesce(c.code_epci, '')
)`;
  const source = (filtre: string, q1: boolean) => `(
    SELECT *, nullif(trim(split_part(communes_souhaitees, '|', 1)), '') AS _commune_1 FROM demandes d WHERE ${filtre}${ctx.filtreDemandes ? ` AND (${ctx.filtreDemandes})` : ''}
  ) d${
    q1
      ? `
  LEFT JOIN ${p}seuil_commune sc ON sc.code_insee = d._commune_1
  LEFT JOIN (SELECT seuil_q1 AS _seuil_territoire FROM lim WHERE annee = ${annee} AND code_epci = '' LIMIT 1) t ON TRUE`
      : ''
  }`;
  const seuilSql = `CASE WHEN sc.code_insee IS NULL THEN t._seuil_territoire ELSE sc.seuil_q1 END`;
  const avecSeuil = (expression: string) => expression.replaceAll('_seuil_q1', `(${seuilSql})`);

  const base = `${p}base AS (
  SELECT d.nur, d.date_depot, d.date_radiation,
    coalesce(d.mutation, FALSE) AS _mutation,
    ${champs.map((c) => `${avecSeuil(expressionChamp(c, ctx))} AS ${ident(c.nom)}`).join(',\n    ')}${champs.length > 0 ? ',' : ''}
    ${grille.similaires.map((c, i) => `${avecSeuil(expressionChamp(c, ctx))} AS k${i}`).join(', ')}${cles.length > 0 ? ',' : ''}
    TRUE AS _base
  FROM ${source(active, lisQ1)}
)`;

  // Lines: one column per criterion of each section.
  // Criteria written identically in both sections (YAML anchors) are computed once: a column per distinct
  // criterion, whatever its section; the section only decides which columns a request's note adds up.
  const colonnes = new Map<string, string>();
  const colonneDe = (sql: string, prefixe: string) => {
    let nom = colonnes.get(sql);
    if (nom === undefined) {
      nom = `${prefixe}${colonnes.size}`;
      colonnes.set(sql, nom);
    }
    return nom;
  };
  const criteres: ColonneCritere[] = [];
  const rubriques: { section: number; rubrique: Rubrique; brut: string; plafonne: string; gagnant: string }[] = [];
  const refus: { section: number; colonne: string }[] = [];
  grille.sections.forEach((section, si) => {
    const rubriqueDe = new Map<string, number>();
    section.rubriques.forEach((r, ri) => r.criteres.forEach((id) => rubriqueDe.set(id, ri)));
    section.rubriques.forEach((r, ri) => rubriques.push({ section: si, rubrique: r, brut: `h${si}_${ri}`, plafonne: `hp${si}_${ri}`, gagnant: `hw${si}_${ri}` }));
    section.criteres.forEach((c) => {
      const ri = rubriqueDe.get(c.id);
      const r = ri === undefined ? undefined : section.rubriques[ri];
      const membres = r ? section.criteres.filter((x) => r.criteres.includes(x.id)) : [];
      criteres.push({
        section: si,
        critere: c,
        colonne: colonneDe(critereSql(c, ctx), 'v'),
        rubrique: r && ri !== undefined ? { colonne: `h${si}_${ri}`, gagnant: `hw${si}_${ri}`, indice: membres.findIndex((x) => x.id === c.id), mode: r.mode } : null,
      });
    });
    if (section.refus) {
      const f = section.refus;
      const n = f.parRefus ? (f.maxRefus === null ? 'nb_refus' : `least(nb_refus, ${f.maxRefus})`) : '1';
      refus.push({ section: si, colonne: colonneDe(`CASE WHEN nb_refus > 0 THEN ${f.centiemes} * ${n} END`, 'v') });
    }
  });

  const colonnesBase = [
    'nur',
    'date_depot',
    '_mutation',
    ...cles,
    ...(options.impact ? ['typologie_min', 'q1', 'dalo', 'prioritaire', 'travailleur_essentiel'].map(ident) : []),
  ];
  const lignes = `${p}lignes AS (
  SELECT ${colonnesBase.join(', ')},
    ${[...colonnes].map(([sql, nom]) => `${sql} AS ${nom}`).join(',\n    ') || 'NULL AS _vide'}
  FROM ${p}base
)`;

  const membresDe = (si: number, r: Rubrique) => criteres.filter((c) => c.section === si && r.criteres.includes(c.critere.id));
  const rubSelect = rubriques.map(({ section, rubrique, brut }) => {
    const cols = membresDe(section, rubrique).map((c) => c.colonne);
    return rubrique.mode === 'max'
      ? `greatest(${cols.join(', ')}) AS ${brut}`
      : `CASE WHEN ${cols.map((c) => `${c} IS NULL`).join(' AND ')} THEN NULL ELSE ${cols.map((c) => `coalesce(${c}, 0)`).join(' + ')} END AS ${brut}`;
  });
  const rub = `${p}rub AS (
  SELECT *${rubSelect.length > 0 ? `, ${rubSelect.join(', ')}` : ''} FROM ${p}lignes
)`;

  // The first member (grid order) reaching the best value of a max heading is the one that counts.
  const gagnantSelect = rubriques
    .filter((r) => r.rubrique.mode === 'max')
    .map(({ section, rubrique, brut, gagnant }) => `CASE ${membresDe(section, rubrique).map((c, i) => `WHEN ${c.colonne} = ${brut} THEN ${i}`).join(' ')} END AS ${gagnant}`);
  const plafSelect = rubriques.map(({ rubrique, brut, plafonne }) =>
    rubrique.plafondCentiemes === null ? `${brut} AS ${plafonne}` : `CASE WHEN ${brut} IS NULL THEN NULL ELSE least(${brut}, ${rubrique.plafondCentiemes}) END AS ${plafonne}`,
  );
  const rub2 = `${p}rub2 AS (
  SELECT *${[...gagnantSelect, ...plafSelect].length > 0 ? `, ${[...gagnantSelect, ...plafSelect].join(', ')}` : ''} FROM ${p}rub
)`;

  const compte = (c: ColonneCritere) => {
    if (c.rubrique === null || c.rubrique.mode === 'somme') return `${c.colonne} IS NOT NULL`;
    return `coalesce(${c.rubrique.gagnant} = ${c.rubrique.indice}, FALSE)`;
  };
  // The explanation travels as a bit mask (one bit per line of the section, sections being exclusive): a string per
  // request would be carried through the ranking sort; the ids are decoded only for the requests written out.
  const lignesExplication = grille.sections.map((_, si) => [
    ...criteres.filter((c) => c.section === si).map((c) => ({ id: c.critere.id, quand: compte(c) })),
    ...rubriques
      .filter((r) => r.section === si && r.rubrique.plafondCentiemes !== null)
      .map((r) => ({ id: `${PREFIXE_PLAFOND}${r.rubrique.id}`, quand: `coalesce(${r.brut} > ${r.rubrique.plafondCentiemes}, FALSE)` })),
    ...refus.filter((r) => r.section === si).map((r) => ({ id: ID_REFUS, quand: `${r.colonne} IS NOT NULL` })),
  ]);
  const noteDeLaSection = (si: number) => {
    const termes = [
      ...criteres.filter((c) => c.section === si && c.rubrique === null).map((c) => `coalesce(${c.colonne}, 0)`),
      ...rubriques.filter((r) => r.section === si).map((r) => `coalesce(${r.plafonne}, 0)`),
      ...refus.filter((r) => r.section === si).map((r) => `coalesce(${r.colonne}, 0)`),
    ];
    return termes.length > 0 ? termes.join(' + ') : '0';
  };
  // Booleans times powers of two: cheaper than one CASE per line.
  const masqueDeLaSection = (si: number) => {
    const bits = (lignesExplication[si] ?? []).map((l, i) => `CAST(${l.quand} AS BIGINT) * ${1n << BigInt(i)}`);
    return bits.length > 0 ? bits.join(' + ') : '0';
  };
  const parSection = (expression: (si: number) => string) => {
    if (grille.sections.length === 1) return expression(0);
    const mut = grille.sections.findIndex((x) => x.portee === 'mutation');
    // Only the request's own section is evaluated (CASE evaluates a branch on the rows that take it).
    return `CASE WHEN _mutation THEN ${expression(mut)} ELSE ${expression(1 - mut)} END`;
  };
  const detailCols = options.details
    ? `, ${[...new Set([...criteres.map((c) => c.colonne), ...rubriques.flatMap((r) => [r.brut, r.plafonne]), ...refus.map((r) => r.colonne)])].join(', ')}`
    : '';
  const impactCols = options.impact
    ? `, ${typologieSql('"typologie_min"')} AS typologie, coalesce("q1", FALSE) AS _q1, coalesce("dalo", FALSE) OR coalesce("prioritaire", FALSE) AS _prioritaire, coalesce("travailleur_essentiel", FALSE) AS _te`
    : '';
  const notes = `${p}notes AS (
  SELECT nur, date_depot, _mutation${cles.map((k) => `, ${k}`).join('')},
    CAST(${parSection(noteDeLaSection)} AS BIGINT) AS centiemes,
    CAST(${parSection(masqueDeLaSection)} AS BIGINT) AS masque${impactCols}${detailCols}
  FROM ${p}rub2
)`;

  // The satisfied requests are read by their own narrow scan: sharing `base` would make DuckDB scan the requests twice
  // with every field of the grid. Unknown key values form a group of their own (IS NOT DISTINCT FROM).
  const satisf = `${p}satisf AS (
  SELECT ${grille.similaires.map((c, i) => `${avecSeuil(expressionChamp(c, ctx))} AS k${i}, `).join('')}avg(date_diff('day', d.date_depot, d.date_radiation)) AS delai, count(*) AS nb
  FROM ${source(satisfaite, grille.similaires.some((c) => c.nom === 'q1'))}${cles.length > 0 ? `
  GROUP BY ${cles.map((_, i) => i + 1).join(', ')}` : ''}
)`;
  // count(*) FILTER (…) OVER (…) is pathologically slow in DuckDB 1.5: rank and count share one plain window.
  const partition = cles.length > 0 ? `PARTITION BY ${cles.map((k) => `n.${k}`).join(', ')} ` : '';
  const jointure = cles.length > 0 ? cles.map((k) => `s.${k} IS NOT DISTINCT FROM n.${k}`).join(' AND ') : 'TRUE';
  const cotes = `${p}cotes AS (
  SELECT n.*,
    rank() OVER (${partition}ORDER BY n.centiemes DESC) AS rang,
    count(*) OVER (${partition.trim()}) AS nb_similaires,
    CAST(round(s.delai) AS INTEGER) AS delai_moyen_jours,
    coalesce(s.nb, 0) AS nb_satisfaites
  FROM ${p}notes n LEFT JOIN ${p}satisf s ON ${jointure}
)`;

  const criteresSql = (masque: string, mutation: string): string => {
    const decode = (ls: readonly { id: string }[]) =>
      ls.length === 0 ? `''` : `concat_ws('|', ${ls.map((l, i) => `CASE WHEN (${masque} & ${1n << BigInt(i)}) <> 0 THEN ${literal(l.id)} END`).join(', ')})`;
    const [premiere, seconde] = lignesExplication;
    if (grille.sections.length === 1 || !seconde) return decode(premiere ?? []);
    const mut = grille.sections.findIndex((x) => x.portee === 'mutation');
    return `CASE WHEN ${mutation} THEN ${decode(lignesExplication[mut] ?? [])} ELSE ${decode(lignesExplication[1 - mut] ?? [])} END`;
  };
  const porteeSqlDe = (mutation: string): string =>
    grille.sections.length === 1 ? literal(grille.sections[0]?.portee ?? 'toutes') : `CASE WHEN ${mutation} THEN 'mutation' ELSE 'premier_acces' END`;

  return {
    ctes: [...(lisQ1 || grille.similaires.some((c) => c.nom === 'q1') ? [seuilCommune] : []), base, lignes, rub, rub2, notes, satisf, cotes].join(',\n'),
    criteresSql,
    explications: grille.sections.map((section, si) => ({ portee: section.portee, ids: (lignesExplication[si] ?? []).map((l) => l.id) })),
    porteeSql: porteeSqlDe,
    cotes: `${p}cotes`,
    notes: `${p}notes`,
    cles,
    criteres,
    rubriques: rubriques.map(({ section, rubrique, brut, plafonne }) => ({ section, rubrique, brut, plafonne })),
    refus: refus.map(({ section, colonne }) => ({ section, colonne })),
  };
}
