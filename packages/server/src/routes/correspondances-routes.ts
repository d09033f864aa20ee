import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  correspondanceSchema,
  listeCorrespondancesSchema,
  parametresCorrespondanceSchema,
  propositionCorrespondanceSchema,
} from '@mixite/contract';
import { isFileName, proposerCorrespondance } from '@mixite/core';
import { checkSourceLimits, lireEchantillon, mappingSchema } from '@mixite/data';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, NotFoundError, PayloadTooLargeError, ValidationError } from '../http/errors.ts';
import { CorrespondancesRepository } from '../repositories/correspondances-repository.ts';
import { limitesImport } from '../securite.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation } from './operation.ts';

/** Rows of the uploaded file sent back for the preview on screen. */
const LIGNES_APERCU = 20;
/** Rows read to judge the shape of the values. */
const LIGNES_ECHANTILLON = 200;

export const routesCorrespondances = {
  proposer: operation('modification', {
    method: 'post',
    path: '/correspondances/proposition',
    summary:
      'Lit le début d’une extraction (CSV ou XLSX) et propose une colonne du format pour chaque en-tête et un code pour chaque valeur des colonnes codées ; ' +
      'rend aussi les premières lignes du fichier pour l’aperçu. Rien n’est écrit',
    tags: ['Données'],
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                extraction: { type: 'string', format: 'binary', description: 'Le fichier (CSV, ou XLSX), ou le début d’un CSV' },
                fichier: { type: 'string', description: 'Le fichier du format qu’il décrit (défaut : demandes)' },
              },
              required: ['extraction'],
            },
          },
        },
      },
    },
    responses: { 200: json(propositionCorrespondanceSchema), 400: erreur('Pas de fichier, fichier du format inconnu, fichier illisible'), 413: erreur('Fichier trop volumineux'), ...REFUS },
  }),
  liste: operation('modification', {
    method: 'get',
    path: '/correspondances',
    summary: 'Les correspondances enregistrées',
    tags: ['Données'],
    responses: { 200: json(listeCorrespondancesSchema), ...REFUS },
  }),
  lire: operation('modification', {
    method: 'get',
    path: '/correspondances/{nom}',
    summary: 'Une correspondance enregistrée',
    tags: ['Données'],
    request: { params: parametresCorrespondanceSchema },
    responses: { 200: json(correspondanceSchema), 404: erreur('Correspondance introuvable'), ...REFUS },
  }),
  enregistrer: operation('modification', {
    method: 'put',
    path: '/correspondances/{nom}',
    summary: 'Enregistre (ou remplace) une correspondance sous ce nom, pour les prochaines extractions',
    tags: ['Données'],
    request: { params: parametresCorrespondanceSchema, body: corpsJsonRequis(correspondanceSchema) },
    responses: { 200: json(correspondanceSchema), 400: erreur('Nom du chemin différent de celui de la correspondance'), 422: erreur('Correspondance invalide (colonne inconnue du format)'), ...REFUS },
  }),
  supprimer: operation('modification', {
    method: 'delete',
    path: '/correspondances/{nom}',
    summary: 'Supprime une correspondance enregistrée (inscrit au journal)',
    tags: ['Données'],
    request: { params: parametresCorrespondanceSchema },
    responses: { 204: { description: 'Supprimée' }, 404: erreur('Correspondance introuvable'), ...REFUS },
  }),
} as const;

/**
 * The guided mapping of the Données page (issue 17): an extraction whose headers are not the format's — an SNE
 * extraction, a bailleur's export — gets a proposed mapping, which the user corrects, previews and saves under a name.
 * Same access as imports (admin, EPCI): the proposal sends back the first rows of the user's own file.
 */
