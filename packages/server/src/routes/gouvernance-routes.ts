import type { OpenAPIHono } from '@hono/zod-openapi';
import type { EngagementApi, GouvernanceApi } from '@mixite/contract';
import { corpsEngagementSchema, corpsInstanceSchema, corpsReunionSchema, gouvernanceSchema, parametreIdSchema, requeteGouvernanceSchema } from '@mixite/contract';
import type { CibleEngagement, Engagement, LegalIndicatorId, PerimeterType } from '@mixite/core';
import { LEGAL_INDICATOR_IDS } from '@mixite/core';
import type { EngagementSaisi, ReunionSaisie } from '@mixite/data';
import {
  creerEngagement,
  creerInstance,
  creerReunion,
  listerEngagements,
  listerInstances,
  listerReunions,
  lireProgramme,
  modifierEngagement,
  modifierInstance,
  modifierReunion,
} from '@mixite/data';
import type { z } from 'zod';
import type { Deps } from '../http/deps.ts';
import { ValidationError } from '../http/errors.ts';
import type { AppEnv, Viewer } from '../http/viewer.ts';
import { REFUS, corpsJsonRequis, erreur, json, operation } from './operation.ts';

/**
 * The CIA's governance (issue 19; docs/programme.md « Instances, réunions, engagements »). Who does what:
 * - every account reads the instances, their meetings with their decisions, and the partners' commitments: they are
 *   the convention's public life (the CIL's decisions are public acts). The public reader (`lecteur`) reads neither
 *   the minutes (they may name people), nor the attendance, nor who signed: those fields come empty;
 * - the EPCI and the administrator create and change instances, meetings (minutes, decisions, attendance) and
 *   commitments (`modification`): the EPCI runs the instances (seed 000 §IV). A partner does not change its own
 *   commitment's status here: it says where it stands in a comment of the fiche.
 * Each change is signed and dated (its author and instant) and written to the audit log (action « programme »).
 */
const RESPONSES = { 200: json(gouvernanceSchema), 400: erreur('Paramètre invalide'), 422: erreur('Saisie refusée'), ...REFUS } as const;
const TAGS = ['Programme d’actions'];

export const routesGouvernance = {
  gouvernance: operation('session', {
    method: 'get',
    path: '/programme/instances',
    summary: 'Les instances de la CIA, leurs réunions (ordre du jour, compte rendu, décisions, présents) et les engagements des partenaires',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema },
    responses: { 200: json(gouvernanceSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
  creerInstance: operation('modification', {
    method: 'post',
    path: '/programme/instances',
    summary: 'Crée une instance (CIL, comité technique, commission de coordination…) avec ses membres',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, body: corpsJsonRequis(corpsInstanceSchema) },
    responses: RESPONSES,
  }),
  modifierInstance: operation('modification', {
    method: 'put',
    path: '/programme/instances/{id}',
    summary: 'Modifie une instance',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, params: parametreIdSchema, body: corpsJsonRequis(corpsInstanceSchema) },
    responses: { ...RESPONSES, 404: erreur('Instance inconnue') },
  }),
  creerReunion: operation('modification', {
    method: 'post',
    path: '/programme/reunions',
    summary: 'Enregistre une réunion d’une instance : date, ordre du jour, compte rendu, documents présentés, décisions (liées aux fiches), présents',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, body: corpsJsonRequis(corpsReunionSchema) },
    responses: { ...RESPONSES, 404: erreur('Instance inconnue') },
  }),
  modifierReunion: operation('modification', {
    method: 'put',
    path: '/programme/reunions/{id}',
    summary: 'Modifie une réunion (compte rendu et décisions écrits après elle), signée du dernier auteur',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, params: parametreIdSchema, body: corpsJsonRequis(corpsReunionSchema) },
    responses: { ...RESPONSES, 404: erreur('Réunion ou instance inconnue') },
  }),
  creerEngagement: operation('modification', {
    method: 'post',
    path: '/programme/engagements',
    summary: 'Enregistre l’engagement d’un partenaire (fiche, texte, échéance, statut ; quantifié : indicateur et cible)',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, body: corpsJsonRequis(corpsEngagementSchema) },
    responses: RESPONSES,
  }),
  modifierEngagement: operation('modification', {
    method: 'put',
    path: '/programme/engagements/{id}',
    summary: 'Modifie un engagement (son statut notamment), signé et daté',
    tags: TAGS,
    request: { query: requeteGouvernanceSchema, params: parametreIdSchema, body: corpsJsonRequis(corpsEngagementSchema) },
    responses: { ...RESPONSES, 404: erreur('Engagement inconnu') },
  }),
} as const;

