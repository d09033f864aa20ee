import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import type { TargetId } from '../indicators/declarations.ts';
import { CIBLES_DECLAREES } from '../indicators/declarations.ts';
import type { PerimeterType } from '../indicators/perimeter-types.ts';
import { PERIMETER_TYPES } from '../indicators/perimeter-types.ts';
import { parcParametresSchema } from '../parc/parametres.ts';
import { fluxSchema } from '../flux/parametres.ts';
import { caleolParametresSchema } from '../caleol/parametres.ts';

// Messages of zod in French: they reach the users of the import and settings screens.
z.config(z.locales.fr());

/**
 * The CIA configuration (`cia.yaml` of a dataset, then the settings saved in the store).
 * Defaults are those of DATA-FORMAT.md: the national legal targets, assimilated sectors not counted
 * as QPV, the INSEE/OECD-modified consumption units, and a secrecy threshold of 11 households.
 */

/** The keys of `cibles` and their defaults come from the indicator declarations (one home per indicator). */
export const TARGET_IDS: readonly TargetId[] = CIBLES_DECLAREES.map((c) => c.cle);
export type { TargetId };

export { PERIMETER_TYPES };
export type { PerimeterType };

const share = z.number().min(0, 'une part entre 0 et 1').max(1, 'une part entre 0 et 1');

export const CIBLES_PAR_DEFAUT: Readonly<Record<TargetId, number | null>> = Object.fromEntries(CIBLES_DECLAREES.map((c) => [c.cle, c.defaut])) as Record<
  TargetId,
  number | null
>;

/**
 * The default minimum denominator of a judged rate: with 20 households one allocation moves the rate by 5 points,
 * as much as the margin most targets are judged on (25 %, 50 %); below it, 1 / 1 = 100 % and 0 / 1 = 0 % say nothing.
 */
export const EFFECTIF_MINIMUM_PAR_DEFAUT = 20;

export const UC_PAR_DEFAUT = { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.3 } as const;

/**
 * The schema of the configuration. `strict` (every document a user writes: cia.yaml, the settings screen):
 * an unknown key is an error — a typo must not silently leave a target at its default — and the secrecy
 * threshold is at least 1 (the public edition masks counts below it). Lenient (configurations already stored
 * by an earlier version): unknown keys are dropped, so that an old store still opens.
 */
function configSchema(strict: boolean) {
  const object = <T extends z.ZodRawShape>(shape: T) => (strict ? z.strictObject(shape) : z.object(shape));
  const perimeterTarget = object({
    indicateur: z.string().min(1),
    perimetre_type: z.enum(PERIMETER_TYPES),
    perimetre_id: z.coerce.string().min(1),
    cible: share.nullable(),
  });
  const cibles = object(
    Object.fromEntries(TARGET_IDS.map((id) => [id, share.nullable().optional()])) as Record<TargetId, z.ZodOptional<z.ZodNullable<typeof share>>>,
  ).default({});
  return object({
    code_epci: z.coerce.string().regex(/^[0-9]{9}$/, 'un SIREN de 9 chiffres').nullable().optional(),
    cibles,
    cibles_par_perimetre: z.array(perimeterTarget).default([]),
    assimiles_comme_qpv: z.boolean().default(false),
    uc: object({
      premiere_personne: z.number().positive(),
      autre_14_ans_et_plus: z.number().min(0),
      moins_14_ans: z.number().min(0),
    }).default({ ...UC_PAR_DEFAUT }),
    secret_statistique: strict
      ? z
          .number()
          .int()
          .min(1, 'au moins 1 : l’édition publique masque les effectifs inférieurs à ce seuil (11 est l’usage)')
          .default(11)
      : z.number().int().min(0).default(11),
    // Below this many households in its denominator a rate is marked « faible effectif » (one household moves it by
    // 5 points or more at 20, the size of the gaps the targets are judged on) and left out of the met/missed counts
    // of summaries unless `compter_faibles_effectifs` (indicators/targets.ts, `faibleEffectif`).
    effectif_minimum: z
      .number()
      .int('un nombre entier de ménages')
      .min(1, 'au moins 1 ménage (1 : aucun taux n’est marqué « faible effectif »)')
      .max(10_000, 'au plus 10 000 ménages')
      .default(EFFECTIF_MINIMUM_PAR_DEFAUT),
    compter_faibles_effectifs: z.boolean().default(false),
    // Gestion en flux (issue 13): optional, defaults in flux/parametres.ts, so that older configurations stay as they are.
    flux: fluxSchema(object).optional(),
    // The stock analysis (issue 14): optional, defaults in parc/parametres.ts (parametresParc).
    parc: parcParametresSchema.optional(),
    // The CALEOL list rules (issue 15): optional, defaults in caleol/parametres.ts (parametresCaleol).
    caleol: caleolParametresSchema.optional(),
  }).transform((c) => ({
    ...c,
    code_epci: c.code_epci ?? null,
    cibles: { ...CIBLES_PAR_DEFAUT, ...Object.fromEntries(Object.entries(c.cibles).filter(([, v]) => v !== undefined)) } as Record<
      TargetId,
      number | null
    >,
  }));
}

