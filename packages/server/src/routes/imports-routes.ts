import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Colonne } from '@mixite/contract';
import {
  TYPES_MIME as MIME,
  formatDonneesSchema,
  parametresImportSchema,
  parametresJetonSchema,
  parametresModeleSchema,
  rapportImportSchema,
  requeteFormatSchema,
  tableauImportsSchema,
  televersementSchema,
} from '@mixite/contract';
import { modeleCsv, modelesFichiers } from '@mixite/core';
import { modeleXlsx } from '@mixite/data';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import { CorrespondancesRepository } from '../repositories/correspondances-repository.ts';
import type { UploadedFile } from '../services/uploads.ts';
import { TYPES_MIME, disposition } from '../http/table-file.ts';
import { REFUS, erreur, fichier, groupe, json, operation } from './operation.ts';

const HISTORY_COLUMNS: readonly Colonne[] = [
  { cle: 'id', libelle: 'N°', type: 'entier' },
  { cle: 'date_import', libelle: 'Date', type: 'date' },
  { cle: 'statut', libelle: 'Statut', type: 'texte' },
  { cle: 'fichiers', libelle: 'Fichiers', type: 'texte' },
  { cle: 'lignes', libelle: 'Lignes chargées', type: 'entier' },
  { cle: 'avertissements', libelle: 'Avertissements', type: 'entier' },
  { cle: 'auteur', libelle: 'Par', type: 'texte' },
];

const JETON_INCONNU = erreur('Jeton inconnu ou expiré');

export const routesImports = {
  historique: operation('modification', {
    method: 'get',
    path: '/imports',
    summary: 'Historique des imports réussis',
    tags: ['Données'],
    responses: { 200: json(tableauImportsSchema), ...REFUS },
  }),
  rapport: operation('modification', {
    method: 'get',
    path: '/imports/{id}',
    summary: 'Rapport d’un import',
    tags: ['Données'],
    request: { params: parametresImportSchema },
    responses: { 200: json(rapportImportSchema), 400: erreur('Numéro invalide'), 404: erreur('Import introuvable'), ...REFUS },
  }),
  format: operation('modification', {
    method: 'get',
    path: '/format-donnees',
    summary: 'Les fichiers d’un jeu de données : à quoi chacun sert, ses colonnes, les fichiers auxquels il renvoie, et les lignes de chaque table en base',
    tags: ['Données'],
    responses: { 200: json(formatDonneesSchema), ...REFUS },
  }),
  modele: operation('modification', {
    method: 'get',
    path: '/modeles/{fichier}',
    summary: 'Modèle vide d’un fichier du format (CSV UTF-8 à point-virgule, ou XLSX à cellules texte) : les en-têtes et une ligne d’exemple',
    tags: ['Données'],
    request: { params: parametresModeleSchema, query: requeteFormatSchema },
    responses: { 200: fichier('Le modèle', [MIME.csv, MIME.xlsx]), 400: erreur('Fichier ou format inconnu'), ...REFUS },
  }),
  televerser: operation('modification', {
    method: 'post',
    path: '/televersements',
    summary:
      'Dépose des fichiers et les vérifie sans rien écrire (simulation) ; renvoie le rapport et, s’il est sans erreur, un jeton de confirmation. ' +
      'Taille limitée (MIXITE_TELEVERSEMENT_MAX_MO, 200 Mo par défaut) ; un XLSX qui se décompresse au-delà de 1 Go est refusé',
    tags: ['Données'],
    // Multipart: read by the route itself (files), documented here; the schema is not a zod one so that no validator parses it.
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                fichiers: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'Fichiers CSV ou XLSX du format canonique, et cia.yaml' },
                correspondance: { type: 'string', format: 'binary', description: 'Fichier de correspondance des en-têtes (YAML), facultatif' },
                correspondanceEnregistree: { type: 'string', description: 'Ou le nom d’une correspondance enregistrée (GET /api/correspondances), facultatif' },
              },
              required: ['fichiers'],
            },
          },
        },
      },
    },
    responses: {
      200: json(televersementSchema),
      400: erreur('Pas un envoi multipart, aucun fichier, ou deux fichiers du même nom'),
      413: erreur('Téléversement trop volumineux, ou classeur XLSX qui se décompresse au-delà de la limite'),
      ...REFUS,
    },
  }),
  confirmer: operation('modification', {
    method: 'post',
    path: '/televersements/{jeton}/confirmation',
    summary: 'Importe les fichiers vérifiés sous ce jeton (tout ou rien) ; seul le compte qui les a vérifiés peut confirmer',
    tags: ['Données'],
    request: { params: parametresJetonSchema },
    responses: { 200: json(rapportImportSchema), 404: JETON_INCONNU, 422: json(rapportImportSchema, 'Import refusé : la base est inchangée'), ...REFUS },
  }),
  listeErreurs: operation('modification', {
    method: 'get',
    path: '/televersements/{jeton}/erreurs',
    summary:
      'La liste complète des erreurs localisées d’une vérification refusée dont le rapport n’en listait qu’une partie (CSV, `;`, UTF-8) : ' +
      'le jeton est `listeComplete` de la réponse au dépôt ; seul le compte qui a déposé les fichiers la lit, pendant une heure',
    tags: ['Données'],
    request: { params: parametresJetonSchema },
    responses: { 200: fichier('La liste complète des erreurs', [MIME.csv]), 404: erreur('Liste inconnue ou expirée'), ...REFUS },
  }),
  abandonner: operation('modification', {
    method: 'delete',
    path: '/televersements/{jeton}',
    summary: 'Abandonne un téléversement vérifié',
    tags: ['Données'],
    request: { params: parametresJetonSchema },
    responses: { 204: { description: 'Abandonné' }, 404: JETON_INCONNU, ...REFUS },
  }),
} as const;

