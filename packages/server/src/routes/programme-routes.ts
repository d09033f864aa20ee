import type { FicheApi, ProgrammeApi } from '@mixite/contract';
import {
  calendrierSchema,
  corpsCommentaireSchema,
  corpsStatutSchema,
  parametreFicheSchema,
  programmeSchema,
  requeteProgrammeSchema,
} from '@mixite/contract';
import type { Echeance, FicheAction, LienIndicateur } from '@mixite/core';
import { ENGAGEMENT_CLOS, LEGAL_INDICATORS, associeALaFiche, calendrierObligations, echeancesEngagements, etapeTexte, partenaireTexte, situationEcheance } from '@mixite/core';
import { ajouterCommentaire, commentairesFiches, definirStatut, historiqueStatuts, listerEngagements, lireProgramme, statutsDeLAnnee } from '@mixite/data';
import type { Deps } from '../http/deps.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { ajouterRoutesGouvernance, routesGouvernance } from './gouvernance-routes.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation } from './operation.ts';

/**
 * The action programme and its follow-up (issue 19; docs/programme.md). Who does what:
 * - every account reads the programme (fiches, statuses): it is the CIA's public commitment; the public reader
 *   (`lecteur`) reads neither the partners' comments nor who signed a status (names of people);
 * - the EPCI (and the administrator) set the status of any fiche: `modification`;
 * - a partner comments the fiches it pilots or is a partner of (its bailleur, réservataire or commune id in the
 *   fiche; the State when « etat » is), the EPCI any fiche; another fiche: 403.
 * Each change is signed and dated in the programme's history and written to the audit log (action « programme »).
 */
