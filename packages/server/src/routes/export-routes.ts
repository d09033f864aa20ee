import { Readable } from 'node:stream';
import { setImmediate as pause } from 'node:timers/promises';
import { Hono } from 'hono';
import { PERIMETER_TYPES, parsePeriode } from '@mixite/core';
import { z } from 'zod';
import type { TravailExport } from '../contract.ts';
import { exiger } from '../http/authentification.ts';
import { contenuMenages } from '../http/contenu-menages.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, HttpError, NotFoundError, ValidationError } from '../http/errors.ts';
import { FORMATS_EXPORT, TYPES_MIME, disposition, reponseFichier } from '../http/table-file.ts';
import type { FormatExport } from '../http/table-file.ts';
import type { AppEnv } from '../http/viewer.ts';
import { isLegalIndicator } from '../repositories/indicateurs-repository.ts';
import type { TravauxExport } from '../services/travaux-export.ts';
import { readJson } from './configuration-routes.ts';

/** The table's frame; its rows are checked apart, in slices (`lignesValides`): zod held the server ~1 s on 50 000 rows. */
const tableauSchema = z.object({
  titre: z.string().max(200),
  colonnes: z
    .array(z.object({ cle: z.string().min(1).max(100), libelle: z.string().max(200), type: z.enum(['texte', 'entier', 'nombre', 'taux', 'date', 'booleen']) }))
    .min(1)
    .max(100),
  lignes: z.array(z.unknown()),
});

type Cellule = string | number | boolean | null | string[];

const estCellule = (v: unknown): v is Cellule | undefined =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