/**
 * The Données page: upload → simulation report → confirmation → import. The files are validated by the
 * importer itself (`simulation`), so the report the user reads is the one the import would give.
 * Import reports quote the values of faulty cells, which may be household data: only the roles that import read them.
 */
export function importsRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesImports.historique, async (c) => {
    const rows = await deps.lock.read(() => deps.imports.history(c.var.viewer));
    return c.json({ titre: 'Historique des imports', colonnes: HISTORY_COLUMNS, lignes: rows }, 200);
  });

  app.openapi(routesImports.rapport, async (c) => {
    const { id } = c.req.valid('param');
    const report = await deps.lock.read(() => deps.imports.report(c.var.viewer, id));
    if (!report) throw new NotFoundError(`import n° ${id} introuvable`);
    return c.json(report, 200);
  });

  app.openapi(routesImports.format, async (c) => {
    const lignesEnBase = await deps.lock.read(() => deps.imports.lignesParTable());
    return c.json({ fichiers: modelesFichiers(), lignesEnBase }, 200);
  });

  // The templates hold no data: the example row is the product's own. Written whole (a few hundred bytes).
  app.openapi(routesImports.modele, async (c) => {
    const { fichier: nom } = c.req.valid('param');
    const { format } = c.req.valid('query');
    const corps = format === 'csv' ? new TextEncoder().encode(modeleCsv(nom)) : new Uint8Array(await modeleXlsx(nom));
    return new Response(corps, { headers: { 'content-type': TYPES_MIME[format], 'content-disposition': disposition(`${nom}.${format}`) } });
  });

  app.openapi(routesImports.televerser, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw new BadRequestError('envoyez les fichiers en multipart/form-data (champ « fichiers »)');
    const body = await c.req.parseBody({ all: true });
    const files = (await toFiles(body['fichiers'])).filter((f) => f.bytes.length > 0 || f.name !== '');
    const [fourni] = await toFiles(body['correspondance']);
    const nomEnregistre = body['correspondanceEnregistree'];
    let mapping = fourni;
    if (typeof nomEnregistre === 'string' && nomEnregistre !== '') {
      if (fourni) throw new BadRequestError('joignez un fichier de correspondance ou choisissez une correspondance enregistrée, pas les deux');
      const enregistree = await deps.lock.read(() => new CorrespondancesRepository(deps.store).lire(nomEnregistre));
      if (!enregistree) throw new BadRequestError(`correspondance « ${nomEnregistre.slice(0, 120)} » introuvable`);
      // The importer reads mappings as YAML files: the saved one is written as such (JSON is YAML).
      mapping = { name: 'correspondance.yaml', bytes: new TextEncoder().encode(JSON.stringify(enregistree)) };
    }
    const answer = await deps.uploads.simulate(c.var.viewer, files, mapping ?? null);
    await deps.audit.ecrire(c.var.viewer, 'verification_import', files.map((f) => f.name).join(', ').slice(0, 400), { statut: answer.rapport.statut, erreurs: answer.rapport.erreurs.length });
    return c.json(answer, 200);
  });

  app.openapi(routesImports.confirmer, async (c) => {
    const report = await deps.uploads.confirm(c.var.viewer, c.req.valid('param').jeton);
    await deps.audit.ecrire(c.var.viewer, 'import', report.importId === null ? 'import refusé' : `import n° ${report.importId}`, {
      statut: report.statut,
      fichiers: report.fichiers.map((f) => `${f.fichier} (${f.lignesChargees} lignes)`),
    });
    return report.statut === 'reussi' ? c.json(report, 200) : c.json(report, 422);
  });

  // Streamed from the private folder: a list of a hundred thousand errors is never read whole into memory.
  app.openapi(routesImports.listeErreurs, (c) => {
    const chemin = deps.uploads.listeComplete(c.var.viewer, c.req.valid('param').jeton);
    if (!chemin) throw new NotFoundError('liste des erreurs introuvable ou expirée : déposez à nouveau les fichiers');
    const corps = Readable.toWeb(createReadStream(chemin)) as ReadableStream<Uint8Array>;
    return new Response(corps, { headers: { 'content-type': TYPES_MIME.csv, 'content-disposition': disposition('erreurs-import.csv') } });
  });

  app.openapi(routesImports.abandonner, async (c) => {
    if (!deps.uploads.cancel(c.var.viewer, c.req.valid('param').jeton)) throw new NotFoundError('téléversement introuvable ou expiré');
    return c.body(null, 204);
  });

  return app;
}

async function toFiles(value: unknown): Promise<UploadedFile[]> {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const out: UploadedFile[] = [];
  for (const item of list) {
    if (typeof item === 'string') continue;
    const file = item as File;
    out.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  return out;
}
