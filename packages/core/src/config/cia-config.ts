import { z } from 'zod';

// Messages of zod in French: they reach the users of the import and settings screens.
z.config(z.locales.fr());

/**
 * The CIA configuration (`cia.yaml` of a dataset, then the settings saved in the store).
 * Defaults are those of DATA-FORMAT.md: the national legal targets, assimilated sectors not counted
 * as QPV, the INSEE/OECD-modified consumption units, and a secrecy threshold of 11 households.
 */

export const TARGET_IDS = [
  'hors_qpv_q1',
  'qpv_hors_q1',
  'qpv_q3_q4',
  'prioritaires',
  'etat_prioritaires',
  'mutations',
  'travailleurs_essentiels',
] as const;
export type TargetId = (typeof TARGET_IDS)[number];

export const PERIMETER_TYPES = ['territoire', 'commune', 'qpv', 'bailleur', 'contingent', 'type_contingent'] as const;
export type PerimeterType = (typeof PERIMETER_TYPES)[number];

const share = z.number().min(0, 'une part entre 0 et 1').max(1, 'une part entre 0 et 1');

export const CIBLES_PAR_DEFAUT: Readonly<Record<TargetId, number | null>> = {
  hors_qpv_q1: 0.25,
  qpv_hors_q1: 0.5,
  qpv_q3_q4: null,
  prioritaires: 0.25,
  etat_prioritaires: 1.0,
  mutations: null,
  travailleurs_essentiels: null,
};

export const UC_PAR_DEFAUT = { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.3 } as const;

const ciblesSchema = z
  .object(Object.fromEntries(TARGET_IDS.map((id) => [id, share.nullable().optional()])) as Record<TargetId, z.ZodOptional<z.ZodNullable<typeof share>>>)
  .strict()
  .default({});

export const perimeterTargetSchema = z
  .object({
    indicateur: z.string().min(1),
    perimetre_type: z.enum(PERIMETER_TYPES),
    perimetre_id: z.coerce.string().min(1),
    cible: share.nullable(),
  })
  .strict();
export type PerimeterTarget = z.infer<typeof perimeterTargetSchema>;

export const ciaConfigSchema = z
  .object({
    code_epci: z.coerce.string().regex(/^[0-9]{9}$/, 'un SIREN de 9 chiffres').nullable().optional(),
    cibles: ciblesSchema,
    cibles_par_perimetre: z.array(perimeterTargetSchema).default([]),
    assimiles_comme_qpv: z.boolean().default(false),
    uc: z
      .object({
        premiere_personne: z.number().positive(),
        autre_14_ans_et_plus: z.number().min(0),
        moins_14_ans: z.number().min(0),
      })
      .strict()
      .default({ ...UC_PAR_DEFAUT }),
    secret_statistique: z.number().int().min(0).default(11),
  })
  .passthrough()
  .transform((c) => ({
    ...c,
    code_epci: c.code_epci ?? null,
    cibles: { ...CIBLES_PAR_DEFAUT, ...Object.fromEntries(Object.entries(c.cibles).filter(([, v]) => v !== undefined)) } as Record<
      TargetId,
      number | null
    >,
  }));

export type CiaConfig = z.output<typeof ciaConfigSchema>;

export const DEFAULT_CIA_CONFIG: CiaConfig = ciaConfigSchema.parse({});

/** A located problem in a configuration document. */
export interface ConfigIssue {
  readonly chemin: string;
  readonly message: string;
}

/** Validates an already-parsed configuration document (YAML or JSON). */
export function validateCiaConfig(document: unknown): { ok: true; config: CiaConfig } | { ok: false; problemes: ConfigIssue[] } {
  const result = ciaConfigSchema.safeParse(document ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problemes: result.error.issues.map((issue) => ({ chemin: issue.path.join('.') || '(racine)', message: issue.message })),
  };
}
