import { Hono } from 'hono';
import type { Colonne, Tableau } from '../contract.ts';
import { exiger } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';
import type { UploadedFile } from '../services/uploads.ts';
import { numeroDansLeChemin } from '../http/parametres.ts';

const HISTORY_COLUMNS: readonly Colonne[] = [
  { cle: 'id', libelle: 'N°', type: 'entier' },
  { cle: 'date_import', libelle: 'Date', type: 'date' },
  { cle: 'statut', libelle: 'Statut', type: 'texte' },
  { cle: 'fichiers', libelle: 'Fichiers', type: 'texte' },
  { cle: 'lignes', libelle: 'Lignes chargées', type: 'entier' },
  { cle: 'avertissements', libelle: 'Avertissements', type: 'entier' },
];

/**
 * The Données page: upload → simulation report → confirmation → import. The files are validated by the
 * importer itself (`simulation`), so the report the user reads is the one the import would give.
 */
export function importsRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Import reports quote the values of faulty cells, which may be household data: only the roles that import read them.
  app.use('/imports', exiger('modification'));
  app.use('/imports/*', exiger('modification'));
  app.use('/televersements', exiger('modification'));
  app.use('/televersements/*', exiger('modification'));

  app.get('/imports', async (c) => {
    const rows = await deps.lock.read(() => deps.imports.history(c.var.viewer));
    return c.json({ titre: 'Historique des imports', colonnes: HISTORY_COLUMNS, lignes: rows } satisfies Tableau<object>);
  });

  app.get('/imports/:id', async (c) => {
    const id = numeroDansLeChemin(c.req.param('id'), 'numéro d’import');
    const report = await deps.lock.read(() => deps.imports.report(c.var.viewer, id));
    if (!report) throw new NotFoundError(`import n° ${id} introuvable`);
    return c.json(report);
  });

  app.post('/televersements', async (c) => {
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw new BadRequestError('envoyez les fichiers en multipart/form-data (champ « fichiers »)');
    const body = await c.req.parseBody({ all: true });
    const files = (await toFiles(body['fichiers'])).filter((f) => f.bytes.length > 0 || f.name !== '');
    const [mapping] = await toFiles(body['correspondance']);
    const answer = await deps.uploads.simulate(c.var.viewer, files, mapping ?? null);
    await deps.audit.ecrire(c.var.viewer, 'verification_import', files.map((f) => f.name).join(', ').slice(0, 400), { statut: answer.rapport.statut, erreurs: answer.rapport.erreurs.length });
    return c.json(answer);
  });

  app.post('/televersements/:jeton/confirmation', async (c) => {
    const report = await deps.uploads.confirm(c.var.viewer, c.req.param('jeton'));
    await deps.audit.ecrire(c.var.viewer, 'import', report.importId === null ? 'import refusé' : `import n° ${report.importId}`, {
      statut: report.statut,
      fichiers: report.fichiers.map((f) => `${f.fichier} (${f.lignesChargees} lignes)`),
    });
    return c.json(report, report.statut === 'reussi' ? 200 : 422);
  });

  app.delete('/televersements/:jeton', async (c) => {
    if (!deps.uploads.cancel(c.var.viewer, c.req.param('jeton'))) throw new NotFoundError('téléversement introuvable ou expiré');
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
