import { contoursSchema } from '@mixite/contract';
import type { Deps } from '../http/deps.ts';
import { GenerationCache } from '../http/generation-cache.ts';
import { ContoursRepository } from '../repositories/contours-repository.ts';
import { REFUS, groupe, json, operation } from './operation.ts';

export const routesContours = {
  contours: operation('session', {
    method: 'get',
    path: '/contours',
    summary:
      'Contours des communes et des QPV (fichier contours.geojson du jeu de données, WGS84) et communes du territoire, pour les cartes ; ' +
      'géographie publique, la même pour tous les comptes',
    tags: ['Parc'],
    responses: { 200: json(contoursSchema), ...REFUS },
  }),
} as const;

/** The maps' outlines (issue 14, docs/carte.md). */
export function contoursRoutes(deps: Deps) {
  const app = groupe();
  const depot = new ContoursRepository(deps.store);
  // Public geography, the same for every account: parsed once per generation of the store (an import of new contours
  // or communes bumps it), not on each of the maps a page draws.
  const cache = new GenerationCache(deps.lock);
  app.openapi(routesContours.contours, async (c) => {
    const viewer = c.var.viewer;
    return c.json(await cache.get('contours', () => deps.lock.read(() => depot.contours(viewer))), 200);
  });
  return app;
}
