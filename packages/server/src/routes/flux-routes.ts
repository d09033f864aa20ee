import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flux, FluxBailleur } from '@mixite/contract';
import { TYPES_MIME, fluxSchema, requeteBilanFluxSchema, requeteFluxSchema } from '@mixite/contract';
import { bilanFluxCsv, enRetard } from '@mixite/core';
import { formatEntier, formatNombre, formatTaux } from '@mixite/core/francais';
import type { FluxDuBailleur, FluxResultat, Store } from '@mixite/data';
import { bilanFlux, calculerFlux, configurationCourante } from '@mixite/data';
import { ecrireBilansFlux } from '@mixite/reports';
import type { Deps } from '../http/deps.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { REFUS, erreur, fichier, groupe, json, operation } from './operation.ts';

/**
 * Gestion en flux (issue 13; docs/flux.md). Aggregates of leases per bailleur and réservataire, no household row:
 * every partner account, narrowed to what concerns it — a bailleur account its own flux and bilan (another
 * bailleur: 403), a réservataire its lines at every bailleur, a commune the lines of its communal réservataires
 * (reservataires.csv, type commune, its INSEE code); the EPCI, the State and the administrator everything. The public
 * (`lecteur`) has no access: per-réservataire counts at one bailleur are small cells, and the flux is a matter
 * between the bailleur and its réservataires.
 */
export const routesFlux = {
  flux: operation('partenaire', {
    method: 'get',
    path: '/flux',
    summary:
      'Le flux de l’année de chaque bailleur visible : prévision et méthode, réalisé, exclusions, droits, orientations et soldes des réservataires, ' +
      'par typologie, QPV et financement, courbe mensuelle, alertes. Un compte bailleur lit le sien, un réservataire ses lignes chez chaque bailleur.',
    tags: ['Flux'],
    request: { query: requeteFluxSchema },
    responses: { 200: json(fluxSchema), 400: erreur('Paramètre invalide'), 404: erreur('Bailleur inconnu'), ...REFUS },
  }),
  bilan: operation('partenaire', {
    method: 'get',
    path: '/flux/bilan',
    summary:
      'Le bilan R441-5-1 d’un bailleur (logements proposés et attribués par réservataire, typologie, financement, QPV, commune, période de construction) ' +
      'en CSV, Excel ou Word, édition complète ; un réservataire n’y lit que ses propres lignes',
    tags: ['Flux'],
    request: { query: requeteBilanFluxSchema },
    responses: {
      200: fichier('Le bilan', [TYPES_MIME.csv, TYPES_MIME.xlsx, TYPES_MIME.docx]),
      400: erreur('Paramètre invalide'),
      404: erreur('Bailleur inconnu'),
      ...REFUS,
    },
  }),
} as const;

/** What a viewer may read of the flux: some bailleurs (null: all) and, within them, some réservataires (null: all). */
interface PorteeFlux {
  readonly bailleur: string | null;
  readonly reservataires: readonly string[] | null;
}

async function porteeFlux(store: Store, viewer: Viewer, bailleurDemande: string | undefined): Promise<PorteeFlux> {
  switch (viewer.role) {
    case 'bailleur':
      if (bailleurDemande !== undefined && bailleurDemande !== viewer.perimetre) throw new ForbiddenError('un compte bailleur ne lit que son propre flux');
      return { bailleur: viewer.perimetre ?? '', reservataires: null };
    case 'reservataire':
      return { bailleur: bailleurDemande ?? null, reservataires: [viewer.perimetre ?? ''] };
    case 'commune': {
      const rows = await store.all<{ id: string }>(`SELECT id FROM reservataires WHERE type = 'commune' AND code_insee = $1`, [viewer.perimetre ?? '']);
      return { bailleur: bailleurDemande ?? null, reservataires: rows.map((r) => r.id) };
    }
    default:
      return { bailleur: bailleurDemande ?? null, reservataires: null };
  }
}

/** Fraction of year N elapsed at `maintenant` (1 for a past year, 0 for a future one). */
function fractionDeLAnnee(annee: number, maintenant: number): { fraction: number; date: string } {
  const debut = Date.UTC(annee, 0, 1);
  const fin = Date.UTC(annee + 1, 0, 1);
  const t = Math.min(Math.max(maintenant, debut), fin);
  return { fraction: (t - debut) / (fin - debut), date: new Date(Math.min(t, fin - 86_400_000)).toISOString().slice(0, 10) };
}

