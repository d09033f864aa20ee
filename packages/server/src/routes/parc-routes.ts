import type { Parc, ResidencesParc, ResultatMenage } from '@mixite/contract';
import { parcSchema, requeteMenageSchema, requeteParcSchema, residencesParcSchema, resultatMenageSchema } from '@mixite/contract';
import { analyserParc, analyserResidences, simulerMenage } from '@mixite/data';
import type { Deps } from '../http/deps.ts';
import { GenerationCache } from '../http/generation-cache.ts';
import type { Viewer } from '../http/viewer.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation } from './operation.ts';

/**
 * The stock (issue 14, docs/parc.md): the household calculator, the affordability of the dwellings to the first
 * quartile after APL, the fragile residences. Who sees what (docs/security.md):
 * - POST /api/menage: every account (`session`), the public reader included: it reads no row of the store but the
 *   quartile limits of the year (the published threshold and two quantiles of the whole demand);
 * - GET /api/parc and /api/parc/residences: the partners (`partenaire`), narrowed to the account's perimeter — a
 *   bailleur its dwellings and residences, a commune those on its territory, a réservataire the dwellings of its
 *   contingent and the residences holding them. The public reader is refused: the fragility of a named residence
 *   and the leases of one dwelling are not published aggregates, and counts per residence are too small for the
 *   statistical secrecy to leave anything readable.
 */

export const routesParc = {
  menage: operation('session', {
    method: 'post',
    path: '/menage',
    summary: 'Calculateur : UC, ressources par UC et quartile d’un ménage ; avec un loyer, son APL estimée, son taux d’effort et son reste à vivre',
    tags: ['Parc'],
    request: { body: corpsJsonRequis(requeteMenageSchema) },
    responses: {
      200: json(resultatMenageSchema),
      400: erreur('Ménage incohérent (adultes, enfants), date sans barème d’APL, commune sans zone'),
      404: erreur('Commune inconnue'),
      422: erreur('Champs refusés : details les liste'),
      ...REFUS,
    },
  }),
  parc: operation('partenaire', {
    method: 'get',
    path: '/parc',
    summary:
      'Parc abordable au ménage du premier quartile de référence après APL (trois hypothèses de taux d’effort), par commune, QPV, bailleur, typologie et financement, ' +
      'et le croisement abordable ∧ non fragile ∧ hors QPV avec les baux de l’année ; restreint au périmètre du compte',
    tags: ['Parc'],
    request: { query: requeteParcSchema },
    responses: { 200: json(parcSchema), 400: erreur('Année invalide, ou sans barème d’APL'), ...REFUS },
  }),
  residences: operation('partenaire', {
    method: 'get',
    path: '/parc/residences',
    summary:
      'Résidences : fragilité selon la dernière enquête d’occupation (très fragile, fragile, non fragile, inconnue), tendance, ' +
      'baux de l’année et ménages du premier quartile qui y ont été logés ; restreint au périmètre du compte',
    tags: ['Parc'],
    request: { query: requeteParcSchema },
    responses: { 200: json(residencesParcSchema), 400: erreur('Année invalide'), ...REFUS },
  }),
} as const;

/** The key of a figure of the stock: the year and the perimeter, the only inputs besides the store and the settings. */
const cleParc = (quoi: string, annee: number, viewer: Viewer) => {
  const p = viewer.portee;
  return `${quoi}:${annee}:${p.kind}:${'id' in p ? p.id : ''}`;
};

export function parcRoutes(deps: Deps) {
  const app = groupe();
  // The stock's figures are a pure function of the store and the settings: computed once per year and perimeter and
  // kept until the next write (an import, a settings change bumps the lock's generation), so that the Parc page
  // opened again, or by a colleague of the same perimeter, reads memory instead of a second of SQL over every
  // dwelling (docs/BENCHMARKS.md, « carte »). Bounded: a residences list of a large territory weighs megabytes.
  const cache = new GenerationCache(deps.lock, 32);

  app.openapi(routesParc.menage, async (c) => {
    const corps = c.req.valid('json');
    const r: ResultatMenage = await deps.lock.read(() => simulerMenage(deps.store, corps));
    return c.json(r, 200);
  });

  app.openapi(routesParc.parc, async (c) => {
    const { annee } = c.req.valid('query');
    const viewer = c.var.viewer;
    const r: Parc = await cache.get(cleParc('parc', annee, viewer), () => deps.lock.read(() => analyserParc(deps.store, annee, viewer.portee)));
    return c.json(r, 200);
  });

  app.openapi(routesParc.residences, async (c) => {
    const { annee } = c.req.valid('query');
    const viewer = c.var.viewer;
    const r: ResidencesParc = await cache.get(cleParc('residences', annee, viewer), () =>
      deps.lock.read(() => analyserResidences(deps.store, annee, viewer.portee)),
    );
    return c.json(r, 200);
  });

  return app;
}
