import { z } from 'zod';
import { baremeAplSchema, baremesApl } from '../apl/baremes.ts';
import type { BaremeApl } from '../apl/baremes.ts';
import type { MenageDeReference } from '../apl/menage-reference.ts';
import { MENAGES_DE_REFERENCE_PAR_DEFAUT, menageDeReferenceSchema } from '../apl/menage-reference.ts';

/**
 * The parameters of the stock analysis (issue 14), key `parc` of cia.yaml, every one optional:
 * - `taux_effort`: the effort-rate hypotheses a dwelling is affordable under (default 25 / 30 / 35 %, seed 000 fiche
 *   action 5: "trois hypothèses de taux d'effort"); the central one (`hypothese_centrale`, default the middle one)
 *   is the one the crossing uses;
 * - `reste_a_vivre_minimum`: € per UC per day a household must keep (default none: no legal value, DOMAIN.md);
 * - `menages_de_reference`: rooms → reference household (apl/menage-reference.ts);
 * - `fragilite`: the column of occupation.csv counted and the thresholds (default: households under 40 % of the
 *   ceilings, fragile from 25 % inclusive, very fragile above 50 %: CASA, seed 002 §2.5);
 * - `baremes_apl`: APL tables of later years (same shape as the built-in ones, apl/baremes.ts).
 */

export const INDICATEURS_FRAGILITE = [
  'menages_sous_40pct_plafonds',
  'menages_sous_60pct_plafonds',
  'menages_apl',
  'menages_monoparentaux',
  'menages_sans_emploi',
] as const;
export type IndicateurFragilite = (typeof INDICATEURS_FRAGILITE)[number];

const part = z.number().min(0, 'une part entre 0 et 1').max(1, 'une part entre 0 et 1');

export const TAUX_EFFORT_PAR_DEFAUT: readonly number[] = [0.25, 0.3, 0.35];

export const parcParametresSchema = z
  .strictObject({
    taux_effort: z.array(part).min(1).max(6).optional(),
    hypothese_centrale: part.optional(),
    reste_a_vivre_minimum: z.number().min(0).nullable().optional(),
    menages_de_reference: z.array(menageDeReferenceSchema).min(1).optional(),
    fragilite: z
      .strictObject({
        indicateur: z.enum(INDICATEURS_FRAGILITE).optional(),
        seuil_fragile: part.optional(),
        seuil_tres_fragile: part.optional(),
      })
      .optional(),
    baremes_apl: z.array(baremeAplSchema).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.hypothese_centrale !== undefined && !(p.taux_effort ?? TAUX_EFFORT_PAR_DEFAUT).includes(p.hypothese_centrale)) {
      ctx.addIssue({ code: 'custom', path: ['hypothese_centrale'], message: 'l’hypothèse centrale doit être l’un des taux de taux_effort' });
    }
    const f = p.fragilite;
    if ((f?.seuil_fragile ?? 0.25) > (f?.seuil_tres_fragile ?? 0.5)) {
      ctx.addIssue({ code: 'custom', path: ['fragilite', 'seuil_fragile'], message: 'le seuil « fragile » ne peut pas dépasser le seuil « très fragile »' });
    }
    const pieces = (p.menages_de_reference ?? []).map((m) => m.nb_pieces);
    if (new Set(pieces).size !== pieces.length) ctx.addIssue({ code: 'custom', path: ['menages_de_reference'], message: 'un nombre de pièces apparaît deux fois' });
  });
export type ParcParametresSaisis = z.infer<typeof parcParametresSchema>;

export interface SeuilsFragilite {
  readonly indicateur: IndicateurFragilite;
  readonly seuil_fragile: number;
  readonly seuil_tres_fragile: number;
}

/** The parameters with every default filled in. */
export interface ParcParametres {
  readonly taux_effort: readonly number[];
  readonly hypothese_centrale: number;
  readonly reste_a_vivre_minimum: number | null;
  readonly menages_de_reference: readonly MenageDeReference[];
  readonly fragilite: SeuilsFragilite;
  readonly baremes_apl: readonly BaremeApl[];
}

export function parametresParc(saisis: ParcParametresSaisis | undefined): ParcParametres {
  const taux = [...(saisis?.taux_effort ?? TAUX_EFFORT_PAR_DEFAUT)].sort((a, b) => a - b);
  return {
    taux_effort: taux,
    hypothese_centrale: saisis?.hypothese_centrale ?? (taux[Math.floor((taux.length - 1) / 2)] as number),
    reste_a_vivre_minimum: saisis?.reste_a_vivre_minimum ?? null,
    menages_de_reference: saisis?.menages_de_reference ?? MENAGES_DE_REFERENCE_PAR_DEFAUT,
    fragilite: {
      indicateur: saisis?.fragilite?.indicateur ?? 'menages_sous_40pct_plafonds',
      seuil_fragile: saisis?.fragilite?.seuil_fragile ?? 0.25,
      seuil_tres_fragile: saisis?.fragilite?.seuil_tres_fragile ?? 0.5,
    },
    baremes_apl: baremesApl(saisis?.baremes_apl ?? []),
  };
}

/** The column name of an effort-rate hypothesis: 0.25 → abordable_25 (0.325 → abordable_32_5). */
export const colonneHypothese = (taux: number): string => `abordable_${String(Math.round(taux * 1000) / 10).replace('.', '_')}`;
