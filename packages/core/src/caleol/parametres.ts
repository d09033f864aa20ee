import { z } from 'zod';

/**
 * The CALEOL rules of the CIA (issue 15), key `caleol` of cia.yaml, every one optional:
 * - `nombre_candidats`: candidates per list (default 3: a CALEOL examines, in principle, three per dwelling);
 * - `q1_minimum_hors_qpv`: candidates of the list outside QPV who count for the hors-QPV target (first quartile or
 *   relocated by a renewal operation); default 1 (seed 001, Grand Est workshop: « au moins un candidat du premier
 *   quartile dans chaque liste hors QPV »); 0 turns the rule off;
 * - `prioritaires_minimum_contingent_etat`: priority candidates (DALO or labelled priority) on a dwelling of the
 *   State's priority contingent (type `etat_prioritaires`); default 1; 0 turns the rule off;
 * - `taux_effort_maximum`: the effort rate after estimated APL above which a request does not fit the dwelling
 *   (default 0.33; bailleurs use 30 % or 33 %, DOMAIN.md: a parameter, not a rule of law);
 * - `communes_paris_limitrophes`: INSEE codes of the communes adjacent to Paris, zone of the highest income ceilings
 *   (default: the list of plafonds.ts, to check against the arrêté of the year).
 */
const entier = (min: number, max: number) => z.number().int('un nombre entier').min(min).max(max);

export const caleolParametresSchema = z.strictObject({
  nombre_candidats: entier(1, 10).optional(),
  q1_minimum_hors_qpv: entier(0, 10).optional(),
  prioritaires_minimum_contingent_etat: entier(0, 10).optional(),
  taux_effort_maximum: z.number().min(0.05, 'un taux entre 0,05 et 1').max(1, 'un taux entre 0,05 et 1').optional(),
  communes_paris_limitrophes: z.array(z.string().regex(/^\d{5}$/, 'un code INSEE de 5 chiffres')).optional(),
});
export type CaleolParametresSaisis = z.infer<typeof caleolParametresSchema>;

/** The parameters with every default filled in. */
export interface CaleolParametres {
  readonly nombre_candidats: number;
  readonly q1_minimum_hors_qpv: number;
  readonly prioritaires_minimum_contingent_etat: number;
  readonly taux_effort_maximum: number;
  readonly communes_paris_limitrophes: readonly string[];
}

/**
 * Communes adjacent to Paris (Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne, woods of Boulogne and Vincennes
 * included). The arrêtés of ceilings name the zone « Paris et communes limitrophes » without a list of codes: this
 * one is a default to check, hence a parameter.
 */
export const COMMUNES_PARIS_LIMITROPHES: readonly string[] = [
  '92012', '92024', '92040', '92044', '92046', '92049', '92051', '92062', '92064', '92073', '92075',
  '93001', '93006', '93045', '93048', '93055', '93061', '93066', '93070',
  '94018', '94033', '94037', '94041', '94042', '94043', '94052', '94067', '94069', '94080',
];

export function parametresCaleol(saisis: CaleolParametresSaisis | undefined, nombre?: number): CaleolParametres {
  return {
    nombre_candidats: nombre ?? saisis?.nombre_candidats ?? 3,
    q1_minimum_hors_qpv: saisis?.q1_minimum_hors_qpv ?? 1,
    prioritaires_minimum_contingent_etat: saisis?.prioritaires_minimum_contingent_etat ?? 1,
    taux_effort_maximum: saisis?.taux_effort_maximum ?? 0.33,
    communes_paris_limitrophes: saisis?.communes_paris_limitrophes ?? COMMUNES_PARIS_LIMITROPHES,
  };
}
