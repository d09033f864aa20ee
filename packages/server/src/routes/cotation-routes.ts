import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Grille, ProblemeGrille } from '@mixite/core';
import { parseGrille, verifierGrilleEnvoyee } from '@mixite/core';
import type { PerimetreCotation } from '@mixite/data';
import { comparaisonPubliee, cotationDe, dateDesDonnees, distributionPubliee } from '@mixite/data';
import { pseudonymiser } from '../auth/pseudonymes.ts';
import { NUR_EN_CLAIR, SECRET_STATISTIQUE } from '../auth/roles.ts';
import type { Deps } from '../http/deps.ts';
import { demandeDansLePerimetre } from '../repositories/demandes-repository.ts';
import { versionDesDonnees } from '../repositories/etat-donnees-repository.ts';
import { BadRequestError, ForbiddenError, NotFoundError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { REFUS, corpsJsonRequis, erreur, fichier, groupe, json, operation, refus } from './operation.ts';
import { lettrePdf } from '@mixite/reports';
import {
  TYPES_MIME,
  comparaisonSchema,
  corpsCotationDemandeSchema,
  corpsGrilleSchema,
  corpsImpactSchema,
  distributionSchema,
  explicationCotationSchema,
  grilleParDefautSchema,
  grillesLivreesSchema,
  verificationGrilleSchema,
} from '@mixite/contract';

/** The grid the editor starts from (issue 6): the repository's `grilles/equilibre-cia.yaml`. */
export const GRILLE_PAR_DEFAUT = new URL('../../../../grilles/equilibre-cia.yaml', import.meta.url);
const NOM_GRILLE_PAR_DEFAUT = 'equilibre-cia.yaml';

/**
 * The grid, or a 422 whose details are the located problems (file, line, column, path, message). A grid sent
 * through the API may only read the fields of the allow-list of core (`CHAMPS_GRILLE_ENVOYEE`): never an identifier.
 */
function grille(texte: string, nom: string): Grille {
  const resultat = verifierGrilleEnvoyee(texte, nom);
  if (!resultat.ok) throw new ValidationError(`grille de cotation invalide (${resultat.problemes.length} problème(s))`, resultat.problemes);
  return resultat.grille;
}

/** The published grids (`grilles/*.yaml`), the only ones the public role may compute, by their normalised content. */
function grillesPubliees(): ReadonlyMap<string, string> {
  const dossier = fileURLToPath(new URL('.', GRILLE_PAR_DEFAUT));
  const out = new Map<string, string>();
  for (const nom of readdirSync(dossier).filter((f) => f.endsWith('.yaml')).sort()) out.set(JSON.stringify(parseGrille(readFileSync(`${dossier}/${nom}`, 'utf8'), nom)), nom);
  return out;
}

/**
 * What the aggregates of a viewer are computed over (issue 10, docs/security.md):
 * - the territory roles: every request, exact counts;
 * - a bailleur or a commune: the requests (and leases) of its perimeter only — households it reads one by one
 *   anyway — exact counts; a réservataire, which has no link to a request before a designation, none;
 * - the public role: only the published grids, at a 31 December, over the territory, with statistical secrecy.
 *   Exact counts of freely written grids can always be subtracted from one another to isolate one household
 *   (grid A, then A plus a criterion only one household meets), whatever the minimum size of each count: the fixed
 *   set of published tables is what stops the differencing; the secrecy protects each table.
 */
interface Vue {
  readonly secret: boolean;
  readonly perimetre: PerimetreCotation;
}

function vueDe(viewer: Viewer): Vue {
  if (SECRET_STATISTIQUE[viewer.role]) return { secret: true, perimetre: { kind: 'tout' } };
  const portee = viewer.portee;
  switch (portee.kind) {
    case 'territoire':
      return { secret: false, perimetre: { kind: 'tout' } };
    case 'bailleur':
    case 'commune':
      return { secret: false, perimetre: { kind: portee.kind, id: portee.id } };
    case 'reservataire':
    case 'aucune':
      return { secret: false, perimetre: { kind: 'aucune' } };
  }
}

const GRILLE_INVALIDE = erreur('Corps illisible, ou grille invalide : les problèmes localisés sont dans details');
const REFUS_CORPS = refus('requête de cotation illisible');

export const routesCotation = {
  grille: operation('session', {
    method: 'get',
    path: '/cotation/grille',
    summary: 'La grille de cotation de départ de l’éditeur (grilles/equilibre-cia.yaml), en texte YAML',
    tags: ['Cotation'],
    responses: { 200: json(grilleParDefautSchema), ...REFUS },
  }),
  grilles: operation('session', {
    method: 'get',
    path: '/cotation/grilles',
    summary: 'Les grilles de cotation livrées (grilles/*.yaml) : nom, description et texte YAML, pour le sélecteur de l’éditeur',
    tags: ['Cotation'],
    responses: { 200: json(grillesLivreesSchema), ...REFUS },
  }),
  verifier: operation('session', {
    method: 'post',
    path: '/cotation/verifier',
    summary: 'Vérifie une grille de cotation : les problèmes localisés (ligne, colonne, chemin, message en français), sans rien enregistrer',
    tags: ['Cotation'],
    request: { body: corpsJsonRequis(corpsGrilleSchema) },
    responses: { 200: json(verificationGrilleSchema), 400: erreur('JSON illisible'), 422: erreur('Corps illisible'), ...REFUS },
  }),
  distribution: operation('session', {
    method: 'post',
    path: '/cotation/distribution',
    summary:
      'Distribution des notes d’une grille sur les demandes actives à la date (histogramme, résumé, fréquence de chaque ligne) : agrégats, ' +
      'sur le périmètre du compte ; pour le rôle lecteur, seulement les grilles publiées au 31 décembre, au secret statistique',
    tags: ['Cotation'],
    request: { body: corpsJsonRequis(corpsGrilleSchema) },
    responses: { 200: json(distributionSchema), 400: erreur('Date de référence invalide'), 422: GRILLE_INVALIDE, ...REFUS },
  }),
  impact: operation('session', {
    method: 'post',
    path: '/cotation/impact',
    summary: 'Compare l’impact de deux grilles sur les objectifs de la CIA (demandes retenues par typologie, écarts, recouvrement) : agrégats',
    tags: ['Cotation'],
    request: { body: corpsJsonRequis(corpsImpactSchema) },
    responses: { 200: json(comparaisonSchema), 400: erreur('Date de référence invalide'), 422: GRILLE_INVALIDE, ...REFUS },
  }),
  demande: operation('menages', {
    method: 'post',
    path: '/cotation/demande',
    summary:
      'Note d’une demande (par NUR) et son explication ligne par ligne. Donnée d’un ménage : restreinte au périmètre du compte ' +
      '(tout le territoire, les demandes qui souhaitent la commune, les locataires du bailleur ; aucune pour un réservataire), consultation journalisée',
    tags: ['Cotation'],
    request: { body: corpsJsonRequis(corpsCotationDemandeSchema) },
    responses: {
      200: json(explicationCotationSchema),
      404: erreur('Demande introuvable, inactive à la date ou hors du périmètre'),
      422: GRILLE_INVALIDE,
      ...REFUS,
    },
  }),
  lettre: operation('menages', {
    method: 'post',
    path: '/cotation/lettre',
    summary:
      'Lettre au demandeur (PDF, article L441-2-8 du CCH) : note de sa demande et son explication, positionnement parmi les demandes similaires, ' +
      'délai moyen d’attente. Mêmes restrictions que la note d’une demande ; réservée aux rôles qui lisent le NUR en clair ; journalisée',
    tags: ['Cotation'],
    request: { body: corpsJsonRequis(corpsCotationDemandeSchema) },
    responses: {
      200: fichier('La lettre au demandeur', [TYPES_MIME.pdf]),
      403: erreur('Rôle non autorisé (la commune ne lit que des pseudonymes)'),
      404: erreur('Demande introuvable, inactive à la date ou hors du périmètre'),
      422: GRILLE_INVALIDE,
      401: REFUS[401],
    },
  }),
} as const;

/**
 * The cotation page (issue 6, docs/cotation.md): the grid to start from, its validation, the distribution of its
 * notes and its impact on the CIA targets (aggregates, every account), and the explanation of one request's note
 * (household level: scoped, written to the audit log). The grids travel in the body: nothing is stored.
 */
export function cotationRoutes(deps: Deps) {
  const app = groupe();

  app.openapi(routesCotation.grille, (c) => c.json({ fichier: NOM_GRILLE_PAR_DEFAUT, contenu: readFileSync(GRILLE_PAR_DEFAUT, 'utf8') }, 200));

  const publiees = grillesPubliees();

  // The shipped grids are public documents (every account, the public reader included: they are the published ones).
  app.openapi(routesCotation.grilles, (c) => {
    const dossier = fileURLToPath(new URL('.', GRILLE_PAR_DEFAUT));
    const grilles = readdirSync(dossier)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((fichier) => {
        const contenu = readFileSync(`${dossier}/${fichier}`, 'utf8');
        const g = parseGrille(contenu, fichier);
        return { fichier, nom: g.nom, description: g.description, contenu };
      });
    return c.json({ grilles }, 200);
  });

  /**
   * The public role: the grid must be a published one, and the date a 31 December (by default the last one of the
   * data), so that the set of tables it can obtain is fixed — no day-to-day differences naming a household.
   */
  const exigerPublication = async (grilles: readonly Grille[], date: string | undefined): Promise<string> => {
    for (const g of grilles) {
      if (!publiees.has(JSON.stringify(g))) {
        throw new ForbiddenError(
          `le rôle lecteur ne calcule que les grilles publiées (${[...publiees.values()].join(', ')}), au secret statistique : ` +
            `une grille libre permettrait, par différence entre deux grilles, de retrouver la situation d’un ménage`,
          'grille_non_publiee',
        );
      }
    }
    if (date !== undefined) {
      if (!date.endsWith('-12-31')) throw new BadRequestError(`date « ${date} » : le rôle lecteur lit les résultats au 31 décembre d’une année (AAAA-12-31)`);
      return date;
    }
    const donnees = await deps.lock.read(() => dateDesDonnees(deps.store));
    const annee = Number(donnees.slice(0, 4));
    return donnees.endsWith('-12-31') ? donnees : `${annee - 1}-12-31`;
  };

  /**
   * The public role's tables are a fixed set (published grids × year ends) whose secrecy audit costs up to a second:
   * each is computed once per state of the data (last import, last settings) and kept, a few dozen at most.
   */
  const publies = new Map<string, Promise<unknown>>();
  const publie = async <T>(cle: string, calcul: () => Promise<T>): Promise<T> => {
    const complete = `${await deps.lock.read(() => versionDesDonnees(deps.store))}|${cle}`;
    let resultat = publies.get(complete) as Promise<T> | undefined;
    if (!resultat) {
      if (publies.size >= 64) publies.delete(publies.keys().next().value as string);
      resultat = calcul();
      publies.set(complete, resultat);
      resultat.catch(() => publies.delete(complete));
    }
    return resultat;
  };

  app.openapi(
    routesCotation.verifier,
    async (c) => {
        const body = c.req.valid('json');
        const resultat = verifierGrilleEnvoyee(body.grille, body.fichier ?? 'grille.yaml');
        const problemes: ProblemeGrille[] = resultat.ok ? [] : resultat.problemes;
        return c.json(
          resultat.ok ? { ok: true, problemes, grille: { nom: resultat.grille.nom, version: resultat.grille.version } } : { ok: false, problemes, grille: null },
          200,
        );
    },
    REFUS_CORPS,
  );

  app.openapi(
    routesCotation.distribution,
    async (c) => {
      const body = c.req.valid('json');
      const g = grille(body.grille, body.fichier ?? 'grille.yaml');
      const vue = vueDe(c.var.viewer);
      const date = vue.secret ? await exigerPublication([g], body.date) : body.date;
      const options = { ...vue, ...(date ? { date } : {}) };
      const calcul = () => deps.lock.read(() => distributionPubliee(deps.store, g, options));
      return c.json(vue.secret ? await publie(`distribution|${publiees.get(JSON.stringify(g))}|${date}`, calcul) : await calcul(), 200);
    },
    REFUS_CORPS,
  );

  app.openapi(
    routesCotation.impact,
    async (c) => {
      const body = c.req.valid('json');
      const a = grille(body.grille_a, body.fichier_a ?? 'grille_a.yaml');
      const b = grille(body.grille_b, body.fichier_b ?? 'grille_b.yaml');
      const vue = vueDe(c.var.viewer);
      const date = vue.secret ? await exigerPublication([a, b], body.date) : body.date;
      const options = { ...vue, ...(date ? { date } : {}) };
      const calcul = () => deps.lock.read(() => comparaisonPubliee(deps.store, a, b, options));
      return c.json(vue.secret ? await publie(`impact|${publiees.get(JSON.stringify(a))}|${publiees.get(JSON.stringify(b))}|${date}`, calcul) : await calcul(), 200);
    },
    REFUS_CORPS,
  );

  app.openapi(
    routesCotation.demande,
    async (c) => {
      const body = c.req.valid('json');
      const g = grille(body.grille, body.fichier ?? 'grille.yaml');
      const viewer = c.var.viewer;
      // The rank, the number of similar requests and the waiting time are counts over other households: for a
      // perimeter account they are taken among its perimeter's requests, else a grid whose similarity key is empty
      // would count, through the rank, the households of the whole territory meeting any criterion.
      const options = { perimetre: vueDe(viewer).perimetre, ...(body.date ? { date: body.date } : {}) };
      // A reference date that is not a calendar date is the engine's RequeteInvalideError: a 400 (http/errors.ts).
      const explication = await deps.lock.read(async () => ((await demandeDansLePerimetre(deps.store, viewer.portee, body.nur)) ? cotationDe(deps.store, g, body.nur, options) : null));
      await deps.audit.ecrire(viewer, 'consultation_menages', `cotation ${body.nur}`, { grille: `${g.nom} v${g.version}`, trouvee: explication !== null });
      // Outside the perimeter and inactive answer alike: the route does not tell whether a NUR exists.
      if (!explication) throw new NotFoundError(`demande « ${body.nur} » introuvable, inactive à la date ou hors de votre périmètre`);
      // The NUR in clear only for the roles that read it so elsewhere (a commune reads the keyed pseudonym).
      if (!NUR_EN_CLAIR[viewer.role]) return c.json({ ...explication, nur: pseudonymiser(await deps.clePseudonymes(), explication.nur) }, 200);
      return c.json(explication, 200);
    },
    REFUS_CORPS,
  );

  app.openapi(
    routesCotation.lettre,
    async (c) => {
      const body = c.req.valid('json');
      const g = grille(body.grille, body.fichier ?? 'grille.yaml');
      const viewer = c.var.viewer;
      // The letter names the request by its NUR: only for the roles that handle the household (not a commune).
      if (!NUR_EN_CLAIR[viewer.role]) throw new ForbiddenError('la lettre au demandeur est réservée aux rôles qui gèrent la demande (le NUR y figure en clair)');
      const options = { perimetre: vueDe(viewer).perimetre, ...(body.date ? { date: body.date } : {}) };
      const explication = await deps.lock.read(async () => ((await demandeDansLePerimetre(deps.store, viewer.portee, body.nur)) ? cotationDe(deps.store, g, body.nur, options) : null));
      await deps.audit.ecrire(viewer, 'consultation_menages', `lettre de cotation ${body.nur}`, { grille: `${g.nom} v${g.version}`, trouvee: explication !== null });
      if (!explication) throw new NotFoundError(`demande « ${body.nur} » introuvable, inactive à la date ou hors de votre périmètre`);
      const territoire = await deps.lock.read(() => deps.territoire.territoire(viewer));
      const pdf = await lettrePdf({ nur: explication.nur, date: explication.date, grille: explication.grille, emetteur: territoire.nom, cotation: explication });
      return new Response(new Uint8Array(pdf), {
        headers: {
          'content-type': TYPES_MIME.pdf,
          'content-disposition': `attachment; filename="lettre-cotation-${explication.nur.replace(/[^A-Za-z0-9_-]/g, '_')}.pdf"`,
          'cache-control': 'no-store',
        },
      });
    },
    REFUS_CORPS,
  );

  return app;
}