const signe = (deps: Deps, v: Viewer) => ({ auteur: v.nom, date: new Date(deps.regles.maintenant()).toISOString() });

/** The fiche numbers a decision or a commitment names must be fiches of the programme: otherwise a 422 naming the field. */
async function fichesConnues(deps: Deps, chemins: readonly { chemin: string; fiche: number }[]): Promise<void> {
  if (chemins.length === 0) return;
  const programme = await deps.lock.read(() => lireProgramme(deps.store));
  const connues = new Set((programme?.fiches ?? []).map((f) => f.numero));
  const inconnues = chemins.filter((c) => !connues.has(c.fiche));
  if (inconnues.length > 0) {
    throw new ValidationError(
      'saisie refusée : fiche action inconnue',
      inconnues.map((c) => ({ chemin: c.chemin, message: `fiche action ${c.fiche} absente du programme d’actions` })),
    );
  }
}

function reunionSaisie(corps: z.infer<typeof corpsReunionSchema>): ReunionSaisie {
  return { ...corps, compte_rendu: corps.compte_rendu === null || corps.compte_rendu === '' ? null : corps.compte_rendu };
}

function engagementSaisi(corps: z.infer<typeof corpsEngagementSchema>): EngagementSaisi {
  if (corps.quantifie && !(LEGAL_INDICATOR_IDS as readonly string[]).includes(corps.quantifie.indicateur)) {
    throw new ValidationError('saisie refusée : indicateur inconnu', [
      { chemin: 'quantifie.indicateur', message: `indicateur « ${corps.quantifie.indicateur} » inconnu (identifiants de docs/indicators.md)` },
    ]);
  }
  if (corps.quantifie && corps.quantifie.perimetre_type !== 'territoire' && !corps.quantifie.perimetre_id) {
    throw new ValidationError('saisie refusée : périmètre incomplet', [{ chemin: 'quantifie.perimetre_id', message: 'identifiant du périmètre attendu hors territoire' }]);
  }
  const quantifie: CibleEngagement | null = corps.quantifie
    ? {
        indicateur: corps.quantifie.indicateur as LegalIndicatorId,
        perimetre_type: corps.quantifie.perimetre_type as PerimeterType,
        perimetre_id: corps.quantifie.perimetre_type === 'territoire' ? null : corps.quantifie.perimetre_id,
        cible: corps.quantifie.cible,
      }
    : null;
  return { partenaire: corps.partenaire, fiche: corps.fiche, libelle: corps.libelle, echeance: corps.echeance, statut: corps.statut, quantifie };
}

/** A quantified commitment's indicator for the year, read from the engine with the viewer's secrecy (null when masked or absent). */
async function valeurEngagement(deps: Deps, viewer: Viewer, e: Engagement, annee: number): Promise<EngagementApi['valeur']> {
  if (!e.quantifie) return null;
  const q = e.quantifie;
  const lignes = await deps.indicateurs.trend(viewer, { indicateur: q.indicateur, perimetre_type: q.perimetre_type, ...(q.perimetre_id ? { perimetre_id: q.perimetre_id } : {}) });
  const r = lignes.find((l) => l.periode === String(annee));
  return { annee, taux: r?.taux ?? null, numerateur: r?.numerateur ?? null, denominateur: r?.denominateur ?? null };
}

export async function gouvernanceVue(deps: Deps, viewer: Viewer, annee: number): Promise<GouvernanceApi> {
  const { instances, reunions, engagements } = await deps.lock.read(async () => ({
    instances: await listerInstances(deps.store),
    reunions: await listerReunions(deps.store),
    engagements: await listerEngagements(deps.store),
  }));
  const public_ = viewer.role === 'lecteur';
  const valeurs: EngagementApi['valeur'][] = [];
  for (const e of engagements) valeurs.push(await valeurEngagement(deps, viewer, e, annee));
  return {
    annee,
    instances: instances.map((i) => ({ ...i, membres: [...i.membres] })),
    reunions: reunions.map((r) => ({
      ...r,
      documents: [...r.documents],
      decisions: r.decisions.map((d) => ({ texte: d.texte, fiches: [...d.fiches] })),
      compte_rendu: public_ ? null : r.compte_rendu,
      presents: public_ ? [] : [...r.presents],
      auteur: public_ ? null : r.auteur,
      date_modification: public_ ? null : r.date_modification,
    })),
    engagements: engagements.map((e, i) => ({
      ...e,
      valeur: valeurs[i] ?? null,
      auteur: public_ || e.auteur === '' ? null : e.auteur,
      date_modification: public_ || e.auteur === '' ? null : e.date_modification,
    })),
    modifiable: viewer.role === 'admin' || viewer.role === 'epci',
  };
}

