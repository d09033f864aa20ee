import type { CiaConfig, DemandeSimulee, Grille, IndiceClasse, LogementSimule, PartFlux, TerritoireSimule } from '@mixite/core';
import { CATEGORIES_SIMULEES, CLASSES_SIMULEES, NON_RESERVE, NON_RESERVE_PREFIX, RequeteInvalideError, categorieDe, clePoids, quartileSql } from '@mixite/core';
import { materialiserCotation } from '../cotation/cotations.ts';
import { calculerIndicateurs, configurationCourante } from '../indicators/engine.ts';
import { limitesDesAnnees } from '../indicators/limites.ts';
import { contingentSql, logementAttributionSql, menageAttributionSql, propositionSql } from '../indicators/regles-sql.ts';
import { literal } from '../store/sql-types.ts';
import type { Store } from '../store/store.ts';

/**
 * Calibration of the simulation from the store (issue 16), in SQL: the state on 1 January of the simulated year and,
 * from the years before it (at most three), the yearly numbers of vacancies, new requests and radiations, the refusal
 * probabilities and the observed practice's selection weights. Quartiles, QPV membership and contingents come from
 * the indicator engine's rules (regles-sql.ts, quartileSql, limitesDesAnnees): a simulated household is Q1 exactly
 * when the indicators would count it so.
 */

export interface OptionsCalibration {
  readonly annee: number;
  /** The grid whose notes order the requests (a policy ordering by cotation); none: notes are 0. */
  readonly grille?: Grille | null;
  readonly config?: CiaConfig;
  /** Years the calibration reads (default: the three years before `annee` that have proposals). */
  readonly anneesCalibration?: number;
}

export interface Calibration {
  readonly territoire: TerritoireSimule;
  /** The years read for the flows, refusals and weights. */
  readonly annees: readonly number[];
  /** Observed values of the simulated year (same keys as the measures), empty when the year has no proposal. */
  readonly observes: Readonly<Record<string, number>>;
}

const ANNEES_PAR_DEFAUT = 3;
/** Below this many proposals, a contingent type's weights are those of its zone (too few to read a practice). */
const PROPOSITIONS_MIN_PAR_TYPE = 100;

const classeSql = (quartile: string) => `CASE ${quartile} WHEN 1 THEN 0 WHEN 2 THEN 1 WHEN 3 THEN 2 WHEN 4 THEN 2 ELSE 3 END`;

