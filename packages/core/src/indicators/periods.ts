/**
 * Periods of the indicators (DATA-FORMAT.md "Indicator export", DOMAIN.md "Follow-up"): targets are judged
 * per calendar year; bailleurs report every semester (situations at 30 June and 31 December); for the
 * hors-QPV target the préfet looks at the flow of the previous twelve months (3DS law, L441-1 CCH); the commission
 * de coordination may follow the year by quarter (seed 004): `AAAA-T1` … `AAAA-T4`, counted with the same rule.
 * A date belongs to a period when debut ≤ date ≤ fin (both bounds included).
 *
 * The quarters come after the five historical periods, so that the rows of indicateurs.csv keep their order
 * (other tools read it): a period code is only ever added, never renamed.
 */

export const PERIOD_KINDS = [
  'annee',
  'semestre_1',
  'semestre_2',
  'glissant_30_06',
  'glissant_31_12',
  'trimestre_1',
  'trimestre_2',
  'trimestre_3',
  'trimestre_4',
] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export type PeriodeId =
  | `${number}`
  | `${number}-S1`
  | `${number}-S2`
  | `12m-${number}-06-30`
  | `12m-${number}-12-31`
  | `${number}-T1`
  | `${number}-T2`
  | `${number}-T3`
  | `${number}-T4`;

export interface Periode {
  readonly id: PeriodeId;
  readonly kind: PeriodKind;
  /** The year the period belongs to (the year of its last day). */
  readonly annee: number;
  /** First day, ISO `YYYY-MM-DD`, included. */
  readonly debut: string;
  /** Last day, ISO, included. */
  readonly fin: string;
  readonly libelle: string;
}

export const LIBELLES_PERIOD_KIND: Record<PeriodKind, string> = {
  annee: 'Année civile',
  semestre_1: 'Premier semestre',
  semestre_2: 'Second semestre',
  glissant_30_06: 'Douze mois glissants au 30 juin',
  glissant_31_12: 'Douze mois glissants au 31 décembre',
  trimestre_1: 'Premier trimestre',
  trimestre_2: 'Deuxième trimestre',
  trimestre_3: 'Troisième trimestre',
  trimestre_4: 'Quatrième trimestre',
};

/** The quarters of a year, in order (for tables and charts by quarter). */
export const TRIMESTRES = ['trimestre_1', 'trimestre_2', 'trimestre_3', 'trimestre_4'] as const satisfies readonly PeriodKind[];
export const estTrimestre = (kind: PeriodKind): boolean => (TRIMESTRES as readonly PeriodKind[]).includes(kind);

export function periode(kind: PeriodKind, annee: number): Periode {
  const y = String(annee).padStart(4, '0');
  const before = String(annee - 1).padStart(4, '0');
  const make = (id: string, debut: string, fin: string, libelle: string): Periode =>
    Object.freeze({ id: id as PeriodeId, kind, annee, debut, fin, libelle });
  switch (kind) {
    case 'annee':
      return make(y, `${y}-01-01`, `${y}-12-31`, `Année ${y}`);
    case 'semestre_1':
      return make(`${y}-S1`, `${y}-01-01`, `${y}-06-30`, `1er semestre ${y}`);
    case 'semestre_2':
      return make(`${y}-S2`, `${y}-07-01`, `${y}-12-31`, `2d semestre ${y}`);
    case 'glissant_30_06':
      // Straddles two years: 1 July N−1 to 30 June N.
      return make(`12m-${y}-06-30`, `${before}-07-01`, `${y}-06-30`, `12 mois au 30/06/${y}`);
    case 'glissant_31_12':
      return make(`12m-${y}-12-31`, `${y}-01-01`, `${y}-12-31`, `12 mois au 31/12/${y}`);
    case 'trimestre_1':
      return make(`${y}-T1`, `${y}-01-01`, `${y}-03-31`, `1er trimestre ${y}`);
    case 'trimestre_2':
      return make(`${y}-T2`, `${y}-04-01`, `${y}-06-30`, `2e trimestre ${y}`);
    case 'trimestre_3':
      return make(`${y}-T3`, `${y}-07-01`, `${y}-09-30`, `3e trimestre ${y}`);
    case 'trimestre_4':
      return make(`${y}-T4`, `${y}-10-01`, `${y}-12-31`, `4e trimestre ${y}`);
  }
}