/** Registers the governance routes on the programme's group (programme-routes.ts). */
export function ajouterRoutesGouvernance(app: OpenAPIHono<AppEnv>, deps: Deps): void {
  /** A write alone (no figure changes: the indicators' caches stay), with its audit line in the same transaction. */
  const ecrire = (viewer: Viewer, objet: string, details: Record<string, unknown>, action: () => Promise<unknown>) =>
    deps.lock.alone(() =>
      deps.store.transaction(async () => {
        await action();
        await deps.audit.ecrireDejaSeul(viewer, 'programme', objet, details);
      }),
    );

  app.openapi(routesGouvernance.gouvernance, async (c) => c.json(await gouvernanceVue(deps, c.var.viewer, c.req.valid('query').annee), 200));

  app.openapi(routesGouvernance.creerInstance, async (c) => {
    const corps = c.req.valid('json');
    await ecrire(c.var.viewer, `instance ${corps.nom}`, { genre: corps.genre }, () => creerInstance(deps.store, corps));
    return c.json(await gouvernanceVue(deps, c.var.viewer, c.req.valid('query').annee), 200);
  });

  app.openapi(routesGouvernance.modifierInstance, async (c) => {
    const { id } = c.req.valid('param');
    const corps = c.req.valid('json');
    await ecrire(c.var.viewer, `instance ${id}`, { genre: corps.genre }, () => modifierInstance(deps.store, id, corps));
    return c.json(await gouvernanceVue(deps, c.var.viewer, c.req.valid('query').annee), 200);
  });

  app.openapi(routesGouvernance.creerReunion, async (c) => {
    const corps = c.req.valid('json');
    await fichesConnues(deps, corps.decisions.flatMap((d, i) => d.fiches.map((fiche) => ({ chemin: `decisions.${i}.fiches`, fiche }))));
    const v = c.var.viewer;
    await ecrire(v, `réunion du ${corps.date}`, { instance: corps.instance_id, decisions: corps.decisions.length }, () => creerReunion(deps.store, reunionSaisie(corps), signe(deps, v)));
    return c.json(await gouvernanceVue(deps, v, c.req.valid('query').annee), 200);
  });

  app.openapi(routesGouvernance.modifierReunion, async (c) => {
    const { id } = c.req.valid('param');
    const corps = c.req.valid('json');
    await fichesConnues(deps, corps.decisions.flatMap((d, i) => d.fiches.map((fiche) => ({ chemin: `decisions.${i}.fiches`, fiche }))));
    const v = c.var.viewer;
    await ecrire(v, `réunion ${id}`, { instance: corps.instance_id, decisions: corps.decisions.length }, () => modifierReunion(deps.store, id, reunionSaisie(corps), signe(deps, v)));
    return c.json(await gouvernanceVue(deps, v, c.req.valid('query').annee), 200);
  });

  app.openapi(routesGouvernance.creerEngagement, async (c) => {
    const corps = c.req.valid('json');
    const saisi = engagementSaisi(corps);
    await fichesConnues(deps, corps.fiche === null ? [] : [{ chemin: 'fiche', fiche: corps.fiche }]);
    const v = c.var.viewer;
    await ecrire(v, `engagement de ${corps.partenaire}`, { statut: corps.statut }, () => creerEngagement(deps.store, saisi, signe(deps, v)));
    return c.json(await gouvernanceVue(deps, v, c.req.valid('query').annee), 200);
  });

  app.openapi(routesGouvernance.modifierEngagement, async (c) => {
    const { id } = c.req.valid('param');
    const corps = c.req.valid('json');
    const saisi = engagementSaisi(corps);
    await fichesConnues(deps, corps.fiche === null ? [] : [{ chemin: 'fiche', fiche: corps.fiche }]);
    const v = c.var.viewer;
    await ecrire(v, `engagement ${id}`, { statut: corps.statut }, () => modifierEngagement(deps.store, id, saisi, signe(deps, v)));
    return c.json(await gouvernanceVue(deps, v, c.req.valid('query').annee), 200);
  });
}
