import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LigneSimulationApi, PolitiquesLivrees, ResultatSimulationApi } from '@mixite/contract';
import {
  corpsPolitiqueSchema,
  demandeSimulationSchema,
  parametresSimulationSchema,
  politiquesLivreesSchema,
  travailSimulationSchema,
  verificationPolitiqueSchema,
} from '@mixite/contract';
import type { CiaConfig, Grille, Probleme } from '@mixite/core';
import { verifierGrilleEnvoyee, verifierPolitique } from '@mixite/core';
import type { PolitiqueLue } from '@mixite/data';
import { ID_DIFFERENCE, configurationCourante, simuler } from '@mixite/data';
import { LIBELLES_ROLE } from '../auth/roles.ts';
import type { Deps } from '../http/deps.ts';
import { ForbiddenError, ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import type { TravauxSimulation } from '../services/travaux-simulation.ts';
import { REFUS, corpsJsonRequis, erreur, groupe, json, operation, refus } from './operation.ts';

/**
 * The simulation of an allocation policy (issue 16, docs/simulation.md). Who may do what (docs/security.md):
 * - the shipped policies and the check of an edited one read no data: every partner (`partenaire`);
 * - running a simulation reads every active request of the territory (profiles, wishes, notes) and every
 *   proposal of the calibration years, and answers with exact, unmasked counts (households housed per quartile,
 *   waiting times per profile): it is reserved to the roles that steer the CIA over the whole territory —
 *   administrator, EPCI, State. A bailleur, a réservataire or a commune get 403 (their perimeter is not the
 *   simulation's), the public reader too (no secrecy pass on these figures). Declared `partenaire` in the access
 *   matrix, the narrower rule is applied in the handler.
 * - a job is seen, cancelled and read only by the account that started it (services/travaux-simulation.ts); every
 *   start is written to the audit log (year, policies, runs, seed), as are the cancellations.
 * Bounded work: at most TIRAGES_MAX_API runs per request, one job waiting or running per account, jobs one at a
 * time for the whole server.
 */

const POLITIQUES = new URL('../../../../politiques/', import.meta.url);
const GRILLES = new URL('../../../../grilles/', import.meta.url);

const PILOTES = new Set<Viewer['role']>(['admin', 'epci', 'etat']);

function exigerPilote(viewer: Viewer): void {
  if (!PILOTES.has(viewer.role)) {
    throw new ForbiddenError(
      `la simulation lit la demande de tout le territoire et rend des effectifs exacts : elle est réservée à l’EPCI, à l’État et à l’administrateur ; le rôle « ${LIBELLES_ROLE[viewer.role]} » peut consulter les politiques livrées`,
    );
  }
}

/** The shipped policies (politiques/*.yaml), read once. */
function politiquesLivrees(): PolitiquesLivrees {
  const dossier = fileURLToPath(POLITIQUES);
  const fichiers = existsSync(dossier) ? readdirSync(dossier).filter((f) => f.endsWith('.yaml')).sort() : [];
  return {
    politiques: fichiers.map((fichier) => {
      const contenu = readFileSync(new URL(fichier, POLITIQUES), 'utf8');
      const r = verifierPolitique(contenu, fichier);
      return { fichier, nom: r.ok ? r.politique.nom : fichier, description: r.ok ? (r.politique.description?.trim() ?? null) : null, contenu };
    }),
  };
}

/** The line of the `grille:` key, for a located message about the grid a policy names. */
function ligneDeLaGrille(texte: string): number | null {
  const i = texte.split('\n').findIndex((l) => /^grille\s*:/.test(l));
  return i < 0 ? null : i + 1;
}

/**
 * A policy as the API reads it: the text is checked like a file; a grid (ordre: cotation) must be one of the shipped
 * grids (grilles/*.yaml), named by its file name — the server reads no path a request gives.
 */
function lirePolitiqueTexte(texte: string, fichier: string): { ok: true; lue: PolitiqueLue } | { ok: false; problemes: Probleme[] } {
  const r = verifierPolitique(texte, fichier);
  if (!r.ok) return r;
  let grille: Grille | null = null;
  if (r.politique.grille !== undefined) {
    const nom = basename(r.politique.grille);
    const chemin = new URL(nom, GRILLES);
    const probleme = (message: string): Probleme => ({ fichier, ligne: ligneDeLaGrille(texte), colonne: null, chemin: 'grille', message });
    if (!/^[\p{L}\p{N}_.-]+\.ya?ml$/u.test(nom) || !existsSync(chemin)) {
      const livrees = readdirSync(fileURLToPath(GRILLES)).filter((f) => f.endsWith('.yaml')).sort();
      return { ok: false, problemes: [probleme(`grille « ${r.politique.grille} » inconnue : par l’application, une politique ne lit que les grilles livrées (${livrees.join(', ')})`)] };
    }
    const g = verifierGrilleEnvoyee(readFileSync(chemin, 'utf8'), nom);
    if (!g.ok) return { ok: false, problemes: [probleme(`la grille « ${nom} » est invalide : ${g.problemes.map((p) => p.message).join(' ; ')}`)] };
    grille = g.grille;
  }
  return { ok: true, lue: { id: basename(fichier, extname(fichier)), politique: r.politique, grille } };
}

export const routesSimulation = {
  politiques: operation('partenaire', {
    method: 'get',
    path: '/simulation/politiques',
    summary: 'Les politiques d’attribution livrées (politiques/*.yaml) : nom, description et texte YAML, pour les simuler ou partir de l’une d’elles',
    tags: ['Simulation'],
    responses: { 200: json(politiquesLivreesSchema), ...REFUS },
  }),
  verifier: operation('partenaire', {
    method: 'post',
    path: '/simulation/verifier',
    summary: 'Vérifie une politique d’attribution écrite en YAML : les problèmes localisés (ligne, colonne, chemin, message en français), sans rien lancer',
    tags: ['Simulation'],
    request: { body: corpsJsonRequis(corpsPolitiqueSchema) },
    responses: { 200: json(verificationPolitiqueSchema), 400: erreur('JSON illisible'), 422: erreur('Corps illisible'), ...REFUS },
  }),
  lancer: operation('partenaire', {
    method: 'post',
    path: '/simulations',
    summary:
      'Lance en arrière-plan la simulation d’une année sous une ou deux politiques (Monte-Carlo : tirages, graine) ; réservée à l’EPCI, à l’État et à ' +
      'l’administrateur (elle lit la demande de tout le territoire) ; une simulation en attente ou en cours par compte ; GET /api/simulations/{id} donne l’avancement et le résultat',
    tags: ['Simulation'],
    request: { body: corpsJsonRequis(demandeSimulationSchema) },
    responses: {
      202: json(travailSimulationSchema, 'Simulation lancée (en-tête Location)'),
      400: erreur('JSON illisible'),
      409: erreur('Une simulation de ce compte est déjà en attente ou en cours'),
      422: erreur('Demande illisible, politique inconnue ou invalide (problèmes localisés dans details)'),
      ...REFUS,
    },
  }),
  travail: operation('partenaire', {
    method: 'get',
    path: '/simulations/{id}',
    summary: 'Avancement (tirages faits sur le total) et, une fois prête, résultat d’une simulation ; seul le compte qui l’a lancée la voit',
    tags: ['Simulation'],
    request: { params: parametresSimulationSchema },
    responses: { 200: json(travailSimulationSchema), 404: erreur('Simulation inconnue, annulée ou expirée'), ...REFUS },
  }),
  annuler: operation('partenaire', {
    method: 'delete',
    path: '/simulations/{id}',
    summary: 'Annule une simulation en attente ou en cours (ses threads sont arrêtés), ou oublie une simulation terminée',
    tags: ['Simulation'],
    request: { params: parametresSimulationSchema },
    responses: { 200: json(travailSimulationSchema), 404: erreur('Simulation inconnue, annulée ou expirée'), ...REFUS },
  }),
} as const;

/** The CIA's territory targets beside the simulated rates (the difference lines and the other perimeters have none). */
function avecCibles(lignes: readonly Omit<LigneSimulationApi, 'cible'>[], config: CiaConfig, difference: string): LigneSimulationApi[] {
  const cibles = config.cibles as Readonly<Record<string, number | null | undefined>>;
  return lignes.map((l) => ({ ...l, cible: l.politique !== difference && l.perimetre_type === 'territoire' ? (cibles[l.indicateur] ?? null) : null }));
}

export function simulationRoutes(deps: Deps, travaux: TravauxSimulation) {
  const app = groupe();
  let livrees: PolitiquesLivrees | null = null;
  const lesLivrees = () => (livrees ??= politiquesLivrees());

  app.openapi(routesSimulation.politiques, (c) => c.json(lesLivrees(), 200));

  app.openapi(
    routesSimulation.verifier,
    (c) => {
      const { contenu, fichier } = c.req.valid('json');
      const r = lirePolitiqueTexte(contenu, fichier ?? 'politique.yaml');
      return c.json(r.ok ? { ok: true, problemes: [], nom: r.lue.politique.nom } : { ok: false, problemes: r.problemes.map(probleme), nom: null }, 200);
    },
    refus('politique à vérifier illisible'),
  );

  app.openapi(
    routesSimulation.lancer,
    async (c) => {
      const viewer = c.var.viewer;
      exigerPilote(viewer);
      const demande = c.req.valid('json');
      const lues: PolitiqueLue[] = demande.politiques.map((p, i) => {
        const lettre = i === 0 ? 'A' : 'B';
        if (p.livree !== undefined) {
          const livree = lesLivrees().politiques.find((l) => l.fichier === p.livree);
          if (!livree) {
            throw new ValidationError(`politique ${lettre} inconnue : « ${p.livree} »`, [
              { chemin: `politiques.${i}.livree`, message: `politiques livrées : ${lesLivrees().politiques.map((l) => l.fichier).join(', ')}` },
            ]);
          }
          const r = lirePolitiqueTexte(livree.contenu, livree.fichier);
          if (!r.ok) throw new ValidationError(`politique livrée « ${livree.fichier} » invalide`, r.problemes.map(probleme));
          return r.lue;
        }
        const fichier = p.fichier ?? (i === 0 ? 'politique-a.yaml' : 'politique-b.yaml');
        const r = lirePolitiqueTexte(p.contenu ?? '', fichier);
        if (!r.ok) throw new ValidationError(`politique ${lettre} « ${fichier} » invalide (${r.problemes.length} problème(s))`, r.problemes.map(probleme));
        return r.lue;
      });
      if (lues.length === 2 && lues[0]?.id === lues[1]?.id) {
        throw new ValidationError('les deux politiques comparées ont le même identifiant', [{ chemin: 'politiques.1.fichier', message: `renommez l’une d’elles (identifiant « ${lues[0]?.id} »)` }]);
      }
      const [a, b] = lues as [PolitiqueLue, PolitiqueLue?];
      const politiques = b ? ([a, b] as const) : ([a] as const);
      const { annee, tirages, graine } = demande;
      await deps.audit.ecrire(viewer, 'simulation', `Simulation ${annee}`, {
        annee,
        politiques: lues.map((l) => l.id),
        tirages,
        graine,
      });
      const travail = travaux.lancer(viewer, tirages * lues.length, async (progres, signal): Promise<ResultatSimulationApi> => {
        const config = await deps.lock.read(() => configurationCourante(deps.store));
        const r = await simuler(deps.store, { annee, politiques, tirages, graine, config, progres, signal, lecture: (travail) => deps.lock.read(travail) });
        return {
          annee: r.annee,
          annees_calibration: r.anneesCalibration,
          tirages: r.tirages,
          graine: r.graine,
          politiques: lues.map((l) => ({ id: l.id, nom: l.politique.nom })),
          lignes: avecCibles(r.lignes, config, ID_DIFFERENCE),
        };
      });
      c.header('location', `/api/simulations/${travail.id}`);
      return c.json(travail, 202);
    },
    refus('demande de simulation illisible'),
  );

  app.openapi(routesSimulation.travail, (c) => c.json(travaux.etat(c.var.viewer, c.req.valid('param').id), 200));

  app.openapi(routesSimulation.annuler, async (c) => {
    const viewer = c.var.viewer;
    const travail = travaux.annuler(viewer, c.req.valid('param').id);
    if (travail.etat === 'annule' || travail.etat === 'en_cours') await deps.audit.ecrire(viewer, 'simulation', 'Simulation annulée', { id: travail.id });
    return c.json(travail, 200);
  });

  return app;
}

const probleme = (p: Probleme) => ({ fichier: p.fichier ?? '', ligne: p.ligne ?? null, colonne: typeof p.colonne === 'number' ? p.colonne : null, chemin: p.chemin ?? '', message: p.message });
