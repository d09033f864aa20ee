import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Flux, FluxBailleur } from '@mixite/contract';
import { TYPES_MIME, conventionsSchema, fluxSchema, partConventionSchema, rapportImportSchema, requeteBilanFluxSchema, requeteConventionsSchema, requeteFluxSchema } from '@mixite/contract';
import { MODALITES_EQUILIBRE, bilanFluxCsv, enRetard } from '@mixite/core';
import { formatEntier, formatNombre, formatTaux } from '@mixite/core/francais';
import type { FluxDuBailleur, FluxResultat, ImportReport, PorteeConventions, Store } from '@mixite/data';
import { bilanFlux, calculerFlux, configurationCourante, importerConventions, modifierPartConvention } from '@mixite/data';
import { ecrireBilansFlux } from '@mixite/reports';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, ForbiddenError, NotFoundError, PayloadTooLargeError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { limitesImport } from '../securite.ts';
import { REFUS, corpsJsonRequis, erreur, fichier, groupe, json, operation } from './operation.ts';

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
  conventions: operation('partenaire', {
    method: 'get',
    path: '/flux/conventions',
    summary:
      'Les conventions de réservation de l’année visibles par le compte (un bailleur les siennes, un réservataire les siennes chez chaque bailleur) ' +
      'et les bailleurs dont il peut les modifier (l’EPCI et l’administrateur : tous ; un compte bailleur : le sien)',
    tags: ['Flux'],
    request: { query: requeteConventionsSchema },
    responses: { 200: json(conventionsSchema), 400: erreur('Paramètre invalide'), ...REFUS },
  }),
  importerConventions: operation('partenaire', {
    method: 'post',
    path: '/flux/conventions',
    summary:
      'Importe un conventions.csv : il remplace les conventions des bailleurs et années qu’il nomme (un compte bailleur : les siennes seulement), ' +
      'avec les contrôles et les messages localisés de l’import, tout ou rien. EPCI, administrateur et bailleurs',
    tags: ['Flux'],
    // Multipart: read by the route itself, documented here (as POST /televersements).
    request: {
      body: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: { type: 'object', properties: { fichier: { type: 'string', format: 'binary', description: 'conventions.csv (CSV, séparateur point-virgule)' } }, required: ['fichier'] },
          },
        },
      },
    },
    responses: {
      200: json(rapportImportSchema, 'Conventions importées'),
      400: erreur('Pas un envoi multipart, ou aucun fichier'),
      413: erreur('Fichier trop volumineux'),
      422: json(rapportImportSchema, 'Import refusé : les conventions sont inchangées'),
      ...REFUS,
    },
  }),
  modifierConvention: operation('partenaire', {
    method: 'put',
    path: '/flux/conventions',
    summary:
      'Fixe la part d’une convention (la crée si besoin), contrôlée comme un import de conventions.csv (parts de l’année ≤ 100 %, identifiants connus). ' +
      'EPCI, administrateur et bailleurs (les leurs)',
    tags: ['Flux'],
    request: { body: corpsJsonRequis(partConventionSchema) },
    responses: {
      200: json(rapportImportSchema, 'Part enregistrée'),
      422: json(rapportImportSchema, 'Part refusée : les conventions sont inchangées'),
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
  const equilibre = b.equilibre.filter((l) => garde(l.reservataireId));
  for (const l of equilibre) {
    if (!l.sousLeMinimum || l.part === null) continue;
    alertes.push({
      niveau: 'attention',
      message: `${nom(l.reservataireId)} : ${formatTaux(l.part)} de ses orientations ${MODALITES_EQUILIBRE[l.colonne].libelle} (${formatEntier(l.dansLesModalites)} sur ${formatEntier(l.logements)}), sous le minimum de ${formatTaux(l.minimum)} fixé par sa convention`,
    });
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
    equilibre: equilibre.map((l) => ({
      reservataire_id: l.reservataireId,
      colonne: l.colonne,
      libelle: MODALITES_EQUILIBRE[l.colonne].libelle,
      minimum: l.minimum,
      orientations: l.logements,
      dans_les_modalites: l.dansLesModalites,
      part: l.part,
      sous_le_minimum: l.sousLeMinimum,
    })),
    alertes,
  };
}

/**
 * Whose conventions a viewer may change (docs/flux.md): the EPCI and the administrator every bailleur's, a bailleur
 * account its own. The State, réservataires and communes read theirs but do not sign them alone: 403.
 */
function porteeConventions(viewer: Viewer): PorteeConventions {
  switch (viewer.role) {
    case 'admin':
    case 'epci':
      return { kind: 'toutes' };
    case 'bailleur':
      return { kind: 'bailleur', id: viewer.perimetre ?? '' };
    default:
      throw new ForbiddenError('seuls l’EPCI, l’administrateur et les bailleurs (pour leurs propres conventions) modifient les conventions');
  }
}

/** A conventions file is a few hundred lines: anything larger is not one. */
const TAILLE_MAX_CONVENTIONS = 5 * 1024 * 1024;

export function fluxRoutes(deps: Deps) {
  const app = groupe();

  const journaliser = async (viewer: Viewer, objet: string, r: ImportReport, details: Record<string, unknown>) =>
    deps.audit.ecrire(viewer, 'conventions', objet, { ...details, statut: r.statut, erreurs: r.erreurs.length, avertissements: r.avertissements.length });

  app.openapi(routesFlux.conventions, async (c) => {
    const { annee } = c.req.valid('query');
    const viewer = c.var.viewer;
    const reponse = await deps.lock.read(async () => {
      const portee = await porteeFlux(deps.store, viewer, undefined);
      const lignes = await deps.store.all<{
        bailleur_id: string;
        bailleur_nom: string | null;
        reservataire_id: string;
        reservataire_nom: string | null;
        annee: number;
        part: number;
        part_qpv_min: number | null;
        part_hors_qpv_min: number | null;
        part_t1_t2_min: number | null;
        part_t4_plus_min: number | null;
      }>(
        `SELECT c.bailleur_id, b.nom AS bailleur_nom, c.reservataire_id, r.nom AS reservataire_nom, c.annee::INTEGER AS annee, c.part::DOUBLE AS part,
                c.part_qpv_min::DOUBLE AS part_qpv_min, c.part_hors_qpv_min::DOUBLE AS part_hors_qpv_min,
                c.part_t1_t2_min::DOUBLE AS part_t1_t2_min, c.part_t4_plus_min::DOUBLE AS part_t4_plus_min
         FROM conventions c LEFT JOIN bailleurs b ON b.id = c.bailleur_id LEFT JOIN reservataires r ON r.id = c.reservataire_id
         WHERE c.annee = $1 AND ($2::VARCHAR IS NULL OR c.bailleur_id = $2) ORDER BY c.bailleur_id, c.reservataire_id`,
        [annee, portee.bailleur],
      );
      const visibles = lignes.filter((l) => portee.reservataires === null || portee.reservataires.includes(l.reservataire_id));
      const modifiables = ['admin', 'epci'].includes(viewer.role)
        ? (await deps.store.all<{ id: string }>(`SELECT id FROM bailleurs ORDER BY id`)).map((b) => b.id)
        : viewer.role === 'bailleur' && viewer.perimetre
          ? [viewer.perimetre]
          : [];
      const reservataires = modifiables.length > 0 ? await deps.store.all<{ id: string; nom: string }>(`SELECT id, nom FROM reservataires ORDER BY id`) : [];
      return {
        annee,
        conventions: visibles.map((l) => ({ ...l, bailleur_nom: l.bailleur_nom ?? l.bailleur_id, reservataire_nom: l.reservataire_nom ?? l.reservataire_id })),
        bailleurs_modifiables: modifiables,
        reservataires,
      };
    });
    return c.json(reponse, 200);
  });

  app.openapi(routesFlux.importerConventions, async (c) => {
    const viewer = c.var.viewer;
    const portee = porteeConventions(viewer);
    const type = c.req.header('content-type') ?? '';
    if (!type.startsWith('multipart/form-data')) throw new BadRequestError('envoyez le fichier en multipart/form-data (champ « fichier »)');
    const corps = await c.req.parseBody();
    const envoi = corps['fichier'];
    if (!envoi || typeof envoi === 'string') throw new BadRequestError('aucun fichier reçu : joignez conventions.csv (champ « fichier »)');
    if (envoi.size > TAILLE_MAX_CONVENTIONS) throw new PayloadTooLargeError(`fichier de conventions trop volumineux (${Math.ceil(envoi.size / 1024)} Kio ; 5 Mio au plus)`);
    const nom = (envoi.name || 'conventions.csv').replace(/[\p{Cc}/\\]/gu, '_').slice(0, 200);
    // The upload is written in the server's private folder (mode 0700), under the canonical name the importer expects.
    const dossier = mkdtempSync(join(deps.uploads.dossier, 'conventions-'));
    try {
      const chemin = join(dossier, /\.csv$/i.test(nom) ? 'conventions.csv' : 'conventions.autre');
      writeFileSync(chemin, new Uint8Array(await envoi.arrayBuffer()), { mode: 0o600 });
      const rapport = await deps.lock.write(() =>
        // The importer knows a file's table by its name: the messages name conventions.csv, whatever the upload was called.
        importerConventions(deps.store, chemin, { portee, auteur: viewer.nom, nomAffiche: 'conventions.csv', limites: limitesImport(deps.regles), dossierTravail: dossier }),
      );
      await journaliser(viewer, `import de ${nom}`.slice(0, 400), rapport, { import: rapport.importId });
      return rapport.statut === 'reussi' ? c.json(rapport, 200) : c.json(rapport, 422);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

  app.openapi(routesFlux.modifierConvention, async (c) => {
    const viewer = c.var.viewer;
    const portee = porteeConventions(viewer);
    const p = c.req.valid('json');
    if (portee.kind === 'bailleur' && p.bailleur_id !== portee.id) throw new ForbiddenError('un compte bailleur ne modifie que ses propres conventions');
    const dossier = mkdtempSync(join(deps.uploads.dossier, 'convention-'));
    try {
      const rapport = await deps.lock.write(() => modifierPartConvention(deps.store, p, { portee, auteur: viewer.nom, dossierTravail: dossier }));
      await journaliser(viewer, `part ${p.bailleur_id} → ${p.reservataire_id} ${p.annee}`.slice(0, 400), rapport, { part: p.part });
      return rapport.statut === 'reussi' ? c.json(rapport, 200) : c.json(rapport, 422);
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  });

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
