import { Hono } from 'hono';
import type { Context } from 'hono';
import { DEMAND_INDICATORS, LIBELLES_MODALITE, PERIMETER_TYPES, parsePeriode, periodesDeLAnnee } from '@mixite/core';
import type { Colonne, Demande, LigneIndicateur, Tableau } from '../contract.ts';
import { exiger } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, NotFoundError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';
import { isLegalIndicator } from '../repositories/indicateurs-repository.ts';

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
export const DEFAULT_ALLOCATION_LIMIT = 5_000;
export const MAX_ALLOCATION_LIMIT = 50_000;

/** Indicators (legal targets), their breakdowns, the allocations behind a row, and the demand side. */
export function indicateursRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.get('/territoire', async (c) => c.json(await deps.indicateurs.territoireDe(c.var.viewer)));

  app.get('/declarations', (c) => c.json(deps.indicateurs.declarations()));

  app.get('/indicateurs', async (c) => {
    const { annee, periodes } = yearAndPeriods(c);
    const filter = perimeterFilter(c);
    const lignes = await deps.indicateurs.rows(c.var.viewer, { annee, periodes, ...filter });
    return c.json(tableau(`Indicateurs ${periodes?.length === 1 ? periodes[0] : annee}`, lignes));
  });

  app.get('/indicateurs/tendance', async (c) => {
    const lignes = await deps.indicateurs.trend(c.var.viewer, perimeterFilter(c));
    return c.json(tableau('Évolution annuelle des indicateurs', lignes));
  });

  app.get('/objectifs/:indicateur/attributions', exiger('menages'), async (c) => {
    const indicateur = c.req.param('indicateur');
    if (!isLegalIndicator(indicateur)) throw new NotFoundError(`indicateur inconnu : « ${indicateur} »`);
    const periode = parsePeriode(c.req.query('periode') ?? '');
    if (!periode) throw new BadRequestError('paramètre « periode » attendu : 2024, 2024-S1, 2024-S2, 12m-2024-06-30 ou 12m-2024-12-31');
    const { perimetre_type, perimetre_id } = perimeterFilter(c);
    const limite = c.req.query('limite') ? Number(c.req.query('limite')) : DEFAULT_ALLOCATION_LIMIT;
    if (!Number.isInteger(limite) || limite < 1 || limite > MAX_ALLOCATION_LIMIT) {
      throw new BadRequestError(`paramètre « limite » : un entier entre 1 et ${MAX_ALLOCATION_LIMIT}`);
    }
    const query = { indicateur, periode, perimetre_type: perimetre_type ?? 'territoire', perimetre_id: perimetre_id ?? null };
    const liste = await deps.indicateurs.allocations(c.var.viewer, query, limite);
    await deps.audit.ecrire(c.var.viewer, 'consultation_menages', `attributions ${indicateur} ${periode.id}`, {
      perimetre_type: query.perimetre_type,
      ...(query.perimetre_id ? { perimetre_id: query.perimetre_id } : {}),
      lignes: liste.lignes.length,
      ...(liste.restriction ? { restriction: liste.restriction } : {}),
    });
    return c.json(liste);
  });

  app.get('/demande', async (c) => {
    const { annee } = yearAndPeriods(c);
    const results = await deps.indicateurs.demande(c.var.viewer, annee);
    const body: Demande = {
      annee,
      periodes: periodesDeLAnnee(annee).map((p) => ({ id: p.id, libelle: p.libelle })),
      lignes: results.demande.map((r) => ({
        ...r,
        libelle: DEMAND_INDICATORS[r.indicateur].libelle,
        unite: DEMAND_INDICATORS[r.indicateur].unite,
        modalite_libelle: LIBELLES_MODALITE[r.modalite] ?? r.modalite,
      })),
      limites: results.limites,
      controles: results.controles,
    };
    return c.json(body);
  });

  return app;
}

function tableau(titre: string, lignes: LigneIndicateur[]): Tableau<LigneIndicateur> {
  return { titre, colonnes: INDICATOR_COLUMNS, lignes };
}

/** `annee` (YYYY) or `periode` (an id of the export); the year is the one of the period. */
function yearAndPeriods(c: Context): { annee: number; periodes?: string[] } {
  const periodeId = c.req.query('periode');
  if (periodeId) {
    const periode = parsePeriode(periodeId);
    if (!periode) throw new BadRequestError(`période inconnue : « ${periodeId} » (attendu : 2024, 2024-S1, 2024-S2, 12m-2024-06-30 ou 12m-2024-12-31)`);
    return { annee: periode.annee, periodes: [periode.id] };
  }
  const text = c.req.query('annee');
  const annee = Number(text);
  if (!text || !Number.isInteger(annee) || annee < 1990 || annee > 2099) throw new BadRequestError('paramètre « annee » attendu (ex. 2024) ou « periode »');
  return { annee };
}

function perimeterFilter(c: Context): { perimetre_type?: string; perimetre_id?: string; indicateur?: string } {
  const perimetre_type = c.req.query('perimetre_type');
  const perimetre_id = c.req.query('perimetre_id');
  if (perimetre_id !== undefined && (perimetre_id.length > 100 || /\p{Cc}/u.test(perimetre_id))) throw new BadRequestError('paramètre « perimetre_id » invalide');
  if (perimetre_type && !(PERIMETER_TYPES as readonly string[]).includes(perimetre_type) && perimetre_type !== 'non_reserve') {
    throw new BadRequestError(`type de périmètre inconnu : « ${perimetre_type} » (attendu : ${PERIMETER_TYPES.join(', ')})`);
  }
  const indicateur = c.req.query('indicateur');
  if (indicateur && !isLegalIndicator(indicateur)) throw new NotFoundError(`indicateur inconnu : « ${indicateur} »`);
  return {
    ...(perimetre_type ? { perimetre_type } : {}),
    ...(perimetre_id ? { perimetre_id } : {}),
    ...(indicateur ? { indicateur } : {}),
  };
}
