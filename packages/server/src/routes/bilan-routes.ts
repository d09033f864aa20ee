import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Edition } from '@mixite/core';
import type { SimulationBilan } from '@mixite/reports';
import { nomFichierBilan, produireBilan, simulationBilanDe } from '@mixite/reports';
import type { FORMATS_BILAN } from '@mixite/contract';
import { TYPES_MIME, parametresBilanSchema, requeteBilanSchema } from '@mixite/contract';
import { LIBELLES_ROLE, autorise } from '../auth/roles.ts';
import type { Deps } from '../http/deps.ts';
import { ConflictError, ForbiddenError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { versionDesDonnees as versionDesDonneesDuStore } from '../repositories/etat-donnees-repository.ts';
import type { TravauxSimulation } from '../services/travaux-simulation.ts';
import { REFUS, erreur, fichier, groupe, operation } from './operation.ts';

type Format = (typeof FORMATS_BILAN)[number];

/** The three files of one year's bilan, kept until the data or the settings change (the bilan takes seconds to produce). */
interface Produit {
  readonly version: string;
  readonly fichiers: Readonly<Record<Format, Buffer>>;
}

/**
 * GET /api/bilan/{annee}/{format}?edition=: the annual bilan of the CIA for the CIL (issues 5 and 12), as Word, PDF or
 * Excel, produced by @mixite/reports. Two editions: `public` (default; statistical secrecy over everything the files
 * publish together), open to every account, the `lecteur` included; `partenaires` (unmasked, marked « Diffusion
 * restreinte aux membres de la CIL »), for the partner accounts only — aggregates are shared among the members of the
 * CIL (docs/security.md), so a bailleur, réservataire or commune account gets it too; a `lecteur` asking for it gets 403.
 * `?simulation=ID` (issue 16) adds the annex « Simulation des politiques d’attribution » from a finished simulation of
 * the asking account (page Simulation); another account's job answers 404 like an unknown one (services/
 * travaux-simulation.ts). The annex prints territory rates only — model outputs, no household counts — so it goes in
 * either edition. Such a bilan is produced for that request and not kept: the kept files are those without annex.
 */
export const routesBilan = {
  bilan: operation('session', {
    method: 'get',
    path: '/bilan/{annee}/{format}',
    summary:
      'Le bilan annuel de la CIA pour la CIL (Word, PDF ou Excel), édition publique (secret statistique) ou partenaires (comptes partenaires seulement) ; produit à la demande puis gardé jusqu’au prochain import ou changement de paramètres',
    tags: ['Bilan'],
    request: { params: parametresBilanSchema, query: requeteBilanSchema },
    responses: {
      200: fichier('Le fichier du bilan', [TYPES_MIME.pdf, TYPES_MIME.docx, TYPES_MIME.xlsx]),
      400: erreur('Année, format, édition ou simulation invalide'),
      404: erreur('Simulation inconnue, d’un autre compte ou expirée (une heure après sa fin)'),
      409: erreur('Simulation pas encore terminée, annulée ou en échec'),
      503: erreur('Moteur de mise en page absent pour cette machine (npm install) : le bilan ne peut pas être produit'),
      ...REFUS,
    },
  }),
} as const;

export function bilanRoutes(deps: Deps, simulations: TravauxSimulation) {
  const app = groupe();
  const produits = new Map<string, Promise<Produit>>();

  /** What the bilan depends on: the last import and the last settings. */
  const versionDesDonnees = () => versionDesDonneesDuStore(deps.store);

  const produire = async (annee: number, edition: Edition, simulation: SimulationBilan | null = null): Promise<Produit> => {
    const dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-'));
    try {
      // The bilan runs the engine on the store's single connection (temporary tables): alone, like a write.
      return await deps.lock.write(async () => {
        const version = await versionDesDonnees();
        const chemins = await produireBilan(deps.store, { annee, out: dir, edition, simulation });
        return { version, fichiers: { docx: readFileSync(chemins.docx), pdf: readFileSync(chemins.pdf), xlsx: readFileSync(chemins.xlsx) } };
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  /** The finished simulation of this account named by `id`, as the annex reads it. */
  const annexe = (viewer: Viewer, id: string): SimulationBilan => {
    const travail = simulations.etat(viewer, id);
    if (travail.etat !== 'pret' || !travail.resultat)
      throw new ConflictError(`la simulation n’est pas terminée (état : ${travail.etat.replace('_', ' ')}) : attendez sa fin pour l’annexer au bilan`);
    const simulation = simulationBilanDe(travail.resultat);
    // The API's result is the annex's input by construction (contract/simulation.ts); a mismatch is our bug, not the user's.
    if (!simulation) throw new Error('résultat de simulation non reconnu par l’annexe du bilan');
    return simulation;
  };

  /** The kept files of a year and edition, produced again when the data or the settings changed. */
  const produitGarde = async (annee: number, edition: Edition): Promise<Produit> => {
    const cle = `${annee}:${edition}`;
    let produit = produits.get(cle);
    if (produit && (await produit.catch(() => null))?.version !== (await deps.lock.read(versionDesDonnees))) produit = undefined;
    if (!produit) {
      produit = produire(annee, edition);
      produits.set(cle, produit);
      produit.catch(() => produits.delete(cle));
    }
    return produit;
  };

  app.openapi(routesBilan.bilan, async (c) => {
    const { annee, format } = c.req.valid('param');
    const { edition, simulation } = c.req.valid('query');
    const viewer = c.var.viewer;
    if (edition === 'partenaires' && !autorise(viewer.role, 'partenaire'))
      throw new ForbiddenError(`l’édition partenaires du bilan est réservée aux membres de la CIL (comptes partenaires) ; le rôle « ${LIBELLES_ROLE[viewer.role]} » reçoit l’édition publique`);
    // A renderer with no native binary for this machine is an OutilAbsentError coded `rendu_absent`: a 503 (http/errors.ts).
    const { fichiers } = await (simulation ? produire(annee, edition, annexe(viewer, simulation)) : produitGarde(annee, edition));
    const body = fichiers[format];
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': TYPES_MIME[format],
        'content-disposition': `attachment; filename="${simulation ? nomFichierBilan(annee, edition, format).replace(/\.(\w+)$/, '-avec-simulation.$1') : nomFichierBilan(annee, edition, format)}"`,
        'cache-control': 'no-store',
      },
    });
  });
  return app;
}
