import { z } from 'zod';
import { RequeteInvalideError } from '../erreurs.ts';
import type { ZoneApl } from '../format/codes.ts';
import { ZONES_APL } from '../format/codes.ts';

/**
 * The dated parameter tables of the APL of a tenant (CCH D823-16 and D823-17; arrêté of 27 September 2019 relatif au
 * calcul des aides personnelles au logement, articles 7 to 16), as OpenFisca-France keeps them under
 * `prestations_sociales/aides_logement/allocations_logement/locatif/formule/` (values in /work/shared/REAL-FORMATS.md).
 *
 * A table applies from its `debut` until the next one: the yearly revaluation is on 1 October. A user extends the
 * tables for the next year without a new version of Mixité (`parc.baremes_apl` of cia.yaml, same shape, checked by
 * `baremeAplSchema`).
 *
 * Rates are fractions (2.83 % = 0.0283); amounts are euros (ceilings, charges and P0 a month, R0 a year).
 */

const euros = z.number().min(0);
const taux = z.number().min(-1).max(1);

const plafondsZoneSchema = z.strictObject({
  seul: euros,
  couple: euros,
  une_personne_a_charge: euros,
  par_personne_a_charge_supplementaire: euros,
});

export const baremeAplSchema = z.strictObject({
  /** First day the table applies, YYYY-MM-DD. */
  debut: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'une date AAAA-MM-JJ'),
  /** Legal text and publication the values come from. */
  source: z.string().min(1),
  /** Rent ceilings L (€ a month) by APL zone — arrêté of 27 September 2019, art. 7. */
  plafonds: z.strictObject({ '1': plafondsZoneSchema, '2': plafondsZoneSchema, '3': plafondsZoneSchema }),
  /** Flat charges C (€ a month) — art. 10. */
  charges: z.strictObject({ base: euros, par_personne_a_charge: euros }),
  /** P0 = max(taux × (L + C), minimum) — art. 13. */
  p0: z.strictObject({ taux, minimum: euros }),
  /**
   * R0 (€ a year) — art. 14: single, couple, then by number of dependants (1 to 6, index 0 = one dependant), then
   * per dependant beyond the last given.
   */
  r0: z.strictObject({ seul: euros, couple: euros, personnes_a_charge: z.array(euros).min(1), par_personne_a_charge_supplementaire: euros }),
  /** TF — art. 15: single, couple, by number of dependants (1 to 4), then per dependant beyond (negative). */
  tf: z.strictObject({ seul: taux, couple: taux, personnes_a_charge: z.array(taux).min(1), par_personne_a_charge_supplementaire: taux }),
  /**
   * TL — art. 15: RL = L ÷ zone 2 ceiling of the household, in % rounded to 2 decimals; TL (a fraction) =
   * taux1 × (RL − seuil1) ÷ 100 between seuil1 and seuil2, then taux1 × (seuil2 − seuil1) ÷ 100 + taux2 × (RL − seuil2) ÷ 100.
   */
  tl: z.strictObject({ seuil1: z.number(), taux1: taux, seuil2: z.number(), taux2: taux }),
  /** Flat reduction of the monthly aid (€), D823-16. */
  reduction_forfaitaire: euros,
  /** RLS (€ a month) by APL zone, L832-3: the APL is reduced by `part_rls` of it for a household under its ceilings; null when not given. */
  rls: z.strictObject({ '1': plafondsZoneSchema, '2': plafondsZoneSchema, '3': plafondsZoneSchema }).nullable(),
  part_rls: taux,
});

export type BaremeApl = z.infer<typeof baremeAplSchema>;

const SOURCE_OPENFISCA = 'OpenFisca-France, prestations_sociales/aides_logement/allocations_logement/locatif/formule/';

