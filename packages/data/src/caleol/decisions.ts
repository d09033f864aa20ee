import type { Decision, Issue, MotifRefus } from '@mixite/core';
import { ConflitError, DECISIONS, IntrouvableError, MAX_DAYS_DECISION_TO_LEASE, MOTIFS_REFUS, RequeteInvalideError, ajouterJours, estDateIso } from '@mixite/core';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';
import { marquerDonneesModifiees } from '../store/version-donnees.ts';
import { verifierDateCaleol } from './liste.ts';

/**
 * The decisions of a CALEOL recorded in Mixité (issue 15, docs/caleol.md). A decision is written twice, in one
 * transaction: as an attributions row — the canonical allocation the indicator engine reads, so that the figures
 * change without a re-import, exactly as if the bailleur's file had carried the same row — and in caleol_decisions
 * (migration 6), which keeps the author, the time, the commission's motive and the household's answer.
 *
 * The row written: id `caleol-<n>`; nur; logement_id; the dwelling's bailleur_id and code_insee (required by the
 * format); date_cal; decision; rang; issue `en_cours` for the first-ranked attribution, `non_proposee` for the next
 * ranks (their turn has not come: not a proposal, DATA-FORMAT.md), empty for a non-attribution or irrecevabilité;
 * the motive as the free column `motif_decision`. Every other field stays empty: the engine takes it from the
 * request and the dwelling, as for an imported row.
 *
 * Later, the household's answer: a lease (`bail_signe` with its date, at most 365 days after the commission) or a
 * refusal (`refus_demandeur` with its motive), and then the next-ranked candidate's turn comes (`en_cours`).
 * Everything is checked before anything is written; nothing is written when one thing is wrong.
 */

export const DECISIONS_ATTRIBUTION: readonly Decision[] = ['attribution', 'attribution_sous_condition'];

export interface DecisionCandidat {
  readonly nur: string;
  readonly decision: Decision;
  /** 1 = first; for the attributions only (default: their order). */
  readonly rang?: number | null;
  /** The commission's motive (required for a non-attribution or an irrecevabilité, R441-3). */
  readonly motif?: string | null;
}

export interface EnregistrementCaleol {
  readonly logement_id: string;
  readonly date_cal: string;
  readonly candidats: readonly DecisionCandidat[];
  readonly auteur: string;
}

export interface DecisionEnregistree {
  readonly attribution_id: string;
  readonly logement_id: string;
  readonly bailleur_id: string;
  readonly code_insee: string;
  readonly nur: string;
  readonly date_cal: string;
  readonly decision: Decision;
  readonly rang: number | null;
  readonly motif: string | null;
  readonly issue: Issue | null;
  readonly date_bail: string | null;
  readonly motif_refus: MotifRefus | null;
  readonly auteur: string;
  readonly enregistre_le: string;
}

const MOTIF_MAX = 500;

interface LogementDecision {
  bailleur_id: string;
  code_insee: string;
  contingent: string | null;
}

/** The dwelling, or IntrouvableError. */
async function logementDe(store: Store, id: string): Promise<LogementDecision> {
  const [l] = await store.all<LogementDecision>(sql`SELECT bailleur_id, code_insee, contingent FROM logements WHERE id = ${id}`);
  if (!l) throw new IntrouvableError(`logement « ${id} » absent de logements.csv : vérifiez son identifiant (colonne id de logements.csv)`);
  return l;
}