export const ciaConfigSchema = configSchema(true);
const storedCiaConfigSchema = configSchema(false);
export const perimeterTargetSchema = ciaConfigSchema.in.shape.cibles_par_perimetre.unwrap().element;
export type PerimeterTarget = z.infer<typeof perimeterTargetSchema>;

export type CiaConfig = z.output<typeof ciaConfigSchema>;

export const DEFAULT_CIA_CONFIG: CiaConfig = ciaConfigSchema.parse({});

/** A located problem in a configuration document. */
export interface ConfigIssue {
  readonly chemin: string;
  readonly message: string;
  /** Line of the YAML document (1 = first), when the document is YAML. */
  readonly ligne?: number | null;
}

type Path = readonly PropertyKey[];

/** Issues of a strict parse, one per unknown key (with the known keys of its place, to spot the typo). */
function issuesOf(error: z.ZodError): { path: Path; message: string }[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: `clé inconnue « ${key} »${knownKeysHint(issue.path)} : une faute de frappe laisserait la valeur par défaut` }))
      : [{ path: issue.path, message: issue.message }],
  );
}

function knownKeysHint(path: Path): string {
  const where = path.filter((p) => typeof p === 'string').join('.');
  const known: Record<string, readonly string[]> = {
    '': ['code_epci', 'cibles', 'cibles_par_perimetre', 'assimiles_comme_qpv', 'uc', 'secret_statistique', 'effectif_minimum', 'compter_faibles_effectifs', 'flux', 'parc', 'caleol'],
    caleol: ['nombre_candidats', 'q1_minimum_hors_qpv', 'prioritaires_minimum_contingent_etat', 'taux_effort_maximum', 'communes_paris_limitrophes'],
    flux: ['exclusions', 'annees_prevision', 'periodes_construction'],
    parc: ['taux_effort', 'hypothese_centrale', 'reste_a_vivre_minimum', 'menages_de_reference', 'fragilite', 'baremes_apl'],
    cibles: TARGET_IDS,
    uc: Object.keys(UC_PAR_DEFAUT),
    cibles_par_perimetre: ['indicateur', 'perimetre_type', 'perimetre_id', 'cible'],
  };
  const keys = known[where];
  return keys ? ` (clés possibles : ${keys.join(', ')})` : '';
}

const pathText = (path: Path) => path.map(String).join('.') || '(racine)';

/** Validates a configuration document a user wrote (YAML or JSON, already parsed): strict. */
export function validateCiaConfig(document: unknown): { ok: true; config: CiaConfig } | { ok: false; problemes: ConfigIssue[] } {
  const result = ciaConfigSchema.safeParse(document ?? {});
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, problemes: issuesOf(result.error).map((i) => ({ chemin: pathText(i.path), message: i.message })) };
}

/**
 * Reads a configuration stored by the application (validated when saved, maybe by an earlier, laxer version):
 * defaults added since are filled, keys no longer known dropped. Null when it cannot be read at all.
 */
export function readStoredCiaConfig(document: unknown): CiaConfig | null {
  const strict = ciaConfigSchema.safeParse(document ?? {});
  if (strict.success) return strict.data;
  const lenient = storedCiaConfigSchema.safeParse(document ?? {});
  return lenient.success ? lenient.data : null;
}

/** A cia.yaml read: its configuration and the line of any of its paths, or its located problems. */
export type CiaYamlResult =
  | { readonly ok: true; readonly config: CiaConfig; readonly ligneDe: (path: Path) => number | null }
  | { readonly ok: false; readonly problemes: ConfigIssue[] };

/** Parses and validates a cia.yaml text strictly; every problem carries its line. */
export function validateCiaYaml(text: string): CiaYamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problemes: doc.errors.map((e) => ({ chemin: '(document)', ligne: e.linePos?.[0]?.line ?? null, message: `YAML illisible : ${e.message.split('\n')[0]}` })),
    };
  }
  const ligneDe = (path: Path): number | null => {
    // The line of the key itself when the path ends on a key, else of the nearest node above.
    for (let n = path.length; n >= 0; n--) {
      const parent = n === 0 ? doc.contents : doc.getIn(path.slice(0, n - 1) as unknown[], true);
      if (n > 0 && isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(path[n - 1]));
        const range = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (range) return lineCounter.linePos(range[0]).line;
      }
      if (n > 0 && isSeq(parent)) {
        const item = parent.items[Number(path[n - 1])] as { range?: [number, number, number] } | undefined;
        if (item?.range) return lineCounter.linePos(item.range[0]).line;
      }
    }
    return null;
  };
  const result = ciaConfigSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return { ok: true, config: result.data, ligneDe };
  return { ok: false, problemes: issuesOf(result.error).map((i) => ({ chemin: pathText(i.path), message: i.message, ligne: ligneDe(i.path) })) };
}
