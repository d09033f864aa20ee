import type { Periode } from '@mixite/core';
import { DEMAND_INDICATORS, LIBELLES_MODALITE, parsePeriode, periodesDeLaDemande } from '@mixite/core';
import type { Colonne, Demande, LigneIndicateur, Tableau } from '@mixite/contract';
import {
  LIMITE_ATTRIBUTIONS_DEFAUT,
  LIMITE_ATTRIBUTIONS_MAX,
  declarationsSchema,
  demandeSchema,
  listeAttributionsSchema,
  parametresAttributionsSchema,
  requeteAttributionsSchema,
  requeteDemandeSchema,
  requeteIndicateursSchema,
  requeteTendanceSchema,
  tableauIndicateursSchema,
  territoireSchema,
} from '@mixite/contract';
import type { Deps } from '../http/deps.ts';
import { NotFoundError } from '../http/errors.ts';
import { isLegalIndicator } from '../services/indicateurs-service.ts';
import { REFUS, erreur, groupe, json, operation } from './operation.ts';

export const INDICATOR_COLUMNS: readonly Colonne[] = [
  { cle: 'indicateur', libelle: 'Indicateur', type: 'texte' },
  { cle: 'perimetre_type', libelle: 'Type de périmètre', type: 'texte' },
  { cle: 'perimetre_id', libelle: 'Code du périmètre', type: 'texte' },
  { cle: 'perimetre_libelle', libelle: 'Périmètre', type: 'texte' },
  { cle: 'periode', libelle: 'Période', type: 'texte' },
  { cle: 'numerateur', libelle: 'Numérateur', type: 'entier' },
  { cle: 'denominateur', libelle: 'Dénominateur', type: 'entier' },
  { cle: 'taux', libelle: 'Taux', type: 'taux' },
  { cle: 'cible', libelle: 'Objectif', type: 'taux' },
  { cle: 'ecart', libelle: 'Écart', type: 'taux' },
  { cle: 'atteint', libelle: 'Atteint', type: 'booleen' },
];

/** Rows of an allocation list sent by default, and at most: beyond, the page says how many there are. */
export const DEFAULT_ALLOCATION_LIMIT = LIMITE_ATTRIBUTIONS_DEFAUT;
export const MAX_ALLOCATION_LIMIT = LIMITE_ATTRIBUTIONS_MAX;

const INDICATEUR_INCONNU = erreur('Indicateur inconnu');