/** Checks everything, then writes every decision or none. `aujourdhui`: a commission is not recorded in advance. */
export async function enregistrerDecisions(store: Store, e: EnregistrementCaleol, aujourdhui = new Date().toISOString().slice(0, 10)): Promise<DecisionEnregistree[]> {
  if (!estDateIso(e.date_cal)) throw new RequeteInvalideError(`date de commission invalide « ${e.date_cal} » : AAAA-MM-JJ`);
  if (e.date_cal > aujourdhui) throw new RequeteInvalideError(`la commission du ${e.date_cal} n’a pas encore eu lieu : on enregistre une décision prise`);
  const logement = await logementDe(store, e.logement_id);
  await verifierDateCaleol(store, e.date_cal);
  if (e.candidats.length === 0) throw new RequeteInvalideError('aucune décision : indiquez au moins un candidat et sa décision');
  if (e.candidats.length > 10) throw new RequeteInvalideError(`${e.candidats.length} candidats : au plus 10 par logement et par commission`);

  const problemes: string[] = [];
  const nurs = new Set<string>();
  const attributions = e.candidats.filter((c) => DECISIONS_ATTRIBUTION.includes(c.decision));
  const rangs = new Map<string, number>();
  attributions.forEach((c, i) => rangs.set(c.nur, c.rang ?? i + 1));
  e.candidats.forEach((c, i) => {
    const ou = `candidat ${i + 1} (${c.nur})`;
    if (nurs.has(c.nur)) problemes.push(`${ou} : la demande apparaît deux fois`);
    nurs.add(c.nur);
    if (!(DECISIONS as readonly string[]).includes(c.decision)) problemes.push(`${ou} : décision inconnue « ${String(c.decision)} » (${DECISIONS.join(', ')})`);
    if ((c.decision === 'non_attribution' || c.decision === 'irrecevable') && !c.motif?.trim()) problemes.push(`${ou} : une ${c.decision === 'irrecevable' ? 'irrecevabilité' : 'non-attribution'} doit être motivée (R441-3)`);
    if (c.motif && c.motif.length > MOTIF_MAX) problemes.push(`${ou} : motif trop long (${c.motif.length} caractères, au plus ${MOTIF_MAX})`);
    if (c.rang !== undefined && c.rang !== null && !DECISIONS_ATTRIBUTION.includes(c.decision)) problemes.push(`${ou} : un rang ne se donne qu’aux candidats attributaires`);
  });
  const valeursRangs = [...rangs.values()];
  if (valeursRangs.some((r) => !Number.isInteger(r) || r < 1 || r > 10)) problemes.push('les rangs sont des entiers de 1 à 10');
  else if (new Set(valeursRangs).size !== valeursRangs.length) problemes.push(`deux candidats attributaires ont le même rang (${valeursRangs.join(', ')})`);
  else if (valeursRangs.length > 0 && Math.min(...valeursRangs) !== 1) problemes.push('le premier candidat attributaire a le rang 1');

  // Every request exists and is active on the day of the commission (deposited on or before, not radiated on or before).
  const liste = [...nurs];
  const etats = await store.all<{ nur: string; date_depot: string; date_radiation: string | null; statut: string }>(
    sql`SELECT nur, CAST(date_depot AS VARCHAR) AS date_depot, CAST(date_radiation AS VARCHAR) AS date_radiation, statut FROM demandes WHERE nur IN (${sql.list(liste)})`,
  );
  const parNur = new Map(etats.map((x) => [x.nur, x]));
  for (const nur of liste) {
    const d = parNur.get(nur);
    if (!d) problemes.push(`demande « ${nur} » absente de demandes.csv`);
    else if (d.date_depot > e.date_cal) problemes.push(`la demande ${nur} n’est pas active le ${e.date_cal} : déposée le ${d.date_depot}`);
    else if (d.date_radiation !== null && d.date_radiation <= e.date_cal) problemes.push(`la demande ${nur} n’est pas active le ${e.date_cal} : ${d.statut === 'attribuee' ? 'satisfaite' : 'radiée'} le ${d.date_radiation}`);
  }
  // A commission decides once on a candidate for a dwelling and a day.
  const deja = await store.all<{ nur: string }>(
    sql`SELECT nur FROM attributions WHERE logement_id = ${e.logement_id} AND date_cal = CAST(${e.date_cal} AS DATE) AND nur IN (${sql.list(liste)})`,
  );
  for (const d of deja) problemes.push(`une décision sur la demande ${d.nur} pour ce logement le ${e.date_cal} existe déjà`);
  if (problemes.length > 0) {
    throw new RequeteInvalideError(`décision refusée, rien n’est enregistré : ${problemes.join(' ; ')}`, {
      problemes: problemes.map((message) => ({ message })),
    });
  }

  const premier = valeursRangs.length > 0 ? Math.min(...valeursRangs) : null;
  return store.transaction(async () => {
    const out: DecisionEnregistree[] = [];
    const [{ maintenant } = { maintenant: '' }] = await store.all<{ maintenant: string }>(`SELECT CAST(now()::TIMESTAMP AS VARCHAR) AS maintenant`);
    for (const c of e.candidats) {
      const [{ n } = { n: 0 }] = await store.all<{ n: number }>(`SELECT nextval('caleol_decision_id')::INTEGER AS n`);
      const id = `caleol-${String(n).padStart(6, '0')}`;
      const rang = rangs.get(c.nur) ?? null;
      const issue: Issue | null = rang === null ? null : rang === premier ? 'en_cours' : 'non_proposee';
      const motif = c.motif?.trim() ? c.motif.trim() : null;
      const [existe] = await store.all<{ id: string }>(sql`SELECT id FROM attributions WHERE id = ${id}`);
      if (existe) throw new ConflitError(`l’identifiant ${id} est déjà celui d’une attribution importée : renommez-la dans attributions.csv`);
      await store.run(sql`
        INSERT INTO attributions (id, nur, logement_id, bailleur_id, code_insee, date_cal, decision, rang, issue, attributs)
        VALUES (${id}, ${c.nur}, ${e.logement_id}, ${logement.bailleur_id}, ${logement.code_insee}, CAST(${e.date_cal} AS DATE), ${c.decision},
                ${rang}::INTEGER, ${issue}, ${motif === null ? sql.raw('NULL') : sql`MAP {'motif_decision': ${motif}}`})`);
      await store.run(sql`
        INSERT INTO caleol_decisions (attribution_id, logement_id, nur, date_cal, decision, rang, motif, issue, auteur, enregistre_le)
        VALUES (${id}, ${e.logement_id}, ${c.nur}, CAST(${e.date_cal} AS DATE), ${c.decision}, ${rang}::INTEGER, ${motif}, ${issue}, ${e.auteur}, CAST(${maintenant} AS TIMESTAMP))`);
      out.push({
        attribution_id: id,
        logement_id: e.logement_id,
        bailleur_id: logement.bailleur_id,
        code_insee: logement.code_insee,
        nur: c.nur,
        date_cal: e.date_cal,
        decision: c.decision,
        rang,
        motif,
        issue,
        date_bail: null,
        motif_refus: null,
        auteur: e.auteur,
        enregistre_le: maintenant,
      });
    }
    // The indicators kept in the store are of the previous data from now on (issue 18, store/version-donnees.ts).
    await marquerDonneesModifiees(store);
    return out;
  });
}

