import type { Droits, Role as RoleDuContrat, SessionApi } from '@mixite/contract';
import { connexionSchema, deblocageSchema, requeteDeblocageSchema, santeSchema, sessionSchema } from '@mixite/contract';
import { getCookie } from 'hono/cookie';
import type { Role } from '../auth/roles.ts';
import { LIBELLES_ROLE, NUR_EN_CLAIR, PERIMETRE_DU_ROLE, SECRET_STATISTIQUE, autorise } from '../auth/roles.ts';
import { COOKIE_SESSION, adresseClient, effacerCookie, poserCookie } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import type { SessionCourante, Viewer } from '../http/viewer.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation, refus } from './operation.ts';

/** The roles the contract publishes are the server's (auth/roles.ts): this line stops compiling if the two lists part. */
export const MEMES_ROLES: [Role, RoleDuContrat] extends [RoleDuContrat, Role] ? true : never = true;

export const routesSession = {
  sante: operation('public', {
    method: 'get',
    path: '/sante',
    summary: 'État du serveur (contrôle de santé) : il répond, et dans quel mode',
    tags: ['Session'],
    responses: { 200: json(santeSchema) },
  }),
  connexion: operation('public', {
    method: 'post',
    path: '/session',
    summary: 'Connexion : vérifie l’adresse et le mot de passe, ouvre une session (cookie HttpOnly, SameSite=Strict) et rend le jeton CSRF',
    tags: ['Session'],
    request: { body: corpsJsonRequis(connexionSchema) },
    responses: {
      200: json(sessionSchema),
      400: erreur('Corps illisible (pas du JSON)'),
      401: erreur('Adresse ou mot de passe incorrect'),
      422: erreur('Champs manquants'),
      429: erreur('Trop de tentatives : l’en-tête Retry-After donne le délai'),
    },
  }),
  session: operation('session', {
    method: 'get',
    path: '/session',
    summary: 'La session en cours : utilisateur, rôle, droits, jeton CSRF, mode',
    tags: ['Session'],
    responses: { 200: json(sessionSchema), ...REFUS },
  }),
  deconnexion: operation('session', {
    method: 'delete',
    path: '/session',
    summary: 'Déconnexion : la session est supprimée',
    tags: ['Session'],
    responses: { 204: { description: 'Déconnecté' }, ...REFUS },
  }),
  deblocage: operation('administration', {
    method: 'delete',
    path: '/connexions/blocages',
    summary: 'Lève les délais imposés après des échecs de connexion : d’un compte (toutes adresses), d’une adresse IP, ou tous',
    tags: ['Administration'],
    request: { query: requeteDeblocageSchema },
    responses: { 200: json(deblocageSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
} as const;

/** Login, the current session, logout; and the health check. */
export function sessionRoutes(deps: Deps) {
  const app = groupe();
  const regles = deps.regles;

  // Public: says the server answers and in which mode, nothing about accounts (the first-administrator hint is in
  // the server's log and the command line only).
  app.openapi(routesSession.sante, (c) => c.json({ statut: 'ok' as const, mode: regles.mode }, 200));

  app.openapi(
    routesSession.connexion,
    async (c) => {
      const { email, mot_de_passe } = c.req.valid('json');
      const connexion = await deps.auth.connecter(email, mot_de_passe, adresseClient(c, regles), getCookie(c, COOKIE_SESSION) ?? null);
      poserCookie(c, regles, connexion.jeton);
      return c.json(await sessionApi(deps, connexion.viewer, connexion.session, connexion.session.csrf), 200);
    },
    refus('indiquez l’adresse e-mail et le mot de passe'),
  );

  app.openapi(routesSession.session, async (c) => c.json(await sessionApi(deps, c.var.viewer, c.var.session, c.var.csrf), 200));

  // The unlock path: an administrator lifts the login delays of an account (every address), of an address, or all.
  app.openapi(routesSession.deblocage, async (c) => {
    const query = c.req.valid('query');
    const email = query.email || null;
    const adresse = query.adresse || null;
    const levees = deps.auth.debloquer({ compte: email, adresse });
    await deps.audit.ecrire(c.var.viewer, 'compte_modifie', `déblocage des connexions : ${[email, adresse].filter(Boolean).join(', ') || 'toutes'}`, { levees });
    return c.json({ levees }, 200);
  });

  app.openapi(routesSession.deconnexion, async (c) => {
    const session = c.var.session;
    if (session) await deps.auth.deconnecter(c.var.viewer, session);
    effacerCookie(c, regles);
    return c.body(null, 204);
  });

  return app;
}

async function sessionApi(deps: Deps, viewer: Viewer, session: SessionCourante | null, csrf: string): Promise<SessionApi> {
  return {
    mode: deps.regles.mode,
    utilisateur: {
      email: viewer.email,
      nom: viewer.nom,
      role: viewer.role,
      role_libelle: LIBELLES_ROLE[viewer.role],
      perimetre: viewer.perimetre,
      perimetre_libelle: viewer.perimetre ? await libellePerimetre(deps, viewer) : null,
    },
    droits: droitsDe(viewer),
    csrf,
    expiration: session ? new Date(session.expiration).toISOString() : null,
  };
}

export function droitsDe(viewer: Viewer): Droits {
  return {
    partenaire: autorise(viewer.role, 'partenaire'),
    menages: autorise(viewer.role, 'menages') && viewer.portee.kind !== 'aucune',
    modification: autorise(viewer.role, 'modification'),
    administration: autorise(viewer.role, 'administration'),
    nur_en_clair: NUR_EN_CLAIR[viewer.role],
    secret_statistique: SECRET_STATISTIQUE[viewer.role],
  };
}

/** « Essonne Habitat (B1) »: the perimeter's name in the territory, when the store knows it. */
async function libellePerimetre(deps: Deps, viewer: Viewer): Promise<string> {
  const type = PERIMETRE_DU_ROLE[viewer.role];
  const id = viewer.perimetre as string;
  if (!type) return id;
  const territoire = await deps.indicateurs.territoireDe(viewer);
  const liste = territoire.perimetres[type === 'reservataire' ? 'contingent' : type] ?? [];
  const nom = liste.find((p) => p.id === id)?.libelle;
  return nom ? `${nom} (${id})` : id;
}