export async function calibrerSimulation(store: Store, options: OptionsCalibration): Promise<Calibration> {
  const { annee } = options;
  if (!Number.isInteger(annee) || annee < 2001 || annee > 2099) throw new RequeteInvalideError(`année invalide « ${annee} » : une année AAAA est attendue`);
  const config = options.config ?? (await configurationCourante(store));
  const veille = `${annee - 1}-12-31`;

  const anneesAvecPropositions = (await store.all<{ a: number }>(
    `SELECT DISTINCT CAST(year(a.date_cal) AS INTEGER) AS a FROM attributions a WHERE ${propositionSql()} ORDER BY 1`,
  )).map((r) => r.a);
  const annees = anneesAvecPropositions.filter((a) => a < annee).slice(-(options.anneesCalibration ?? ANNEES_PAR_DEFAUT));
  if (annees.length === 0) {
    throw new RequeteInvalideError(`simulation de ${annee} impossible : aucune attribution avant ${annee} dans la base pour calibrer le modèle (années présentes : ${anneesAvecPropositions.join(', ') || 'aucune'})`);
  }

  // Quartile limits of the simulated year and of the calibration years, per EPCI, as the indicator engine reads them.
  const { parEpci } = await limitesDesAnnees(store, config, [...new Set([...annees, annee])]);
  const big = (v: bigint | null) => (v === null ? 'NULL' : `${v.toString()}::BIGINT`);
  const lim = parEpci.length > 0
    ? `lim(annee, code_epci, seuil_q1, mediane, q3) AS (VALUES ${parEpci.map((l) => `(${l.annee}, ${literal(l.codeEpci)}, ${big(l.seuilQ1)}, ${big(l.mediane)}, ${big(l.q3)})`).join(', ')})`
    : `lim(annee, code_epci, seuil_q1, mediane, q3) AS (SELECT 0, '', NULL::BIGINT, NULL::BIGINT, NULL::BIGINT WHERE FALSE)`;
  const q = quartileSql(config.uc);
  const limites = { seuilQ1: 'lim.seuil_q1', mediane: 'lim.mediane', q3: 'lim.q3' };
  // The territory's limits ('' row) when the first wished commune's EPCI has none.
  const quartileDemande = (annees: string) => `coalesce(${q.quartile({ ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' }, limites)}, ${q.quartile({ ressources: 'd.ressources_mensuelles', nbPersonnes: 'd.nb_personnes', nbMoins14: 'd.nb_moins_14_ans' }, { seuilQ1: 'lt.seuil_q1', mediane: 'lt.mediane', q3: 'lt.q3' })})${annees}`;

  // --- Notes of the grid on 31 December of the year before (the policy orders by cotation).
  let notes: string | null = null;
  if (options.grille) {
    notes = `mixite_sim_notes_${process.pid}`;
    await materialiserCotation(store, options.grille, notes, { date: veille, config });
  }
  try {
    // --- Requests active on 1 January, and those deposited in the calibration years still active at the year's end
    // (the profiles of arrivals).
    const demandesSql = (condition: string, anneeLimites: string) => `WITH ${lim}
SELECT d.nur,
  CAST(${classeSql(quartileDemande('')) } AS INTEGER) AS classe,
  coalesce(d.dalo, FALSE) OR coalesce(d.prioritaire, FALSE) AS prioritaire,
  coalesce(d.relogement_anru, FALSE) AS relogement,
  CAST(coalesce(d.typologie_min, 1) AS INTEGER) AS tmin,
  CAST(coalesce(d.typologie_max, 6) AS INTEGER) AS tmax,
  coalesce(d.communes_souhaitees, '') AS communes,
  CAST(d.date_depot - DATE '${annee}-01-01' AS INTEGER) AS depot,
  CAST(coalesce(d.nb_refus, 0) AS INTEGER) AS nb_refus,
  ${notes ? 'CAST(coalesce(n.centiemes, 0) AS DOUBLE)' : 'CAST(0 AS DOUBLE)'} AS note
FROM demandes d
LEFT JOIN communes c ON c.code_insee = split_part(d.communes_souhaitees, '|', 1)
LEFT JOIN lim ON lim.annee = ${anneeLimites} AND lim.code_epci = coalesce(c.code_epci, '')
LEFT JOIN lim lt ON lt.annee = ${anneeLimites} AND lt.code_epci = ''
${notes ? `LEFT JOIN ${notes} n ON n.nur = d.nur` : ''}
WHERE ${condition}
ORDER BY d.nur`;
    type LigneDemande = { nur: string; classe: number; prioritaire: boolean; relogement: boolean; tmin: number; tmax: number; communes: string; depot: number; nb_refus: number; note: number };
    const versDemande = (r: LigneDemande): DemandeSimulee => ({
      nur: r.nur, classe: r.classe as IndiceClasse, prioritaire: r.prioritaire, relogement: r.relogement,
      typologieMin: Math.min(r.tmin, r.tmax), typologieMax: Math.max(r.tmin, r.tmax),
      communes: r.communes === '' ? [] : r.communes.split('|'), depot: r.depot, note: r.note, nbRefus: r.nb_refus,
    });
    const actifLe = (jour: string) => `d.date_depot <= DATE '${jour}' AND (d.date_radiation IS NULL OR d.date_radiation > DATE '${jour}')`;
    const stock = (await store.all<LigneDemande>(demandesSql(actifLe(veille), String(annee)))).map(versDemande);
    const derniere = annees[annees.length - 1]!;
    // Arrivals: profiles of the last calibration year's deposits still waiting on 31 December (their note is the
    // grid's at that date); classes against the simulated year's limits.
    const profilsArrivees = (await store.all<LigneDemande>(demandesSql(`year(d.date_depot) = ${derniere} AND ${actifLe(veille)}`, String(annee)))).map(versDemande);

    // --- Yearly flows of the calibration years.
    const flux = await store.all<{ annee: number; deposees: number; radiees: number; actives: number }>(`
SELECT y.annee,
  (SELECT count(*) FROM demandes d WHERE year(d.date_depot) = y.annee)::INTEGER AS deposees,
  (SELECT count(*) FROM demandes d WHERE d.statut = 'radiee' AND year(d.date_radiation) = y.annee)::INTEGER AS radiees,
  (SELECT count(*) FROM demandes d WHERE d.date_depot < make_date(y.annee, 1, 1) AND (d.date_radiation IS NULL OR d.date_radiation >= make_date(y.annee, 1, 1)))::INTEGER AS actives
FROM (SELECT unnest([${annees.join(', ')}]) AS annee) y ORDER BY 1`);
    const moyenne = (xs: number[]) => (xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
    const arriveesParAn = moyenne(flux.map((f) => f.deposees));
    const radiationsParAn = moyenne(flux.filter((f) => f.actives > 0).map((f) => f.radiees / f.actives));

    // --- Proposals of the calibration years, with the household and dwelling as the indicator engine resolves them.
    const menage = menageAttributionSql();
    const logement = logementAttributionSql();
    const { contingent, typeContingent } = contingentSql();
    const assimiles = config.assimiles_comme_qpv ? 'TRUE' : 'FALSE';
    const propositions = await store.all<{
      vacance: string; annee: number; issue: string | null; en_qpv: boolean; nb_pieces: number | null; bailleur_id: string; code_insee: string;
      contingent: string; type_contingent: string; classe: number; prioritaire: boolean; relogement: boolean;
    }>(`WITH ${lim},
p AS (
  SELECT coalesce(a.logement_id, 'attribution:' || a.id) || '@' || CAST(a.date_cal AS VARCHAR) AS vacance,
    CAST(year(a.date_cal) AS INTEGER) AS annee, a.issue,
    ${logement.codeQpv} IS NOT NULL AND (NOT coalesce(qv.assimile, FALSE) OR ${assimiles}) AS en_qpv,
    CAST(${logement.nbPieces} AS INTEGER) AS nb_pieces,
    ${logement.bailleurId} AS bailleur_id, ${logement.codeInsee} AS code_insee,
    ${contingent} AS contingent, ${typeContingent} AS type_contingent,
    coalesce(c.code_epci, '') AS code_epci,
    ${q.ressourcesEntieres(menage)} AS r_entieres, ${q.ucEntieres(menage)} AS uc_entieres,
    ${menage.prioritaire} AS prioritaire, ${menage.relogement} AS relogement
  FROM attributions a
  LEFT JOIN demandes d ON d.nur = a.nur
  LEFT JOIN logements l ON l.id = a.logement_id
  LEFT JOIN communes c ON c.code_insee = ${logement.codeInsee}
  LEFT JOIN reservataires r ON r.id = ${logement.reservataire}
  LEFT JOIN qpv qv ON qv.code_qpv = ${logement.codeQpv}
  WHERE ${propositionSql()} AND year(a.date_cal) IN (${annees.join(', ')})
)
SELECT p.vacance, p.annee, p.issue, p.en_qpv, p.nb_pieces, p.bailleur_id, p.code_insee, p.contingent, p.type_contingent,
  CAST(${classeSql(q.quartileEntiers('p.r_entieres', 'p.uc_entieres', limites))} AS INTEGER) AS classe, p.prioritaire, p.relogement
FROM p LEFT JOIN lim ON lim.annee = p.annee AND lim.code_epci = p.code_epci
ORDER BY p.vacance`);

    // Vacancies: one per dwelling and commission date with at least one proposal.
    const vacances = new Map<string, LogementSimule>();
    for (const p of propositions) {
      if (vacances.has(p.vacance)) continue;
      vacances.set(p.vacance, {
        id: p.vacance, enQpv: p.en_qpv, nbPieces: p.nb_pieces ?? 3, codeInsee: p.code_insee, bailleurId: p.bailleur_id,
        contingent: p.contingent, typeContingent: p.type_contingent,
      });
    }

    // Refusals per zone and class: refusals ÷ proposals whose outcome is known (pending ones left out).
    const refus = [0, 1].map((zone) => CLASSES_SIMULEES.map((_, classe) => {
      const connues = propositions.filter((p) => (p.en_qpv ? 1 : 0) === zone && p.classe === classe && (p.issue === 'bail_signe' || p.issue === 'refus_demandeur'));
      const refusees = connues.filter((p) => p.issue === 'refus_demandeur').length;
      return connues.length > 0 ? refusees / connues.length : 0;
    }));

    // Observed practice: per zone and contingent type, each category's share among the proposals ÷ its share among
    // the requests active on 1 January (what a draw in proportion to the demand would give).
    const partsStock = new Array<number>(CATEGORIES_SIMULEES).fill(0);
    for (const d of stock) partsStock[categorieDe(d)]!++;
    const poidsObserves: Record<string, number[]> = {};
    const comptesPropositions: Record<string, number[]> = {};
    const poids = (zone: 0 | 1, filtre: (p: (typeof propositions)[number]) => boolean, cleP: string): number[] | null => {
      const choisies = propositions.filter((p) => (p.en_qpv ? 1 : 0) === zone && filtre(p));
      if (choisies.length === 0) return null;
      const parts = new Array<number>(CATEGORIES_SIMULEES).fill(0);
      for (const p of choisies) parts[categorieDe({ classe: p.classe as IndiceClasse, prioritaire: p.prioritaire, relogement: p.relogement })]!++;
      comptesPropositions[cleP] = parts;
      return parts.map((n, c) => (partsStock[c]! > 0 ? (n / choisies.length) / (partsStock[c]! / stock.length) : 0));
    };
    for (const zone of [0, 1] as const) {
      const tout = poids(zone, () => true, clePoids(zone, '*'));
      if (tout) poidsObserves[clePoids(zone, '*')] = tout;
      const types = [...new Set(propositions.map((p) => p.type_contingent))].sort();
      for (const t of types) {
        const n = propositions.filter((p) => (p.en_qpv ? 1 : 0) === zone && p.type_contingent === t).length;
        if (n < PROPOSITIONS_MIN_PAR_TYPE) continue;
        const w = poids(zone, (p) => p.type_contingent === t, clePoids(zone, t));
        if (w) poidsObserves[clePoids(zone, t)] = w;
      }
    }

    const partsFlux = await partsDesConventions(store, annee);
    const refusGrille = options.grille?.sections[0]?.refus ?? null;
    const territoire: TerritoireSimule = {
      annee,
      stock,
      arrivees: { parAn: arriveesParAn, profils: profilsArrivees.length > 0 ? profilsArrivees : stock },
      radiationsParAn,
      vacances: { parAn: vacances.size / annees.length, profils: [...vacances.values()] },
      refus,
      poidsObserves,
      comptesObserves: { demande: partsStock, propositions: comptesPropositions },
      partsFlux,
      penaliteRefus: refusGrille ? { centiemes: refusGrille.centiemes, parRefus: refusGrille.parRefus, maxRefus: refusGrille.maxRefus } : { centiemes: 0, parRefus: true, maxRefus: null },
    };
    return { territoire, annees, observes: anneesAvecPropositions.includes(annee) ? await observesDe(store, annee, config) : {} };
  } finally {
    if (notes) await store.run(`DROP TABLE IF EXISTS ${notes}`);
  }
}

/**
 * The reservation conventions in force in the simulated year (gestion en flux, docs/flux.md), per bailleur: those of
 * the year, else of the bailleur's latest earlier year of conventions (a convention runs until it is renewed). Each
 * réservataire's share and the bailleur's own rest (1 − their sum, contingent `non_reserve:<bailleur>`), ordered by
 * contingent id so that the draws do not depend on the reading order. The import refuses shares outside 0–1 and
 * totals above 100 % (flux/conventions-checks.ts).
 */
export async function partsDesConventions(store: Store, annee: number): Promise<Record<string, PartFlux[]>> {
  const lignes = await store.all<{ bailleur_id: string; reservataire_id: string; type: string; part: number }>(`
WITH derniere AS (
  SELECT bailleur_id, max(annee) AS annee FROM conventions WHERE annee <= ${annee} GROUP BY bailleur_id
)
SELECT c.bailleur_id, c.reservataire_id, coalesce(r.type, 'autre') AS type, CAST(c.part AS DOUBLE) AS part
FROM conventions c
JOIN derniere USING (bailleur_id, annee)
LEFT JOIN reservataires r ON r.id = c.reservataire_id
ORDER BY c.bailleur_id, c.reservataire_id`);
  const parts: Record<string, PartFlux[]> = {};
  for (const l of lignes) (parts[l.bailleur_id] ??= []).push({ contingent: l.reservataire_id, typeContingent: l.type, part: l.part });
  for (const [bailleur, liste] of Object.entries(parts)) {
    const reste = 1 - liste.reduce((a, p) => a + p.part, 0);
    if (reste > 1e-9) liste.push({ contingent: `${NON_RESERVE_PREFIX}${bailleur}`, typeContingent: NON_RESERVE, part: reste });
  }
  return parts;
}

/** The observed rates of the year, from the indicator engine (the year's period), under the measures' keys. */
async function observesDe(store: Store, annee: number, config: CiaConfig): Promise<Record<string, number>> {
  const resultats = await calculerIndicateurs(store, { annee, config });
  const observes: Record<string, number> = {};
  for (const r of resultats.indicateurs) {
    if (r.periode !== String(annee) || r.taux === null) continue;
    observes[`${r.indicateur}|${r.perimetre_type}|${r.perimetre_id}`] = r.taux;
  }
  return observes;
}
