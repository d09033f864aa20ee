import type { ObservatoireRefusApi } from '@mixite/contract';
import { observatoireRefusSchema, requeteRefusSchema } from '@mixite/contract';
import { analyserRefus } from '@mixite/data';
import type { Deps } from '../http/deps.ts';
import { REFUS, erreur, groupe, json, operation } from './operation.ts';

/**
 * The refusal observatory and the mutations (issue 15, docs/refus-mutations.md). Who sees what (docs/security.md):
 * the partners (`partenaire`: admin, EPCI, State, bailleurs, réservataires, communes) read the aggregates of the
 * whole territory, as they read every perimeter of the indicators (the CIL's figures are shared); no household row
 * is sent. The public reader is refused (403): counts per residence, per contingent and per rent band are small
 * cells, and the statistical secrecy (core/src/indicators/secret.ts) has no registry of these crossed breakdowns yet
 * — a masked edition would have to tie every breakdown to the same total; until then nothing is published.
 */

export const routesRefus = {
  refus: operation('partenaire', {
    method: 'get',
    path: '/refus',
    summary:
      'Observatoire des refus (taux et motifs par résidence, typologie, QPV, contingent, bailleur, tranche de loyer et premier quartile, avec l’année précédente et la tendance ; ' +
      'résidences les plus refusées ; refus avant le bail par profil) et des mutations (satisfaction par motif contre le premier accès, internes et inter-bailleurs, sous-occupation, flux)',
    tags: ['Refus et mutations'],
    request: { query: requeteRefusSchema },
    responses: { 200: json(observatoireRefusSchema), 400: erreur('Année invalide'), ...REFUS },
  }),
} as const;

export function refusRoutes(deps: Deps) {
  const app = groupe();
  app.openapi(routesRefus.refus, async (c) => {
    const { annee } = c.req.valid('query');
    const r: ObservatoireRefusApi = await deps.lock.read(() => analyserRefus(deps.store, { annee }));
    return c.json(r, 200);
  });
  return app;
}