/** Checks every row is an object of cells (text, number, boolean, null, list of text), pausing every few milliseconds. */
async function lignesValides(lignes: readonly unknown[]): Promise<Record<string, Cellule | undefined>[]> {
  let debut = performance.now();
  for (const [i, row] of lignes.entries()) {
    if (i % 100 === 0 && performance.now() - debut > 8) {
      await pause();
      debut = performance.now();
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new ValidationError('tableau à exporter illisible', [{ chemin: `lignes.${i}`, message: 'une ligne est un objet' }]);
    for (const [cle, value] of Object.entries(row)) {
      if (!estCellule(value)) throw new ValidationError('tableau à exporter illisible', [{ chemin: `lignes.${i}.${cle}`, message: 'cellule : texte, nombre, booléen, null ou liste de textes' }]);
    }
  }
  return lignes as Record<string, Cellule | undefined>[];
}

/** A household export is asked by its query: the rows are the server's, never the client's. */
const demandeSchema = z.strictObject({
  ressource: z.literal('attributions'),
  format: z.enum(['csv', 'xlsx']),
  indicateur: z.string().max(50),
  periode: z.string().max(30),
  perimetre_type: z.string().max(30).optional(),
  perimetre_id: z.string().max(100).nullable().optional(),
});

/** An export above the per-request cap (settings, `lignesMaxExport`): refused, with how to narrow it. */
class ExportTropGrandError extends HttpError {
  constructor(message: string) {
    super(422, 'export_trop_grand', message);
  }
}

/**
 * Exports. Two routes, so that no route maps a NUR the caller supplies to its pseudonym:
 * - `POST /api/export?format=csv|xlsx` writes the aggregate table the page sends back. It refuses any
 *   household-level content (judged by the data: identifier columns whatever their names, NUR- or
 *   pseudonym-shaped cells), and never pseudonymises anything;
 * - `POST /api/exports` takes the *query* of a household list (today the allocations behind an indicator row),
 *   reads the rows itself exactly as the on-screen route does (narrowed to the viewer's perimeter, NUR
 *   pseudonymised for the roles that need it), writes every such export to the audit log, and streams the file
 *   — or, above `lignesExportDirect` rows, queues a background job whose progress `GET /api/exports/{id}` gives
 *   and whose file `GET /api/exports/{id}/fichier` sends once.
 * Each is capped per request (`lignesMaxTableau` rows for a table sent back, `lignesMaxExport` for a household list).
 */
export function exportRoutes(deps: Deps, travaux: TravauxExport): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { lignesMaxExport, lignesMaxTableau, lignesExportDirect } = deps.regles;

  app.post('/export', async (c) => {
    const format = c.req.query('format');
    if (!isFormat(format)) throw new BadRequestError(`format d’export inconnu : « ${format ?? ''} » (attendu : csv ou xlsx)`);
    const parsed = tableauSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new ValidationError('tableau à exporter illisible', parsed.error.issues.slice(0, 20).map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    }
    if (parsed.data.lignes.length > lignesMaxTableau) {
      throw new ExportTropGrandError(`le tableau compte ${parsed.data.lignes.length} lignes : un export en compte ${lignesMaxTableau} au plus`);
    }
    const tableau = { ...parsed.data, lignes: await lignesValides(parsed.data.lignes) };
    const motif = await contenuMenages(tableau.colonnes, tableau.lignes);
    if (motif) {
      throw new HttpError(
        422,
        'donnees_menages',
        `export refusé : ce tableau contient des données de ménages (${motif}). Les listes de ménages s’exportent depuis leur page, qui les lit sur le serveur avec vos droits.`,
      );
    }
    return reponseFichier(format, tableau);
  });

  app.post('/exports', exiger('menages'), async (c) => {
    const parsed = demandeSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) {
      throw new ValidationError('demande d’export illisible', parsed.error.issues.slice(0, 20).map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    }
    const demande = parsed.data;
    if (!isLegalIndicator(demande.indicateur)) throw new NotFoundError(`indicateur inconnu : « ${demande.indicateur} »`);
    const periode = parsePeriode(demande.periode);
    if (!periode) throw new BadRequestError('« periode » attendue : 2024, 2024-S1, 2024-S2, 12m-2024-06-30 ou 12m-2024-12-31');
    const perimetre_type = demande.perimetre_type ?? 'territoire';
    if (!(PERIMETER_TYPES as readonly string[]).includes(perimetre_type) && perimetre_type !== 'non_reserve') {
      throw new BadRequestError(`type de périmètre inconnu : « ${perimetre_type} » (attendu : ${PERIMETER_TYPES.join(', ')})`);
    }
    const perimetre_id = demande.perimetre_id ?? null;
    if (perimetre_id !== null && /\p{Cc}/u.test(perimetre_id)) throw new BadRequestError('« perimetre_id » invalide');

    const viewer = c.var.viewer;
    const query = { indicateur: demande.indicateur, periode, perimetre_type, perimetre_id };
    // The same reading as the on-screen list (scope and pseudonyms are applied there, in one place).
    const liste = await deps.indicateurs.allocations(viewer, query, lignesMaxExport);
    if (liste.total > lignesMaxExport) {
      throw new ExportTropGrandError(
        `cette liste compte ${liste.total} attributions : un export en compte ${lignesMaxExport} au plus. Choisissez un bailleur, un contingent ou une commune depuis la page de l’objectif.`,
      );
    }
    const titre = `Attributions — ${liste.titre}${perimetre_id ? ` — ${perimetre_type} ${perimetre_id}` : ''}`;
    const tableau = { titre, colonnes: liste.colonnes, lignes: liste.lignes };
    const arrierePlan = liste.lignes.length > lignesExportDirect;
    await deps.audit.ecrire(viewer, 'export_menages', titre, {
      format: demande.format,
      lignes: liste.lignes.length,
      indicateur: demande.indicateur,
      periode: periode.id,
      perimetre_type,
      ...(perimetre_id ? { perimetre_id } : {}),
      ...(liste.restriction ? { restriction: liste.restriction } : {}),
      nur_pseudonymise: liste.nur_pseudonymise,
      ...(arrierePlan ? { arriere_plan: true } : {}),
    });
    if (!arrierePlan) return reponseFichier(demande.format, tableau);
    const travail: TravailExport = travaux.lancer(viewer, demande.format, tableau, liste.lignes.length);
    c.header('location', `/api/exports/${travail.id}`);
    return c.json(travail, 202);
  });

  app.get('/exports/:id', exiger('menages'), (c) => c.json(travaux.etat(c.var.viewer, c.req.param('id'))));

  app.get('/exports/:id/fichier', exiger('menages'), (c) => {
    const { nom, format, flux } = travaux.telecharger(c.var.viewer, c.req.param('id'));
    return new Response(Readable.toWeb(flux) as ReadableStream<Uint8Array>, { headers: { 'content-type': TYPES_MIME[format], 'content-disposition': disposition(nom) } });
  });

  return app;
}

const isFormat = (value: string | undefined): value is FormatExport => (FORMATS_EXPORT as readonly (string | undefined)[]).includes(value);
