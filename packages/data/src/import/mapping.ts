import { readFileSync } from 'node:fs';
import { DonneesInvalidesError, FILE_NAMES, FILE_SPECS } from '@mixite/core';
import type { FileName } from '@mixite/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/**
 * A header mapping ("correspondance"): how another extraction's file names, headers and codes map onto
 * the canonical format. See docs/correspondances.md and mappings/ for an example.
 */
const fileMappingSchema = z
  .object({
    /** Source file names this entry applies to: exact names or simple globs with `*`, case-insensitive. */
    fichiers: z.array(z.string().min(1)).default([]),
    /** Source header → canonical column. */
    colonnes: z.record(z.string(), z.string()).default({}),
    /** Canonical column → (source code → canonical code). */
    codes: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  })
  .strict();

export const mappingSchema = z
  .object({
    nom: z.string().min(1),
    description: z.string().optional(),
    fichiers: z.partialRecord(z.enum(FILE_NAMES), fileMappingSchema),
  })
  .strict()
  .superRefine((mapping, ctx) => {
    for (const [file, fm] of Object.entries(mapping.fichiers)) {
      if (!fm) continue;
      const columns = FILE_SPECS[file as FileName].columns;
      for (const [source, target] of Object.entries(fm.colonnes)) {
        if (!(target in columns)) {
          ctx.addIssue({ code: 'custom', path: ['fichiers', file, 'colonnes', source], message: `« ${target} » n’est pas une colonne de ${file}.csv` });
        }
      }
      for (const column of Object.keys(fm.codes)) {
        if (!(column in columns)) {
          ctx.addIssue({ code: 'custom', path: ['fichiers', file, 'codes', column], message: `« ${column} » n’est pas une colonne de ${file}.csv` });
        }
      }
    }
  });

export type Mapping = z.infer<typeof mappingSchema>;
export type FileMapping = z.infer<typeof fileMappingSchema>;

/** A mapping file that cannot be used: every problem, located in the file by its key path. */
export class MappingError extends DonneesInvalidesError {
  constructor(
    readonly fichier: string,
    readonly details: readonly string[],
  ) {
    super(`Fichier de correspondance ${fichier} invalide :\n${details.map((d) => `  - ${d}`).join('\n')}`, { problemes: details.map((message) => ({ fichier, message })) });
  }
}

export function loadMapping(path: string): Mapping {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new MappingError(path, [`YAML illisible : ${(error as Error).message}`]);
  }
  const result = mappingSchema.safeParse(document);
  if (!result.success) throw new MappingError(path, result.error.issues.map((i) => `${i.path.join('.')} : ${i.message}`));
  return result.data;
}

/** Which canonical file a source file name is, from its name (`demandes.csv`) or the mapping's patterns. */
export function canonicalFileOf(fileName: string, mapping: Mapping | null): FileName | null {
  const lower = fileName.toLowerCase();
  const base = lower.replace(/\.(csv|xlsx|txt)$/, '');
  if ((FILE_NAMES as readonly string[]).includes(base)) return base as FileName;
  if (!mapping) return null;
  for (const [file, fm] of Object.entries(mapping.fichiers)) {
    if (fm?.fichiers.some((pattern) => globToRegExp(pattern).test(lower))) return file as FileName;
  }
  return null;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${escaped}$`);
}
