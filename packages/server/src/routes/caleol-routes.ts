import { readFileSync } from 'node:fs';
import type { DecisionsCaleol, ListeCaleol, LogementsCaleol } from '@mixite/contract';
import {
  TYPES_MIME,
  decisionsCaleolSchema,
  listeCaleolSchema,
  logementsCaleolSchema,
  parametreDecisionSchema,
  requeteDecisionsCaleolSchema,
  requeteOrdreDuJourSchema,
  requeteFiltreDecisionsSchema,
  requeteListeCaleolSchema,
  requeteLogementsCaleolSchema,
  requeteReponseCaleolSchema,
} from '@mixite/contract';
import type { EcartContingent, Grille, IndicatorRow } from '@mixite/core';
import { CRITERES_ELIGIBILITE, InterditError, ecartDuContingent, verifierGrilleEnvoyee } from '@mixite/core';
import type { DecisionEnregistree, FiltreDecisions, ResultatListe, Store } from '@mixite/data';
import { classeResidence, configurationCourante, decisionsEnregistrees, enregistrerDecisions, enregistrerReponse, listeCaleol, ordreDuJour, sql, verifierLogementsOrdreDuJour } from '@mixite/data';
import { TYPES_ORDRE_DU_JOUR, documentOrdreDuJour, ecrireOrdreDuJour, nomFichierOrdreDuJour } from '@mixite/reports';
import { pseudonymiser } from '../auth/pseudonymes.ts';
import { NUR_EN_CLAIR } from '../auth/roles.ts';
import type { Deps } from '../http/deps.ts';
import { ValidationError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { identite } from '../http/viewer.ts';
import { labelOf } from '../repositories/territoire-repository.ts';
import { GRILLE_PAR_DEFAUT } from './cotation-routes.ts';
import { REFUS, corpsJsonRequis, erreur, fichier, groupe, json, operation } from './operation.ts';

/**
 * The CALEOL's table (issue 15, docs/caleol.md). Who sees what (docs/security.md):
 * - the lists and the dwellings (`menages`: household-level rows, each consultation audited): the EPCI, the State
 *   and the administrator for every dwelling; a bailleur for its own dwellings (it runs the commission); a
 *   réservataire for the dwellings of its contingent (it designates candidates to them); a commune for the dwellings
 *   on its territory (its mayor sits in the commission), with pseudonymised NUR; the public reader never;
 * - recording a decision and the household's answer: the bailleur of the dwelling (its commission decides), and the
 *   EPCI's accounts (admin, epci) that operate Mixité; the State, the réservataires and the communes read only.
 *   Every decision and answer is written to the audit log (without NUR).
 */

const DECIDEURS = new Set(['admin', 'epci', 'bailleur']);

export const routesCaleol = {
  liste: operation('menages', {
    method: 'post',
    path: '/caleol/liste',
    summary:
      'Liste des candidats d’un logement vacant pour la CALEOL : demandes éligibles classées par la note de la grille, effets de chacun sur les objectifs, ' +
      'règles de la CIA (premier quartile hors QPV, prioritaire sur le contingent de l’État) avec remplacement, écart du contingent ; logements du périmètre du compte',
    tags: ['CALEOL'],
    request: { body: corpsJsonRequis(requeteListeCaleolSchema) },
    responses: {
      200: json(listeCaleolSchema),
      400: erreur('Date invalide ou antérieure aux données, nombre de candidats invalide'),
      404: erreur('Logement inconnu'),
      422: erreur('Grille invalide : les problèmes localisés sont dans details'),
      ...REFUS,
    },
  }),
  logements: operation('menages', {
    method: 'get',
    path: '/caleol/logements',
    summary: 'Logements que le compte peut préparer en CALEOL (son périmètre), 200 au plus, filtrés par le début de l’identifiant ou le code INSEE',
    tags: ['CALEOL'],
    request: { query: requeteLogementsCaleolSchema },
    responses: { 200: json(logementsCaleolSchema), ...REFUS },
  }),
  decisions: operation('menages', {
    method: 'get',
    path: '/caleol/decisions',
    summary: 'Décisions de CALEOL enregistrées dans Mixité, sur les logements du périmètre du compte',
    tags: ['CALEOL'],
    request: { query: requeteFiltreDecisionsSchema },
    responses: { 200: json(decisionsCaleolSchema), ...REFUS },
  }),
  enregistrer: operation('menages', {
    method: 'post',
    path: '/caleol/decisions',
    summary:
      'Enregistre les décisions d’une commission sur un logement (attribution classée, sous condition suspensive, non-attribution, irrecevabilité, motifs) : ' +
      'chacune devient une ligne d’attributions, les indicateurs suivent sans réimport ; tout ou rien, journalisé. Bailleur du logement, EPCI, administrateur',
    tags: ['CALEOL'],
    request: { body: corpsJsonRequis(requeteDecisionsCaleolSchema) },
    responses: {
      200: json(decisionsCaleolSchema),
      400: erreur('Décision refusée : demande non active à la date, inconnue, non motivée, rangs en double… rien n’est enregistré'),
      404: erreur('Logement inconnu'),
      409: erreur('Identifiant d’attribution déjà pris'),
      422: erreur('Champs refusés : details les liste'),
      ...REFUS,
    },
  }),
  reponse: operation('menages', {
    method: 'post',
    path: '/caleol/decisions/{id}/reponse',
    summary: 'Réponse du ménage à une proposition enregistrée : bail signé (et sa date) ou refus (et son motif) ; un refus passe la main au rang suivant',
    tags: ['CALEOL'],
    request: { params: parametreDecisionSchema, body: corpsJsonRequis(requeteReponseCaleolSchema) },
    responses: {
      200: json(decisionsCaleolSchema),
      400: erreur('Date de bail absente ou hors délai, motif de refus absent'),
      404: erreur('Décision inconnue'),
      409: erreur('La décision n’attend pas de réponse'),
      422: erreur('Champs refusés : details les liste'),
      ...REFUS,
    },
  }),
  ordreDuJour: operation('menages', {
    method: 'post',
    path: '/caleol/ordre-du-jour',
    summary:
      'Ordre du jour d’une commission (Word, PDF ou Excel) : pour la date et les logements donnés, la liste des candidats de chacun (comme POST /caleol/liste), ' +
      'la fragilité de sa résidence, son contingent et les règles de la CIA ; logements du périmètre du compte, NUR pseudonymisés pour les rôles qui ne lisent que des pseudonymes ; journalisé',
    tags: ['CALEOL'],
    request: { body: corpsJsonRequis(requeteOrdreDuJourSchema) },
    responses: {
      200: fichier('L’ordre du jour', [TYPES_MIME.docx, TYPES_MIME.pdf, TYPES_MIME.xlsx]),
      400: erreur('Date invalide ou antérieure aux données, logement inscrit deux fois, nombre de candidats invalide'),
      404: erreur('Logement inconnu'),
      422: erreur('Grille invalide ou champs refusés : details les liste'),
      ...REFUS,
    },
  }),
} as const;

/** The viewer's own dwellings as a SQL condition on logements (alias l). */
function filtreLogements(viewer: Viewer) {
  const p = viewer.portee;
  switch (p.kind) {
    case 'territoire':
      return sql`TRUE`;
    case 'bailleur':
      return sql`l.bailleur_id = ${p.id}`;
    case 'reservataire':
      return sql`l.contingent = ${p.id}`;
    case 'commune':
      return sql`l.code_insee = ${p.id}`;
    case 'aucune':
      return sql`FALSE`;
  }
}

/** Refuses a dwelling outside the viewer's perimeter (an unknown one is the list's own 404). */
async function exigerLogement(store: Store, viewer: Viewer, id: string): Promise<void> {
  // One read of the dwelling (a scan of logements at a region's scale: 1.25 million rows), the perimeter with it.
  const [vu] = await store.all<{ ok: boolean | null }>(sql`SELECT ${filtreLogements(viewer)} AS ok FROM logements l WHERE l.id = ${id}`);
  if (!vu) return;
  if (!vu.ok) throw new InterditError(`le logement « ${id} » n’est pas dans votre périmètre (${viewer.portee.kind}) : vous ne préparez que les commissions de vos logements`);
}

function exigerDecideur(viewer: Viewer): void {
  if (!DECIDEURS.has(viewer.role)) {
    throw new InterditError('seuls le bailleur du logement (sa commission décide) et l’EPCI enregistrent une décision de CALEOL ; votre rôle la consulte');
  }
}

function grilleDe(texte: string | undefined, fichier: string | undefined): Grille {
  const contenu = texte ?? readFileSync(GRILLE_PAR_DEFAUT, 'utf8');
  const r = verifierGrilleEnvoyee(contenu, fichier ?? 'equilibre-cia.yaml');
  if (!r.ok) throw new ValidationError(`grille de cotation invalide (${r.problemes.length} problème(s))`, r.problemes);
  return r.grille;
}

export function caleolRoutes(deps: Deps) {
  const app = groupe();

  const nur = async (viewer: Viewer) => {
    const cle = NUR_EN_CLAIR[viewer.role] ? null : await deps.clePseudonymes();
    return (n: string) => (cle === null ? n : pseudonymiser(cle, n));
  };

  app.openapi(routesCaleol.liste, async (c) => {
    const corps = c.req.valid('json');
    const viewer = c.var.viewer;
    const grille = grilleDe(corps.grille, corps.fichier);
    // Everything read from the store in one shared section (the settings once), the labels with it.
    const { r, classe, labels } = await deps.lock.read(async () => {
      await exigerLogement(deps.store, viewer, corps.logement_id);
      const config = await configurationCourante(deps.store);
      const r: ResultatListe = await listeCaleol(deps.store, {
        logement: corps.logement_id,
        grille,
        config,
        ...(corps.date === undefined ? {} : { date: corps.date }),
        ...(corps.nombre === undefined ? {} : { nombre: corps.nombre }),
        // The server prepares many lists on one store: the pool of the date and grid is built once (vivier.ts).
        vivier: true,
      });
      const classe = r.logement.residence_id === null ? null : await classeResidence(deps.store, r.logement.residence_id, Number(r.date.slice(0, 4)), config);
      return { r, classe, labels: await deps.territoire.labels(viewer) };
    });
    const annee = Number(r.date.slice(0, 4));
    const lignes = await deps.indicateurs.rows(viewer, { annee, perimetre_type: 'contingent', perimetre_id: r.logement.contingent, indicateur: 'prioritaires', periodes: [String(annee)] });
    const ecart = ecartDuContingent(lignes as unknown as IndicatorRow[], r.logement.contingent, annee);
    const versNur = await nur(viewer);
    const reponse: ListeCaleol = {
      date: r.date,
      logement: {
        id: r.logement.id,
        bailleur_id: r.logement.bailleur_id,
        bailleur: labelOf(labels, 'bailleur', r.logement.bailleur_id),
        code_insee: r.logement.code_insee,
        commune: labelOf(labels, 'commune', r.logement.code_insee),
        code_qpv: r.logement.code_qpv,
        en_qpv: r.logement.en_qpv,
        nb_pieces: r.logement.nb_pieces,
        financement: r.logement.financement,
        loyer: r.logement.loyer,
        charges: r.logement.charges,
        pmr: r.logement.pmr,
        contingent: r.logement.contingent,
        type_contingent: r.logement.type_contingent,
        zone_plafonds: r.logement.zone_plafonds,
        classe_residence: classe,
      },
      grille: { nom: r.grille.nom, version: r.grille.version },
      seuil_q1: r.seuil_q1,
      bareme_apl: r.bareme_apl,
      taux_effort_maximum: r.parametres.taux_effort_maximum,
      examinees: r.liste.examinees,
      eligibles: r.liste.eligibles,
      lues: r.lues,
      candidats: r.liste.candidats.map((x) => ({
        rang: x.rang,
        rang_classement: x.rang_classement,
        nur: versNur(x.demande.nur),
        note: x.demande.note,
        date_depot: x.demande.date_depot,
        q1: x.examen.q1,
        prioritaire: x.demande.dalo || x.demande.prioritaire,
        mutation: x.demande.mutation,
        relogement: x.demande.relogement_anru,
        travailleur_essentiel: x.demande.travailleur_essentiel,
        effets: x.effets,
        taux_effort: x.examen.taux_effort === null ? null : Math.round(x.examen.taux_effort * 10_000) / 10_000,
        apl: x.examen.apl,
        charges_estimees: x.examen.charges_estimees,
        plafond: x.examen.plafond?.montant ?? null,
        ressources_approximees: x.examen.ressources_approximees,
        non_verifie: x.examen.non_verifie,
        ajoute_par: x.ajoute_par,
      })),
      // The NUR of a replacement are pseudonymised like the candidates'.
      regles: r.liste.regles.map((x) => ({
        ...x,
        remplacements: x.remplacements.map((m) => ({ sort: versNur(m.sort), entre: versNur(m.entre) })),
        message: x.remplacements.reduce((t, m) => t.replaceAll(m.sort, versNur(m.sort)).replaceAll(m.entre, versNur(m.entre)), x.message),
      })),
      ecart_contingent: { ...ecart, contingent_libelle: labelOf(labels, 'contingent', r.logement.contingent) },
      criteres: CRITERES_ELIGIBILITE,
    };
    await deps.audit.ecrire(viewer, 'consultation_menages', `liste CALEOL du logement ${r.logement.id} au ${r.date}`, {
      candidats: reponse.candidats.length,
      perimetre: viewer.portee.kind,
    });
    return c.json(reponse, 200);
  });

  app.openapi(routesCaleol.logements, async (c) => {
    const { recherche } = c.req.valid('query');
    const viewer = c.var.viewer;
    const filtre = recherche ? sql`(starts_with(l.id, ${recherche}) OR l.code_insee = ${recherche})` : sql`TRUE`;
    const rows = await deps.lock.read(() =>
      deps.store.all<{ id: string; bailleur_id: string; code_insee: string; nb_pieces: number; en_qpv: boolean; contingent: string | null; loyer: number | null; total: number }>(sql`
        SELECT l.id, l.bailleur_id, l.code_insee, CAST(l.nb_pieces AS INTEGER) AS nb_pieces, l.code_qpv IS NOT NULL AS en_qpv, l.contingent,
          CAST(l.loyer AS DOUBLE) AS loyer, CAST(count(*) OVER () AS INTEGER) AS total
        FROM logements l WHERE ${filtreLogements(viewer)} AND ${filtre} ORDER BY l.id LIMIT 200`),
    );
    const labels = await deps.territoire.labels(viewer);
    const r: LogementsCaleol = {
      logements: rows.map((l) => ({
        id: l.id,
        bailleur: labelOf(labels, 'bailleur', l.bailleur_id),
        commune: labelOf(labels, 'commune', l.code_insee),
        nb_pieces: l.nb_pieces,
        en_qpv: l.en_qpv,
        contingent: l.contingent === null ? 'non réservé' : labelOf(labels, 'contingent', l.contingent),
        loyer: l.loyer,
      })),
      total: rows[0]?.total ?? 0,
    };
    return c.json(r, 200);
  });

  const filtreDecisions = (viewer: Viewer): FiltreDecisions | null => {
    const p = viewer.portee;
    switch (p.kind) {
      case 'territoire':
        return {};
      case 'bailleur':
        return { bailleur_id: p.id };
      case 'reservataire':
        return { contingent: p.id };
      case 'commune':
        return { code_insee: p.id };
      case 'aucune':
        return null;
    }
  };
  const versReponse = async (viewer: Viewer, ds: readonly DecisionEnregistree[]): Promise<DecisionsCaleol> => {
    const versNur = await nur(viewer);
    return { decisions: ds.map((d) => ({ ...d, nur: versNur(d.nur) })) };
  };

  app.openapi(routesCaleol.decisions, async (c) => {
    const { logement_id } = c.req.valid('query');
    const viewer = c.var.viewer;
    const f = filtreDecisions(viewer);
    const ds = f === null ? [] : await deps.lock.read(() => decisionsEnregistrees(deps.store, { ...f, ...(logement_id === undefined ? {} : { logement_id }) }));
    await deps.audit.ecrire(viewer, 'consultation_menages', 'décisions de CALEOL enregistrées', { lignes: ds.length, logement: logement_id ?? null });
    return c.json(await versReponse(viewer, ds), 200);
  });

  app.openapi(routesCaleol.enregistrer, async (c) => {
    const corps = c.req.valid('json');
    const viewer = c.var.viewer;
    exigerDecideur(viewer);
    const ds = await deps.lock.write(async () => {
      await exigerLogement(deps.store, viewer, corps.logement_id);
      return enregistrerDecisions(
        deps.store,
        {
          logement_id: corps.logement_id,
          date_cal: corps.date_cal,
          auteur: identite(viewer),
          candidats: corps.candidats.map((x) => ({ nur: x.nur, decision: x.decision, rang: x.rang ?? null, motif: x.motif ?? null })),
        },
        new Date(deps.regles.maintenant()).toISOString().slice(0, 10),
      );
    });
    await deps.audit.ecrire(viewer, 'decision_caleol', `commission du ${corps.date_cal}, logement ${corps.logement_id}`, {
      decisions: ds.map((d) => ({ attribution: d.attribution_id, decision: d.decision, rang: d.rang })),
    });
    return c.json(await versReponse(viewer, ds), 200);
  });

  app.openapi(routesCaleol.reponse, async (c) => {
    const { id } = c.req.valid('param');
    const corps = c.req.valid('json');
    const viewer = c.var.viewer;
    exigerDecideur(viewer);
    const d = await deps.lock.write(async () => {
      const [avant] = await decisionsEnregistrees(deps.store, { attribution_id: id });
      if (avant) await exigerLogement(deps.store, viewer, avant.logement_id);
      return enregistrerReponse(deps.store, id, { issue: corps.issue, date_bail: corps.date_bail ?? null, motif_refus: corps.motif_refus ?? null }, identite(viewer));
    });
    await deps.audit.ecrire(viewer, 'decision_caleol', `réponse du ménage, ${id}`, { issue: d.issue, date_bail: d.date_bail, motif_refus: d.motif_refus });
    return c.json(await versReponse(viewer, [d]), 200);
  });

  app.openapi(routesCaleol.ordreDuJour, async (c) => {
    const corps = c.req.valid('json');
    const viewer = c.var.viewer;
    const grille = grilleDe(corps.grille, corps.fichier);
    verifierLogementsOrdreDuJour(corps.logements);
    const odj = await deps.lock.read(async () => {
      // Every dwelling in the viewer's perimeter before any list is made: all or nothing.
      for (const id of corps.logements) await exigerLogement(deps.store, viewer, id);
      // The pool of the date and grid (vivier.ts): the requests are scored once for every dwelling of the agenda.
      return ordreDuJour(deps.store, { date: corps.date, logements: corps.logements, grille, vivier: true, ...(corps.nombre === undefined ? {} : { nombre: corps.nombre }) });
    });
    // Each contingent's gap once, from the indicators the viewer may see (as the one-dwelling list does).
    const annee = Number(odj.date.slice(0, 4));
    const ecarts = new Map<string, EcartContingent>();
    for (const contingent of new Set(odj.points.map((x) => x.liste.logement.contingent))) {
      const lignes = await deps.indicateurs.rows(viewer, { annee, perimetre_type: 'contingent', perimetre_id: contingent, indicateur: 'prioritaires', periodes: [String(annee)] });
      ecarts.set(contingent, ecartDuContingent(lignes as unknown as IndicatorRow[], contingent, annee));
    }
    const labels = await deps.territoire.labels(viewer);
    const territoire = await deps.lock.read(() => deps.territoire.territoire(viewer));
    const p = viewer.portee;
    const doc = documentOrdreDuJour(odj, {
      emetteur: p.kind === 'bailleur' ? labelOf(labels, 'bailleur', p.id) : territoire.nom,
      libelle: (kind, id) => labelOf(labels, kind, id),
      nur: await nur(viewer),
      pseudonymise: !NUR_EN_CLAIR[viewer.role],
    }, ecarts);
    const contenu = await ecrireOrdreDuJour(doc, corps.format, new Date(deps.regles.maintenant()));
    await deps.audit.ecrire(viewer, 'consultation_menages', `ordre du jour CALEOL du ${odj.date} (${corps.format})`, {
      logements: corps.logements,
      candidats: doc.logements.reduce((n, l) => n + l.candidats.length, 0),
      perimetre: p.kind,
    });
    return new Response(new Uint8Array(contenu), {
      headers: {
        'content-type': TYPES_ORDRE_DU_JOUR[corps.format],
        'content-disposition': `attachment; filename="${nomFichierOrdreDuJour(odj.date, corps.format)}"`,
        'cache-control': 'no-store',
      },
    });
  });

  return app;
}