function versContrat(b: FluxDuBailleur, r: FluxResultat, reservataires: readonly string[] | null, fraction: number, ciblePrioritaires: number | null): FluxBailleur {
  const garde = (id: string) => reservataires === null || reservataires.includes(id);
  const nom = (id: string) => (id.startsWith('non_reserve:') ? 'Part propre du bailleur (non réservé)' : (r.reservataires[id]?.nom ?? id));
  const droits = b.droits.filter((l) => garde(l.reservataireId));
  const alertes: { niveau: 'attention' | 'information'; message: string }[] = [];
  for (const l of droits) {
    if (l.reservataireId.startsWith('non_reserve:') || !enRetard(l, fraction)) continue;
    alertes.push({
      niveau: 'attention',
      message: `${nom(l.reservataireId)} : ${formatEntier(l.orientations)} orientation(s) pour un prorata de ${formatNombre(l.droitsPrevisionnels * fraction)} logement(s) à date (droits prévisionnels de l’année ${formatNombre(l.droitsPrevisionnels)})`,
    });
  }
  for (const l of droits) {
    if (l.solde <= -1 && !l.reservataireId.startsWith('non_reserve:')) {
      alertes.push({ niveau: 'attention', message: `${nom(l.reservataireId)} : le bailleur lui doit ${formatNombre(-l.solde)} logement(s) (solde reporté compris)` });
    }
  }
  if (ciblePrioritaires !== null && reservataires === null && b.realise > 0) {
    const etat = b.droits.filter((l) => r.reservataires[l.reservataireId]?.type === 'etat_prioritaires').reduce((s, l) => s + l.orientations, 0);
    if (etat / b.realise < ciblePrioritaires) {
      alertes.push({
        niveau: 'information',
        message: `Le contingent préfectoral reçoit ${formatTaux(etat / b.realise)} du flux, sous la cible « prioritaires » de la CIA (${formatTaux(ciblePrioritaires)}) : les autres contingents doivent loger des ménages prioritaires pour la tenir`,
      });
    }
  }
  return {
    bailleur_id: b.bailleurId,
    bailleur_nom: b.nom,
    prevision: b.prevision.valeur,
    methode: b.prevision.methode,
    realise: b.realise,
    baux: b.baux,
    exclus: { ...b.exclus },
    droits: droits.map((l) => ({
      reservataire_id: l.reservataireId,
      reservataire_nom: nom(l.reservataireId),
      part: l.part,
      droits_previsionnels: l.droitsPrevisionnels,
      droits: l.droits,
      orientations: l.orientations,
      report: l.report,
      solde: l.solde,
      en_retard: !l.reservataireId.startsWith('non_reserve:') && enRetard(l, fraction),
    })),
    par_dimension: b.parDimension
      .filter((d) => garde(d.reservataireId))
      .map((d) => ({ reservataire_id: d.reservataireId, dimension: d.dimension, modalite: d.modalite, flux: d.flux, droits: d.droits, orientations: d.orientations })),
    mensuel: b.mensuel.filter((m) => garde(m.reservataireId)).map((m) => ({ reservataire_id: m.reservataireId, mois: m.mois, orientations: m.orientations })),
    alertes,
  };
}

export function fluxRoutes(deps: Deps) {
  const app = groupe();

  const bailleurExiste = async (id: string | null) => {
    if (id === null) return;
    const [row] = await deps.store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM bailleurs WHERE id = $1`, [id]);
    if (!row || row.n === 0) throw new NotFoundError(`bailleur inconnu : ${id}`);
  };

  app.openapi(routesFlux.flux, async (c) => {
    const { annee, bailleur } = c.req.valid('query');
    const viewer = c.var.viewer;
    // The engine writes a temporary table on the store's single connection: alone, like a write.
    const reponse: Flux = await deps.lock.write(async () => {
      const portee = await porteeFlux(deps.store, viewer, bailleur);
      await bailleurExiste(portee.bailleur);
      const config = await configurationCourante(deps.store);
      const resultat = await calculerFlux(deps.store, { annee, bailleur: portee.bailleur, config });
      const { fraction, date } = fractionDeLAnnee(annee, deps.regles.maintenant());
      const disponibles = await deps.store.all<{ id: string; nom: string }>(`SELECT id, nom FROM bailleurs WHERE $1::VARCHAR IS NULL OR id = $1 ORDER BY id`, [
        viewer.role === 'bailleur' ? portee.bailleur : null,
      ]);
      const visibles = resultat.bailleurs.filter((b) => portee.reservataires === null || b.droits.some((l) => portee.reservataires?.includes(l.reservataireId)));
      return {
        annee,
        date_reference: date,
        fraction_annee: fraction,
        bailleurs_disponibles: disponibles,
        bailleurs: visibles.map((b) => versContrat(b, resultat, portee.reservataires, fraction, config.cibles.prioritaires ?? null)),
      };
    });
    return c.json(reponse, 200);
  });

  app.openapi(routesFlux.bilan, async (c) => {
    const { annee, bailleur, format } = c.req.valid('query');
    const viewer = c.var.viewer;
    const nom = `bilan-flux-${annee}-${bailleur.replace(/[^A-Za-z0-9_-]/g, '_')}.${format}`;
    const contenu = await deps.lock.read(async () => {
      const portee = await porteeFlux(deps.store, viewer, bailleur);
      await bailleurExiste(bailleur);
      if (format === 'csv') {
        const lignes = await bilanFlux(deps.store, { annee, bailleur });
        return Buffer.from(bilanFluxCsv(portee.reservataires === null ? lignes : lignes.filter((l) => portee.reservataires?.includes(l.reservataire_id))), 'utf8');
      }
      const dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-flux-'));
      try {
        const [chemin] = await ecrireBilansFlux(deps.store, { annee, bailleur, format, dossier: dir, reservataires: portee.reservataires });
        // Nothing for this viewer at this bailleur: an empty workbook or document would pass for a bilan of zeros.
        if (!chemin) throw new NotFoundError(`aucune ligne du bilan ${annee} de ce bailleur ne vous concerne`);
        return readFileSync(chemin);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    return new Response(new Uint8Array(contenu), {
      headers: { 'content-type': TYPES_MIME[format], 'content-disposition': `attachment; filename="${nom}"`, 'cache-control': 'no-store' },
    });
  });

  return app;
}