export const routesIndicateurs = {
  territoire: operation('session', {
    method: 'get',
    path: '/territoire',
    summary: 'Le territoire : nom, années disponibles, libellés des périmètres',
    tags: ['Indicateurs'],
    responses: { 200: json(territoireSchema), ...REFUS },
  }),
  declarations: operation('session', {
    method: 'get',
    path: '/declarations',
    summary: 'Déclarations des indicateurs (libellé, définition, base de comptage, source légale) et de ceux de la demande',
    tags: ['Indicateurs'],
    responses: { 200: json(declarationsSchema), ...REFUS },
  }),
  indicateurs: operation('session', {
    method: 'get',
    path: '/indicateurs',
    summary: 'Indicateurs légaux d’une année ou d’une période, par type de périmètre (format long d’indicateurs.csv) ; secret statistique appliqué pour le rôle lecteur',
    tags: ['Indicateurs'],
    request: { query: requeteIndicateursSchema },
    responses: { 200: json(tableauIndicateursSchema), 400: erreur('Paramètre invalide'), 404: INDICATEUR_INCONNU, ...REFUS },
  }),
  tendance: operation('session', {
    method: 'get',
    path: '/indicateurs/tendance',
    summary: 'Évolution annuelle des indicateurs sur les années disponibles',
    tags: ['Indicateurs'],
    request: { query: requeteTendanceSchema },
    responses: { 200: json(tableauIndicateursSchema), 400: erreur('Paramètre invalide'), 404: INDICATEUR_INCONNU, ...REFUS },
  }),
  attributions: operation('menages', {
    method: 'get',
    path: '/objectifs/{indicateur}/attributions',
    summary:
      'Attributions derrière une ligne d’indicateur : le dénominateur, chacune marquée si elle compte au numérateur. Données des ménages : ' +
      'restreintes au périmètre du compte (bailleur, contingent, commune), NUR pseudonymisé pour les rôles qui n’en ont pas besoin, consultation journalisée',
    tags: ['Indicateurs'],
    request: { params: parametresAttributionsSchema, query: requeteAttributionsSchema },
    responses: { 200: json(listeAttributionsSchema), 400: erreur('Période, périmètre ou limite invalide'), 404: INDICATEUR_INCONNU, ...REFUS },
  }),
  demande: operation('session', {
    method: 'get',
    path: '/demande',
    summary: 'La demande : stock, flux, quartiles (limites calculées et seuil publié), tension, délais, refus',
    tags: ['Indicateurs'],
    request: { query: requeteDemandeSchema },
    responses: { 200: json(demandeSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
} as const;

/** Indicators (legal targets), their breakdowns, the allocations behind a row, and the demand side. */
export function indicateursRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesIndicateurs.territoire, async (c) => c.json(await deps.indicateurs.territoireDe(c.var.viewer), 200));

  app.openapi(routesIndicateurs.declarations, (c) => c.json(deps.indicateurs.declarations(), 200));

  app.openapi(routesIndicateurs.indicateurs, async (c) => {
    const query = c.req.valid('query');
    const { annee, periodes } = yearAndPeriods(query);
    const filter = perimeterFilter(query);
    const lignes = await deps.indicateurs.rows(c.var.viewer, { annee, periodes, ...filter });
    return c.json(tableau(`Indicateurs ${periodes?.length === 1 ? periodes[0] : annee}`, lignes), 200);
  });

  app.openapi(routesIndicateurs.tendance, async (c) => {
    const lignes = await deps.indicateurs.trend(c.var.viewer, perimeterFilter(c.req.valid('query')));
    return c.json(tableau('Évolution annuelle des indicateurs', lignes), 200);
  });

  app.openapi(routesIndicateurs.attributions, async (c) => {
    const { indicateur } = c.req.valid('param');
    if (!isLegalIndicator(indicateur)) throw new NotFoundError(`indicateur inconnu : « ${indicateur} »`);
    const requete = c.req.valid('query');
    const periode = parsePeriode(requete.periode) as Periode;
    const { perimetre_type, perimetre_id } = perimeterFilter(requete);
    const query = { indicateur, periode, perimetre_type: perimetre_type ?? 'territoire', perimetre_id: perimetre_id ?? null };
    const liste = await deps.indicateurs.allocations(c.var.viewer, query, requete.limite);
    await deps.audit.ecrire(c.var.viewer, 'consultation_menages', `attributions ${indicateur} ${periode.id}`, {
      perimetre_type: query.perimetre_type,
      ...(query.perimetre_id ? { perimetre_id: query.perimetre_id } : {}),
      lignes: liste.lignes.length,
      ...(liste.restriction ? { restriction: liste.restriction } : {}),
    });
    return c.json(liste, 200);
  });

  app.openapi(routesIndicateurs.demande, async (c) => {
    const { annee } = yearAndPeriods(c.req.valid('query'));
    const results = await deps.indicateurs.demande(c.var.viewer, annee);
    const body: Demande = {
      annee,
      periodes: periodesDeLaDemande(annee).map((p) => ({ id: p.id, libelle: p.libelle })),
      lignes: results.demande.map((r) => ({
        ...r,
        libelle: DEMAND_INDICATORS[r.indicateur].libelle,
        unite: DEMAND_INDICATORS[r.indicateur].unite,
        modalite_libelle: LIBELLES_MODALITE[r.modalite] ?? r.modalite,
      })),
      limites: results.limites,
      controles: results.controles,
    };
    return c.json(body, 200);
  });

  return app;
}

function tableau(titre: string, lignes: readonly LigneIndicateur[]): Tableau<LigneIndicateur> {
  return { titre, colonnes: INDICATOR_COLUMNS, lignes };
}

/** `annee` or `periode` (checked by the contract's schema); the year is the one of the period. */
function yearAndPeriods(query: { annee?: string | undefined; periode?: string | undefined }): { annee: number; periodes?: string[] } {
  if (query.periode) {
    const periode = parsePeriode(query.periode) as Periode;
    return { annee: periode.annee, periodes: [periode.id] };
  }
  return { annee: Number(query.annee) };
}

/** The perimeter filter, its form checked by the contract's schema; an unknown indicator is a 404. */
function perimeterFilter(query: { perimetre_type?: string | undefined; perimetre_id?: string | undefined; indicateur?: string | undefined }): {
  perimetre_type?: string;
  perimetre_id?: string;
  indicateur?: string;
} {
  const { perimetre_type, perimetre_id, indicateur } = query;
  if (indicateur && !isLegalIndicator(indicateur)) throw new NotFoundError(`indicateur inconnu : « ${indicateur} »`);
  return {
    ...(perimetre_type ? { perimetre_type } : {}),
    ...(perimetre_id ? { perimetre_id } : {}),
    ...(indicateur ? { indicateur } : {}),
  };
}