export interface ReponseMenage {
  readonly issue: 'bail_signe' | 'refus_demandeur';
  readonly date_bail?: string | null;
  readonly motif_refus?: MotifRefus | null;
}

/** The household's answer to a proposal recorded here; a refusal passes the turn to the next-ranked candidate. */
export async function enregistrerReponse(store: Store, attributionId: string, r: ReponseMenage, auteur: string): Promise<DecisionEnregistree> {
  const [d] = await store.all<{ logement_id: string; date_cal: string; rang: number | null; issue: string | null; decision: string }>(
    sql`SELECT logement_id, CAST(date_cal AS VARCHAR) AS date_cal, rang, issue, decision FROM caleol_decisions WHERE attribution_id = ${attributionId}`,
  );
  if (!d) throw new IntrouvableError(`décision « ${attributionId} » inconnue : seules les décisions enregistrées dans Mixité reçoivent une réponse ici`);
  if (d.issue !== 'en_cours') {
    throw new ConflitError(`la décision ${attributionId} n’attend pas de réponse (issue : ${d.issue ?? 'aucune, ce n’est pas une attribution'})`);
  }
  if (r.issue === 'bail_signe') {
    if (!r.date_bail || !estDateIso(r.date_bail)) throw new RequeteInvalideError('un bail signé a sa date (date_bail AAAA-MM-JJ)');
    if (r.date_bail < d.date_cal) throw new RequeteInvalideError(`le bail (${r.date_bail}) ne peut précéder la commission (${d.date_cal})`);
    if (r.date_bail > ajouterJours(d.date_cal, MAX_DAYS_DECISION_TO_LEASE)) throw new RequeteInvalideError(`le bail (${r.date_bail}) est signé plus d’un an après la commission (${d.date_cal}) : ce n’est pas le bail de cette décision`);
  } else if (!r.motif_refus || !(MOTIFS_REFUS as readonly string[]).includes(r.motif_refus)) {
    throw new RequeteInvalideError(`un refus a son motif (motif_refus : ${MOTIFS_REFUS.join(', ')})`);
  }
  const dateBail = r.issue === 'bail_signe' ? (r.date_bail as string) : null;
  const motif = r.issue === 'refus_demandeur' ? (r.motif_refus as MotifRefus) : null;
  await store.transaction(async () => {
    await store.run(sql`UPDATE attributions SET issue = ${r.issue}, date_bail = CAST(${dateBail} AS DATE), motif_refus = ${motif} WHERE id = ${attributionId}`);
    await store.run(sql`UPDATE caleol_decisions SET issue = ${r.issue}, date_bail = CAST(${dateBail} AS DATE), motif_refus = ${motif}, reponse_le = now()::TIMESTAMP WHERE attribution_id = ${attributionId}`);
    if (r.issue === 'refus_demandeur' && d.rang !== null) {
      // The next rank's turn comes: the best-ranked of those not yet proposed.
      const [suivant] = await store.all<{ attribution_id: string }>(sql`
        SELECT attribution_id FROM caleol_decisions
        WHERE logement_id = ${d.logement_id} AND date_cal = CAST(${d.date_cal} AS DATE) AND issue = 'non_proposee' AND rang > ${d.rang}
        ORDER BY rang LIMIT 1`);
      if (suivant) {
        await store.run(sql`UPDATE attributions SET issue = 'en_cours' WHERE id = ${suivant.attribution_id}`);
        await store.run(sql`UPDATE caleol_decisions SET issue = 'en_cours' WHERE attribution_id = ${suivant.attribution_id}`);
      }
    }
    await marquerDonneesModifiees(store);
  });
  const [maj] = await decisionsEnregistrees(store, { attribution_id: attributionId });
  void auteur;
  return maj as DecisionEnregistree;
}

