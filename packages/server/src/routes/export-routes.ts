import { Hono } from 'hono';
import { z } from 'zod';
import { estPseudonyme, pseudonymiser } from '../auth/pseudonymes.ts';
import { NUR_EN_CLAIR, autorise } from '../auth/roles.ts';
import type { Tableau } from '../contract.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, ForbiddenError, ValidationError } from '../http/errors.ts';
import { disposition, fileName, toCsv, toXlsx } from '../http/table-file.ts';
import type { AppEnv } from '../http/viewer.ts';
import { readJson } from './configuration-routes.ts';

/** At most this many rows in one exported table (the largest on screen, the allocations of a year, stay far below). */
const MAX_ROWS = 500_000;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);
const tableauSchema = z.object({
  titre: z.string().max(200),
  colonnes: z
    .array(z.object({ cle: z.string().min(1), libelle: z.string(), type: z.enum(['texte', 'entier', 'nombre', 'taux', 'date', 'booleen']) }))
    .min(1)
    .max(100),
  lignes: z.array(z.record(z.string(), cell.optional())).max(MAX_ROWS),
});

/** The column that makes a table household-level: the allocation lists carry the households' NUR. */
const NUR = 'nur';

/**
 * POST /api/export?format=csv|xlsx with the table on screen. The client only sends back rows it was given, so the
 * route reveals nothing the viewer could not already see. A household-level table (a `nur` column) is exported
 * only by the roles that read household rows, with the NUR pseudonymised for those that read it so on screen,
 * and the export is written to the audit log.
 */
export function exportRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/export', async (c) => {
    const format = c.req.query('format');
    if (format !== 'csv' && format !== 'xlsx') throw new BadRequestError(`format d’export inconnu : « ${format ?? ''} » (attendu : csv ou xlsx)`);
    const parsed = tableauSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new ValidationError('tableau à exporter illisible', parsed.error.issues.slice(0, 20).map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    }
    let tableau = parsed.data as Tableau<object>;
    const viewer = c.var.viewer;
    if (tableau.colonnes.some((col) => col.cle === NUR)) {
      if (!autorise(viewer.role, 'menages')) throw new ForbiddenError('export de données des ménages refusé à ce rôle');
      if (!NUR_EN_CLAIR[viewer.role]) {
        const cle = await deps.clePseudonymes();
        tableau = {
          ...tableau,
          lignes: tableau.lignes.map((row) => {
            const value = (row as Record<string, unknown>)[NUR];
            return typeof value === 'string' && !estPseudonyme(value) ? { ...row, [NUR]: pseudonymiser(cle, value) } : row;
          }),
        };
      }
      await deps.audit.ecrire(viewer, 'export_menages', tableau.titre, { format, lignes: tableau.lignes.length });
    }
    const name = `${fileName(tableau.titre)}.${format}`;
    if (format === 'csv') {
      return new Response(toCsv(tableau), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': disposition(name) } });
    }
    return new Response(new Uint8Array(await toXlsx(tableau)), {
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': disposition(name) },
    });
  });
  return app;
}