/** The periods reported for a year, in the order of the export: the five historical ones, then the four quarters. */
export const periodesDeLAnnee = (annee: number): readonly Periode[] => PERIOD_KINDS.map((kind) => periode(kind, annee));

/**
 * The periods of the demand side (stock, flows, quartiles, tension): the year, its semesters and the twelve-month
 * windows, not the quarters — the quarterly follow-up (seed 004) is that of the allocation targets.
 */
export const periodesDeLaDemande = (annee: number): readonly Periode[] => periodesDeLAnnee(annee).filter((p) => !estTrimestre(p.kind));

const PERIOD_PATTERNS: readonly [RegExp, PeriodKind][] = [
  [/^(\d{4})$/, 'annee'],
  [/^(\d{4})-S1$/, 'semestre_1'],
  [/^(\d{4})-S2$/, 'semestre_2'],
  [/^12m-(\d{4})-06-30$/, 'glissant_30_06'],
  [/^12m-(\d{4})-12-31$/, 'glissant_31_12'],
  [/^(\d{4})-T1$/, 'trimestre_1'],
  [/^(\d{4})-T2$/, 'trimestre_2'],
  [/^(\d{4})-T3$/, 'trimestre_3'],
  [/^(\d{4})-T4$/, 'trimestre_4'],
];

/** Reads a period id of the export (`2024`, `2024-S1`, `12m-2024-06-30`, `2024-T3`…); null when it is not one. */
export function parsePeriode(id: string): Periode | null {
  for (const [pattern, kind] of PERIOD_PATTERNS) {
    const match = pattern.exec(id);
    if (match) return periode(kind, Number(match[1]));
  }
  return null;
}

/** The smallest span of days covering all the periods of a year (1 July N−1 to 31 December N). */
export function fenetreDeLAnnee(annee: number): { debut: string; fin: string } {
  const periodes = periodesDeLAnnee(annee);
  return {
    debut: periodes.map((p) => p.debut).reduce((a, b) => (a < b ? a : b)),
    fin: periodes.map((p) => p.fin).reduce((a, b) => (a > b ? a : b)),
  };
}

/** Whether an ISO date falls in the period (bounds included). */
export const dansLaPeriode = (date: string, p: Periode): boolean => date >= p.debut && date <= p.fin;

/**
 * The additive relations between the periods of a year, « total = Σ parts » (a household counted in a part is
 * counted in its total, and in no other part): year = S1 + S2 = T1 + T2 + T3 + T4, S1 = T1 + T2, S2 = T3 + T4,
 * twelve months to 31 December = year, twelve months to 30 June N = S2 of N−1 + S1 of N. The statistical secrecy
 * reads its relations from period ids (secret-periodes.ts); this list says the same over `Periode`s, and the tests
 * check each relation on the dates (the parts tile the total, day for day).
 */
export function relationsDeLAnnee(annee: number): readonly { readonly total: Periode; readonly parts: readonly Periode[] }[] {
  const p = (kind: PeriodKind, a = annee) => periode(kind, a);
  return [
    { total: p('annee'), parts: [p('semestre_1'), p('semestre_2')] },
    { total: p('annee'), parts: TRIMESTRES.map((t) => p(t)) },
    { total: p('semestre_1'), parts: [p('trimestre_1'), p('trimestre_2')] },
    { total: p('semestre_2'), parts: [p('trimestre_3'), p('trimestre_4')] },
    { total: p('glissant_31_12'), parts: [p('annee')] },
    { total: p('glissant_30_06'), parts: [p('semestre_2', annee - 1), p('semestre_1')] },
  ];
}