export interface FiltreDecisions {
  readonly attribution_id?: string;
  readonly logement_id?: string;
  /** SQL-free perimeter: the dwelling's bailleur, its contingent (réservataire id), its commune. */
  readonly bailleur_id?: string;
  readonly contingent?: string;
  readonly code_insee?: string;
}

/** The decisions recorded in Mixité, newest commission first (at most 500). */
export async function decisionsEnregistrees(store: Store, f: FiltreDecisions = {}): Promise<DecisionEnregistree[]> {
  const conditions = [sql`TRUE`];
  if (f.attribution_id !== undefined) conditions.push(sql`c.attribution_id = ${f.attribution_id}`);
  if (f.logement_id !== undefined) conditions.push(sql`c.logement_id = ${f.logement_id}`);
  if (f.bailleur_id !== undefined) conditions.push(sql`a.bailleur_id = ${f.bailleur_id}`);
  if (f.contingent !== undefined) conditions.push(sql`coalesce(a.contingent, l.contingent) = ${f.contingent}`);
  if (f.code_insee !== undefined) conditions.push(sql`a.code_insee = ${f.code_insee}`);
  return store.all<DecisionEnregistree>(sql`
    SELECT c.attribution_id, c.logement_id, a.bailleur_id, a.code_insee, c.nur, CAST(c.date_cal AS VARCHAR) AS date_cal, c.decision, c.rang, c.motif,
      c.issue, CAST(c.date_bail AS VARCHAR) AS date_bail, c.motif_refus, c.auteur, CAST(c.enregistre_le AS VARCHAR) AS enregistre_le
    FROM caleol_decisions c JOIN attributions a ON a.id = c.attribution_id LEFT JOIN logements l ON l.id = c.logement_id
    WHERE ${sql.join(conditions, ' AND ')}
    ORDER BY c.date_cal DESC, c.logement_id, c.rang NULLS LAST, c.attribution_id LIMIT 500`);
}