export const routesProgramme = {
  programme: operation('session', {
    method: 'get',
    path: '/programme',
    summary: 'Le programme d’actions : convention, fiches par orientation avec leurs indicateurs (valeurs par année), statut de l’année, historique et commentaires',
    tags: ['Programme d’actions'],
    request: { query: requeteProgrammeSchema },
    responses: { 200: json(programmeSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
  statut: operation('modification', {
    method: 'put',
    path: '/programme/fiches/{numero}/statut',
    summary: 'Enregistre le statut d’une fiche pour une année (daté et signé dans l’historique)',
    tags: ['Programme d’actions'],
    request: { params: parametreFicheSchema, body: corpsJsonRequis(corpsStatutSchema) },
    responses: { 200: json(programmeSchema), 400: erreur('Paramètre invalide'), 404: erreur('Fiche inconnue'), 422: erreur('Statut refusé'), ...REFUS },
  }),
  commentaire: operation('partenaire', {
    method: 'post',
    path: '/programme/fiches/{numero}/commentaires',
    summary: 'Ajoute le commentaire daté et signé d’un partenaire sur une fiche qu’il pilote ou dont il est partenaire (l’EPCI : toute fiche)',
    tags: ['Programme d’actions'],
    request: { params: parametreFicheSchema, body: corpsJsonRequis(corpsCommentaireSchema) },
    responses: { 200: json(programmeSchema), 400: erreur('Paramètre invalide'), 404: erreur('Fiche inconnue'), 422: erreur('Commentaire refusé'), ...REFUS, 403: erreur('Rôle non autorisé, jeton CSRF absent, ou fiche d’un autre partenaire') },
  }),
  calendrier: operation('session', {
    method: 'get',
    path: '/programme/calendrier',
    summary: 'Le calendrier des obligations de l’année (loi, convention, étapes des fiches, engagements des partenaires), chacune en retard, proche (30 jours) ou à venir',
    tags: ['Programme d’actions'],
    request: { query: requeteProgrammeSchema },
    responses: { 200: json(calendrierSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
  // Instances, meetings, commitments (gouvernance-routes.ts): listed here so that OPERATIONS holds them.
  ...routesGouvernance,
} as const;

const peutModifier = (v: Viewer) => v.role === 'admin' || v.role === 'epci';
const peutCommenter = (v: Viewer, f: FicheAction) => peutModifier(v) || associeALaFiche(f, v.role, v.perimetre);
/** The partner a comment is signed for: the account's perimeter (« bailleur:B1 »), or its role. */
const partenaireDuCompte = (v: Viewer) => (v.perimetre ? `${v.role}:${v.perimetre}` : v.role);

function libelleLien(l: LienIndicateur): string {
  const titre = LEGAL_INDICATORS[l.indicateur]?.courts.titre ?? l.indicateur;
  return l.perimetre_type === 'territoire' ? `${titre} — territoire` : `${titre} — ${l.perimetre_type} ${l.perimetre_id}`;
}

async function programmeVu(deps: Deps, viewer: Viewer, annee: number): Promise<ProgrammeApi> {
  const { programme, statuts, historique, commentaires } = await deps.lock.read(async () => ({
    programme: await lireProgramme(deps.store),
    statuts: await statutsDeLAnnee(deps.store, annee),
    historique: await historiqueStatuts(deps.store),
    commentaires: await commentairesFiches(deps.store),
  }));
  const public_ = viewer.role === 'lecteur';
  const fiches: FicheApi[] = [];
  for (const f of programme?.fiches ?? []) {
    const indicateurs = [];
    for (const l of f.indicateurs) {
      // The engine's rows for this indicator and perimeter, one per year, with the viewer's secrecy (a masked cell is null).
      const lignes = await deps.indicateurs.trend(viewer, { indicateur: l.indicateur, perimetre_type: l.perimetre_type, ...(l.perimetre_id ? { perimetre_id: l.perimetre_id } : {}) });
      const valeurs = lignes
        .map((r) => ({ annee: Number(r.periode), taux: r.taux, numerateur: r.numerateur, denominateur: r.denominateur, cible: r.cible }))
        .filter((v) => Number.isInteger(v.annee) && v.annee <= annee)
        .sort((a, b) => a.annee - b.annee);
      indicateurs.push({ indicateur: l.indicateur, libelle: libelleLien(l), perimetre_type: l.perimetre_type, perimetre_id: l.perimetre_id, valeurs });
    }
    fiches.push({
      numero: f.numero,
      titre: f.titre,
      orientation: f.orientation,
      enjeux: f.enjeux,
      etapes: f.etapes.map(etapeTexte),
      pilote: partenaireTexte(f.pilote),
      partenaires: f.partenaires.map(partenaireTexte),
      indicateurs,
      indicateurs_qualitatifs: f.indicateurs_qualitatifs,
      statut: statuts.get(f.numero)?.statut ?? null,
      commentable: !public_ && peutCommenter(viewer, f),
    });
  }
  return {
    annee,
    convention: programme?.convention ?? null,
    fiches,
    historique: public_ ? [] : historique.map((h) => ({ numero: h.numero, annee: h.annee, statut: h.statut, date: h.date, auteur: h.auteur })),
    commentaires: public_ ? [] : commentaires.map((c) => ({ numero: c.numero, annee: c.annee, partenaire: c.partenaire, texte: c.texte, date: c.date, auteur: c.auteur })),
    modifiable: peutModifier(viewer),
  };
}

async function fiche(deps: Deps, numero: number): Promise<FicheAction> {
  const programme = await deps.lock.read(() => lireProgramme(deps.store));
  const f = programme?.fiches.find((x) => x.numero === numero);
  if (!f) throw new NotFoundError(`fiche action ${numero} introuvable dans le programme d’actions`);
  return f;
}

export function programmeRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesProgramme.programme, async (c) => c.json(await programmeVu(deps, c.var.viewer, c.req.valid('query').annee), 200));

  app.openapi(routesProgramme.statut, async (c) => {
    const { numero } = c.req.valid('param');
    const { annee, statut } = c.req.valid('json');
    const viewer = c.var.viewer;
    await fiche(deps, numero);
    // Alone, not a write: a status changes no figure, the indicators' caches stay.
    await deps.lock.alone(() =>
      deps.store.transaction(async () => {
        await definirStatut(deps.store, numero, annee, statut, { auteur: viewer.nom, role: viewer.role, date: new Date(deps.regles.maintenant()).toISOString() });
        await deps.audit.ecrireDejaSeul(viewer, 'programme', `fiche ${numero}`, { annee, statut });
      }),
    );
    return c.json(await programmeVu(deps, viewer, annee), 200);
  });

  app.openapi(routesProgramme.commentaire, async (c) => {
    const { numero } = c.req.valid('param');
    const { annee, texte } = c.req.valid('json');
    const viewer = c.var.viewer;
    const f = await fiche(deps, numero);
    if (!peutCommenter(viewer, f)) throw new ForbiddenError(`la fiche ${numero} n’est pas pilotée par votre structure ni partagée avec elle : seuls son pilote, ses partenaires et l’EPCI la commentent`);
    await deps.lock.alone(() =>
      deps.store.transaction(async () => {
        await ajouterCommentaire(deps.store, numero, annee, partenaireDuCompte(viewer), texte, { auteur: viewer.nom, role: viewer.role, date: new Date(deps.regles.maintenant()).toISOString() });
        await deps.audit.ecrireDejaSeul(viewer, 'programme', `fiche ${numero}`, { annee, commentaire: texte.length });
      }),
    );
    return c.json(await programmeVu(deps, viewer, annee), 200);
  });

  app.openapi(routesProgramme.calendrier, async (c) => {
    const { annee } = c.req.valid('query');
    const { programme, statuts, engagements } = await deps.lock.read(async () => ({
      programme: await lireProgramme(deps.store),
      statuts: await statutsDeLAnnee(deps.store, annee),
      engagements: await listerEngagements(deps.store),
    }));
    const aujourdhui = new Date(deps.regles.maintenant()).toISOString().slice(0, 10);
    // Only a fiche's step and a commitment have a state Mixité follows (the fiche's status, the commitment's): past
    // and not closed, they are late. A past legal obligation is « échue »: whether the bailleurs did transmit is not recorded here.
    const close = (numero: number | undefined) => numero !== undefined && ['realisee', 'abandonnee'].includes(statuts.get(numero)?.statut ?? '');
    const statutEngagement = new Map(engagements.map((e) => [e.id, e.statut]));
    const engagementClos = (id: number | undefined) => id === undefined || ENGAGEMENT_CLOS.has(statutEngagement.get(id) ?? 'tenu');
    const toutes: (Echeance & { engagement?: number })[] = [...calendrierObligations(annee, programme), ...echeancesEngagements(annee, engagements)].sort((a, b) => a.date.localeCompare(b.date));
    const echeances = toutes.map((e) => {
      const s = situationEcheance(e, aujourdhui);
      const suivie = e.genre === 'fiche' ? !close(e.fiche) : e.genre === 'engagement' ? !engagementClos(e.engagement) : false;
      const situation = s === 'en_retard' && !suivie ? ('echue' as const) : s;
      return { date: e.date, obligation: e.obligation, source: e.source, genre: e.genre, situation };
    });
    return c.json({ annee, aujourdhui, echeances }, 200);
  });

  ajouterRoutesGouvernance(app, deps);
  return app;
}