export function correspondancesRoutes(deps: Deps) {
  const app = groupe();
  const depot = new CorrespondancesRepository(deps.store);

  app.openapi(routesCorrespondances.proposer, async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw new BadRequestError('envoyez le fichier en multipart/form-data (champ « extraction »)');
    const body = await c.req.parseBody();
    const extraction = body['extraction'];
    if (typeof extraction === 'string' || extraction === undefined) throw new BadRequestError('aucun fichier reçu (champ « extraction »)');
    const fichier = typeof body['fichier'] === 'string' && body['fichier'] !== '' ? body['fichier'] : 'demandes';
    if (!isFileName(fichier)) throw new BadRequestError(`fichier du format inconnu : « ${fichier.slice(0, 40)} »`);
    const nom = basename(extraction.name.replaceAll('\\', '/')).replace(/\p{Cc}/gu, '').slice(0, 200) || 'extraction.csv';
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-correspondance-'));
    try {
      const chemin = join(dossier, /\.xlsx$/i.test(nom) ? 'extraction.xlsx' : 'extraction.csv');
      writeFileSync(chemin, new Uint8Array(await extraction.arrayBuffer()), { mode: 0o600 });
      // The import's bounds first: a workbook that decompresses to gigabytes is refused before any parser opens it.
      const violation = await checkSourceLimits(chemin, nom, limitesImport(deps.regles));
      if (violation?.kind === 'trop_gros') throw new PayloadTooLargeError(`${nom} : ${violation.problem.message}`);
      if (violation) throw new BadRequestError(`${nom} : ${violation.problem.message}`);
      const echantillon = await lireEchantillon(chemin, LIGNES_ECHANTILLON, nom);
      const proposition = proposerCorrespondance(echantillon, fichier);
      return c.json(
        {
          source: nom,
          fichier,
          encodage: echantillon.encodage,
          separateur: echantillon.separateur,
          entetes: echantillon.entetes,
          lignes: echantillon.lignes.slice(0, LIGNES_APERCU).map((l) => echantillon.entetes.map((_, i) => l[i] ?? '')),
          colonnes: proposition.colonnes,
          codes: proposition.codes,
        },
        200,
      );
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  app.openapi(routesCorrespondances.liste, async (c) => c.json({ correspondances: await deps.lock.read(() => depot.liste()) }, 200));

  app.openapi(routesCorrespondances.lire, async (c) => {
    const { nom } = c.req.valid('param');
    const mapping = await deps.lock.read(() => depot.lire(nom));
    if (!mapping) throw new NotFoundError(`correspondance « ${nom} » introuvable`);
    return c.json(mapping, 200);
  });

  app.openapi(routesCorrespondances.enregistrer, async (c) => {
    const { nom } = c.req.valid('param');
    const corps = c.req.valid('json');
    if (corps.nom !== nom) throw new BadRequestError(`le nom du chemin (« ${nom} ») et celui de la correspondance (« ${corps.nom} ») diffèrent`);
    // The importer's own schema: every column and code column named must exist in the format.
    const lu = mappingSchema.safeParse(corps);
    if (!lu.success) throw new ValidationError('correspondance invalide', lu.error.issues.map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    const viewer = c.var.viewer;
    // The mapping decides how the next imports read their columns: saving or replacing it is a write of the sealed
    // journal, in the same transaction (no saved mapping without its entry, no entry without the mapping).
    await deps.lock.write(() =>
      deps.store.transaction(async () => {
        const avant = await depot.lire(nom);
        await depot.enregistrer(lu.data, viewer.nom);
        await deps.audit.ecrireDejaSeul(viewer, 'correspondance', `correspondance « ${nom.slice(0, 120)} » ${avant ? 'remplacée' : 'enregistrée'}`, {
          fichiers: Object.keys(lu.data.fichiers),
          ...(avant ? { fichiers_avant: Object.keys(avant.fichiers) } : {}),
        });
      }),
    );
    return c.json(lu.data, 200);
  });

  app.openapi(routesCorrespondances.supprimer, async (c) => {
    const { nom } = c.req.valid('param');
    const viewer = c.var.viewer;
    const supprimee = await deps.lock.write(() =>
      deps.store.transaction(async () => {
        const avant = await depot.lire(nom);
        if (!avant) return false;
        await depot.supprimer(nom);
        await deps.audit.ecrireDejaSeul(viewer, 'correspondance', `correspondance « ${nom.slice(0, 120)} » supprimée`, { fichiers: Object.keys(avant.fichiers) });
        return true;
      }),
    );
    if (!supprimee) throw new NotFoundError(`correspondance « ${nom} » introuvable`);
    return c.body(null, 204);
  });

  return app;
}
