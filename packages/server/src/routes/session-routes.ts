import { Hono } from 'hono';
import { z } from 'zod';
import { LIBELLES_ROLE, NUR_EN_CLAIR, PERIMETRE_DU_ROLE, SECRET_STATISTIQUE, autorise } from '../auth/roles.ts';
import type { Droits, Sante, SessionApi } from '../contract.ts';
import { COOKIE_SESSION, adresseClient, effacerCookie, exiger, poserCookie } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, ValidationError } from '../http/errors.ts';
import type { AppEnv, SessionCourante, Viewer } from '../http/viewer.ts';
import { readJson } from './configuration-routes.ts';
import { getCookie } from 'hono/cookie';

const connexionSchema = z
  .object({
    email: z.string().min(1).max(254),
    mot_de_passe: z.string().min(1).max(256),
  })
  .strict();

/** Login, the current session, logout; and the health check. */
export function sessionRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const regles = deps.regles;

  // Public: says the server answers and in which mode, nothing about accounts (the first-administrator hint is in
  // the server's log and the command line only).
  app.get('/sante', (c) => c.json({ statut: 'ok', mode: regles.mode } satisfies Sante));

  app.post('/session', async (c) => {
    const parsed = connexionSchema.safeParse(await readJson(c.req.raw));
    if (!parsed.success) throw new ValidationError('indiquez l’adresse e-mail et le mot de passe', parsed.error.issues.map((i) => ({ chemin: i.path.join('.'), message: i.message })));
    const connexion = await deps.auth.connecter(parsed.data.email, parsed.data.mot_de_passe, adresseClient(c, regles), getCookie(c, COOKIE_SESSION) ?? null);
    poserCookie(c, regles, connexion.jeton);
    return c.json(await sessionApi(deps, connexion.viewer, connexion.session, connexion.session.csrf));
  });

  app.get('/session', async (c) => c.json(await sessionApi(deps, c.var.viewer, c.var.session, c.var.csrf)));

  // The unlock path: an administrator lifts the login delays of an account (every address), of an address, or all.
  app.delete('/connexions/blocages', exiger('administration'), async (c) => {
    const email = c.req.query('email') || null;
    const adresse = c.req.query('adresse') || null;
    if ((email && email.length > 254) || (adresse && !/^[0-9A-Fa-f.:]{2,45}$/.test(adresse))) throw new BadRequestError('adresse e-mail ou adresse IP invalide');
    const levees = deps.auth.debloquer({ compte: email, adresse });
    await deps.audit.ecrire(c.var.viewer, 'compte_modifie', `déblocage des connexions : ${[email, adresse].filter(Boolean).join(', ') || 'toutes'}`, { levees });
    return c.json({ levees });
  });

  app.delete('/session', exiger('session'), async (c) => {
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