/** From 1 October 2024 (R0: values of 2024). */
export const BAREME_APL_2024: BaremeApl = {
  debut: '2024-10-01',
  source: `CCH D823-16 et D823-17 ; arrêté du 27 septembre 2019 (art. 7 à 16), valeurs au 1er octobre 2024 (R0 : 2024) ; ${SOURCE_OPENFISCA}`,
  plafonds: {
    '1': { seul: 329.71, couple: 397.64, une_personne_a_charge: 449.43, par_personne_a_charge_supplementaire: 65.21 },
    '2': { seul: 287.35, couple: 351.72, une_personne_a_charge: 395.77, par_personne_a_charge_supplementaire: 57.61 },
    '3': { seul: 269.32, couple: 326.48, une_personne_a_charge: 366.07, par_personne_a_charge_supplementaire: 52.47 },
  },
  charges: { base: 59.97, par_personne_a_charge: 13.6 },
  p0: { taux: 0.085, minimum: 39.15 },
  r0: { seul: 5186, couple: 7430, personnes_a_charge: [8862, 9061, 9408, 9758, 10105, 10454], par_personne_a_charge_supplementaire: 343 },
  tf: { seul: 0.0283, couple: 0.0315, personnes_a_charge: [0.027, 0.0238, 0.0201, 0.0185], par_personne_a_charge_supplementaire: -0.0006 },
  tl: { seuil1: 45, taux1: 0.0045, seuil2: 75, taux2: 0.0068 },
  reduction_forfaitaire: 5,
  // The RLS amounts of 2024 are not among the cited values: the RLS cannot be applied with this table.
  rls: null,
  part_rls: 0.98,
};

/** From 1 October 2025 (R0: values of 2025). */
export const BAREME_APL_2025: BaremeApl = {
  debut: '2025-10-01',
  source: `CCH D823-16 et D823-17 ; arrêté du 27 septembre 2019 (art. 7 à 16), valeurs au 1er octobre 2025 (R0 : 2025) ; RLS : CCH L442-2-1, part déduite de l’APL : L832-3 ; ${SOURCE_OPENFISCA}`,
  plafonds: {
    '1': { seul: 333.14, couple: 401.78, une_personne_a_charge: 454.1, par_personne_a_charge_supplementaire: 65.89 },
    '2': { seul: 290.34, couple: 355.38, une_personne_a_charge: 399.89, par_personne_a_charge_supplementaire: 58.21 },
    '3': { seul: 272.12, couple: 329.88, une_personne_a_charge: 369.88, par_personne_a_charge_supplementaire: 53.01 },
  },
  charges: { base: 60.59, par_personne_a_charge: 13.74 },
  p0: { taux: 0.085, minimum: 39.56 },
  r0: { seul: 5235, couple: 7501, personnes_a_charge: [8947, 9148, 9498, 9851, 10202, 10554], par_personne_a_charge_supplementaire: 346 },
  tf: { seul: 0.0283, couple: 0.0315, personnes_a_charge: [0.027, 0.0238, 0.0201, 0.0185], par_personne_a_charge_supplementaire: -0.0006 },
  tl: { seuil1: 45, taux1: 0.0045, seuil2: 75, taux2: 0.0068 },
  reduction_forfaitaire: 5,
  rls: {
    '1': { seul: 39.69, couple: 47.98, une_personne_a_charge: 54.14, par_personne_a_charge_supplementaire: 7.75 },
    '2': { seul: 34.83, couple: 42.53, une_personne_a_charge: 47.49, par_personne_a_charge_supplementaire: 6.9 },
    '3': { seul: 32.61, couple: 39.48, une_personne_a_charge: 44.16, par_personne_a_charge_supplementaire: 6.22 },
  },
  part_rls: 0.98,
};

export const BAREMES_APL: readonly BaremeApl[] = [BAREME_APL_2024, BAREME_APL_2025];

/** The tables known: the built-in ones and the user's (a user table with the same `debut` replaces the built-in one). */
export function baremesApl(ajouts: readonly BaremeApl[] = []): BaremeApl[] {
  const parDebut = new Map<string, BaremeApl>();
  for (const b of [...BAREMES_APL, ...ajouts]) parDebut.set(b.debut, b);
  return [...parDebut.values()].sort((a, b) => a.debut.localeCompare(b.debut));
}

/** The table in force on `date` (YYYY-MM-DD): the latest whose `debut` is on or before it. */
export function baremeApplicable(date: string, baremes: readonly BaremeApl[] = BAREMES_APL): BaremeApl {
  let retenu: BaremeApl | null = null;
  for (const b of baremes) if (b.debut <= date && (retenu === null || b.debut > retenu.debut)) retenu = b;
  if (retenu === null) {
    const premier = [...baremes].sort((a, b) => a.debut.localeCompare(b.debut))[0];
    throw new RequeteInvalideError(
      `aucun barème d’APL pour le ${date} : le premier connu s’applique à partir du ${premier?.debut ?? '(aucun)'} (ajoutez un barème dans parc.baremes_apl de cia.yaml)`,
    );
  }
  return retenu;
}

export const estZoneApl = (v: unknown): v is ZoneApl => typeof v === 'string' && (ZONES_APL as readonly string[]).includes(v);
