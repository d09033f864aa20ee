import { comptesRetardsSchema, espaceSchema, requeteComptesRetardsSchema, requeteEspaceSchema, sourceDonneesSchema } from '@mixite/contract';
import type { Deps } from '../http/deps.ts';
import { SYSTEME } from '../http/viewer.ts';
import { EspaceRepository } from '../repositories/espace-repository.ts';
import { EspaceService } from '../services/espace-service.ts';
import { REFUS, erreur, groupe, json, operation } from './operation.ts';

export const routesEspace = {
  espace: operation('partenaire', {
    method: 'get',
    path: '/espace',
    summary:
      'Mon espace : les chiffres d’un partenaire sur chaque objectif (année, semestres, douze mois glissants, évolution), son rang parmi ses pairs et ' +
      'les ménages manquants. Un compte bailleur, réservataire ou commune lit le sien (un autre partenaire : 403) ; l’EPCI, l’État et l’administrateur ' +
      'choisissent le partenaire (perimetre_type, perimetre_id ; sans choix, partenaire null). Le lecteur n’y a pas accès.',
    tags: ['Indicateurs'],
    request: { query: requeteEspaceSchema },
    responses: {
      200: json(espaceSchema),
      400: erreur('Paramètre invalide'),
      404: erreur('Partenaire ou année inconnus'),
      ...REFUS,
    },
  }),
  source: operation('session', {
    method: 'get',
    path: '/donnees/source',
    summary: 'D’où viennent les chiffres : date et fichiers du dernier import réussi (sans aucune valeur des fichiers)',
    tags: ['Indicateurs'],
    responses: { 200: json(sourceDonneesSchema), ...REFUS },
  }),
  comptesRetards: operation('session', {
    method: 'get',
    path: '/retards/comptes',
    summary:
      'Combien de partenaires sont sous leur cible, par objectif et type de partenaire, comptés sur les chiffres non masqués (nombres de périmètres, non de ' +
      'ménages : publiés à tous, comme dans le bilan) ; le tableau de bord du lecteur n’en nomme que ceux dont les chiffres sont publiés',
    tags: ['Indicateurs'],
    request: { query: requeteComptesRetardsSchema },
    responses: { 200: json(comptesRetardsSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
} as const;

/** A partner's own page, and the source of the data shown at the top of the dashboard. */
export function espaceRoutes(deps: Deps) {
  const app = groupe();
  const service = new EspaceService(deps.indicateurs, new EspaceRepository(deps.store), deps.lock);

  app.openapi(routesEspace.espace, async (c) => c.json(await service.espace(c.var.viewer, c.req.valid('query')), 200));

  app.openapi(routesEspace.source, async (c) => {
    // The history of the imports is the importing roles' (its reports cite cells); its date and file names are not.
    const [dernier] = (await deps.lock.read(() => deps.imports.history(SYSTEME))).filter((i) => i.statut === 'réussi');
    const rapport = dernier ? await deps.lock.read(() => deps.imports.report(SYSTEME, dernier.id)) : null;
    const annees = await deps.indicateurs.years(c.var.viewer);
    return c.json({ date_import: dernier?.date_import ?? null, fichiers: rapport?.fichiers.map((f) => f.fichier) ?? [], annee_max: annees.at(-1) ?? null }, 200);
  });

  app.openapi(routesEspace.comptesRetards, async (c) => c.json(await deps.indicateurs.comptesDesRetards(Number(c.req.valid('query').annee)), 200));

  return app;
}
