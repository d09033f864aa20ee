import { Readable } from 'node:stream';
import { setImmediate as pause } from 'node:timers/promises';
import { PERIMETER_TYPES, parsePeriode } from '@mixite/core';
import type { TravailExport } from '@mixite/contract';
import { TYPES_MIME as MIME, corpsTableauSchema, demandeExportSchema, parametresTravailSchema, requeteFormatSchema, travailExportSchema } from '@mixite/contract';
import { contenuMenages } from '../http/contenu-menages.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, HttpError, NotFoundError, ValidationError } from '../http/errors.ts';
import { TYPES_MIME, disposition, reponseFichier } from '../http/table-file.ts';
import { isLegalIndicator } from '../services/indicateurs-service.ts';
import type { TravauxExport } from '../services/travaux-export.ts';
import { REFUS, corpsJsonRequis, erreur, fichier, groupe, json, operation, refus } from './operation.ts';

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
const FICHIER_EXPORT = fichier('Le fichier (CSV : séparateur ;, virgule décimale, UTF-8 avec BOM)', [MIME.csv, MIME.xlsx]);
const EXPORT_INCONNU = erreur('Export inconnu, déjà téléchargé ou expiré');

export const routesExport = {
  tableau: operation('session', {
    method: 'post',
    path: '/export',
    summary:
      'Transforme un tableau agrégé affiché en fichier CSV (séparateur ;, virgule décimale, UTF-8 avec BOM) ou XLSX, écrit en flux ; les cellules ' +
      'de texte qui commencent par =, +, -, @, tabulation ou retour chariot sont neutralisées. Refuse tout contenu de ménage, jugé sur les données ' +
      '(colonne d’identifiant quel que soit son nom, cellule au format d’un NUR ou d’un pseudonyme) : les listes de ménages s’exportent par POST /api/exports',
    tags: ['Export'],
    request: { query: requeteFormatSchema, body: corpsJsonRequis(corpsTableauSchema) },
    responses: {
      200: FICHIER_EXPORT,
      400: erreur('Format inconnu, ou JSON illisible'),
      413: erreur('Tableau au-delà de la taille maximale d’un corps'),
      422: erreur('Tableau illisible, trop de lignes (export_trop_grand) ou contenant des données de ménages (donnees_menages)'),
      ...REFUS,
    },
  }),
  menages: operation('menages', {
    method: 'post',
    path: '/exports',
    summary:
      'Exporte une liste de ménages par sa requête (aujourd’hui les attributions derrière une ligne d’indicateur), jamais par ses lignes : le serveur ' +
      'les lit lui-même comme la route affichée (périmètre du compte, NUR pseudonymisé selon le rôle), journalise l’export et rend le fichier en flux ; ' +
      'au-delà d’un seuil de lignes, lance un export en arrière-plan (202) dont GET /api/exports/{id} donne l’avancement',
    tags: ['Export'],
    request: { body: corpsJsonRequis(demandeExportSchema) },
    responses: {
      200: FICHIER_EXPORT,
      202: json(travailExportSchema, 'Export lancé en arrière-plan (en-tête Location)'),
      400: erreur('Période ou périmètre invalide'),
      404: erreur('Indicateur inconnu'),
      409: erreur('Trop d’exports en attente de téléchargement'),
      422: erreur('Demande illisible, ou liste au-delà du plafond de lignes (export_trop_grand)'),
      ...REFUS,
    },
  }),
  travail: operation('menages', {
    method: 'get',
    path: '/exports/{id}',
    summary: 'Avancement d’un export en arrière-plan (lignes écrites sur le total) ; seul le compte qui l’a demandé le voit',
    tags: ['Export'],
    request: { params: parametresTravailSchema },
    responses: { 200: json(travailExportSchema), 404: EXPORT_INCONNU, ...REFUS },
  }),
  fichier: operation('menages', {
    method: 'get',
    path: '/exports/{id}/fichier',
    summary: 'Le fichier d’un export terminé, envoyé une fois puis supprimé du serveur (expire après une heure sinon)',
    tags: ['Export'],
    request: { params: parametresTravailSchema },
    responses: { 200: FICHIER_EXPORT, 404: EXPORT_INCONNU, 409: erreur('Export pas encore prêt, ou en échec'), ...REFUS },
  }),
} as const;

export function exportRoutes(deps: Deps, travaux: TravauxExport) {
  const app = groupe();
  const { lignesMaxExport, lignesMaxTableau, lignesExportDirect } = deps.regles;

  app.openapi(
    routesExport.tableau,
    async (c) => {
      const { format } = c.req.valid('query');
      const corps = c.req.valid('json');
      if (corps.lignes.length > lignesMaxTableau) {
        throw new ExportTropGrandError(`le tableau compte ${corps.lignes.length} lignes : un export en compte ${lignesMaxTableau} au plus`);
      }
      const tableau = { ...corps, lignes: await lignesValides(corps.lignes) };
      const motif = await contenuMenages(tableau.colonnes, tableau.lignes);
      if (motif) {
        throw new HttpError(
          422,
          'donnees_menages',
          `export refusé : ce tableau contient des données de ménages (${motif}). Les listes de ménages s’exportent depuis leur page, qui les lit sur le serveur avec vos droits.`,
        );
      }
      return reponseFichier(format, tableau);
    },
    refus('tableau à exporter illisible'),
  );

  app.openapi(
    routesExport.menages,
    async (c) => {
      const demande = c.req.valid('json');
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
      // Counted first (one aggregate): a list beyond the cap is refused without being read.
      const { total } = await deps.indicateurs.allocations(viewer, query, 0);
      if (total > lignesMaxExport) {
        throw new ExportTropGrandError(
          `cette liste compte ${total} attributions : un export en compte ${lignesMaxExport} au plus. Choisissez un bailleur, un contingent ou une commune depuis la page de l’objectif.`,
        );
      }
      // The same reading as the on-screen list (scope and pseudonyms are applied there, in one place).
      const liste = await deps.indicateurs.allocations(viewer, query, lignesMaxExport);
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
    },
    refus('demande d’export illisible'),
  );

  app.openapi(routesExport.travail, (c) => c.json(travaux.etat(c.var.viewer, c.req.valid('param').id), 200));

  app.openapi(routesExport.fichier, (c) => {
    const { nom, format, flux } = travaux.telecharger(c.var.viewer, c.req.valid('param').id);
    return new Response(Readable.toWeb(flux) as ReadableStream<Uint8Array>, { headers: { 'content-type': TYPES_MIME[format], 'content-disposition': disposition(nom) } });
  });

  return app;
}
