import type { CibleEngagement, DecisionReunion, Engagement, GenreInstance, Instance, Reunion, StatutEngagement } from '@mixite/core';
import { IntrouvableError } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { sql } from '../store/sql.ts';

/**
 * The CIA's instances, their meetings and the partners' commitments in the store (migrations 7 and 11; model in
 * core/src/programme/gouvernance.ts). Who may write them is the server's business; here each write is signed by its
 * author and dated. Lists come oldest first (meetings by date), so that the bilan and the pages read them in order.
 */

const instant = (d: unknown): string => (d instanceof Date ? d.toISOString() : String(d).replace(' ', 'T'));
const jour = (d: unknown): string => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const liste = <T>(json: unknown): T[] => (json === null || json === undefined ? [] : (JSON.parse(String(json)) as T[]));
const maintenant = (date?: string) => sql`COALESCE(${date ?? null}::TIMESTAMP, now()::TIMESTAMP)`;

export interface InstanceSaisie {
  readonly genre: GenreInstance;
  readonly nom: string;
  readonly membres: readonly string[];
  readonly frequence: string | null;
}

export async function listerInstances(store: Store): Promise<Instance[]> {
  const rows = await store.all<Record<string, unknown>>(sql`SELECT id, genre, nom, membres::VARCHAR AS membres, frequence FROM programme_instances ORDER BY id`);
  return rows.map((r) => ({ id: Number(r.id), genre: r.genre as GenreInstance, nom: String(r.nom), membres: liste<string>(r.membres), frequence: (r.frequence as string | null) ?? null }));
}

export async function creerInstance(store: Store, i: InstanceSaisie): Promise<number> {
  const r = await store.all<{ id: number }>(
    sql`INSERT INTO programme_instances (genre, nom, membres, frequence) VALUES (${i.genre}, ${i.nom}, ${JSON.stringify(i.membres)}, ${i.frequence}) RETURNING id`,
  );
  return Number(r[0]?.id);
}

export async function modifierInstance(store: Store, id: number, i: InstanceSaisie): Promise<void> {
  await instanceExiste(store, id);
  await store.run(sql`UPDATE programme_instances SET genre = ${i.genre}, nom = ${i.nom}, membres = ${JSON.stringify(i.membres)}, frequence = ${i.frequence} WHERE id = ${id}`);
}

async function instanceExiste(store: Store, id: number): Promise<void> {
  if ((await store.all(sql`SELECT 1 FROM programme_instances WHERE id = ${id}`)).length === 0) throw new IntrouvableError(`Instance ${id} introuvable.`);
}

/** A meeting as entered: what the store adds (its number, who recorded it and when) left out. */
export type ReunionSaisie = Omit<Reunion, 'id' | 'auteur' | 'date_modification'>;

export interface Signe {
  readonly auteur: string;
  /** ISO instant; now by default (the demo and the tests give dates in the past). */
  readonly date?: string;
}

/** Meetings, by date then id; of one year when `annee` is given. */
export async function listerReunions(store: Store, annee?: number): Promise<Reunion[]> {
  const rows = await store.all<Record<string, unknown>>(
    sql`SELECT id, instance_id, date, ordre_du_jour, compte_rendu, documents::VARCHAR AS documents, decisions::VARCHAR AS decisions,
               presents::VARCHAR AS presents, auteur, strftime(date_modification, '%Y-%m-%dT%H:%M:%S') AS date_modification
        FROM programme_reunions ${annee === undefined ? sql`` : sql`WHERE year(date) = ${annee}`} ORDER BY date, id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    instance_id: Number(r.instance_id),
    date: jour(r.date),
    ordre_du_jour: String(r.ordre_du_jour),
    compte_rendu: (r.compte_rendu as string | null) ?? null,
    documents: liste<string>(r.documents),
    decisions: liste<DecisionReunion>(r.decisions),
    presents: liste<string>(r.presents),
    auteur: String(r.auteur),
    date_modification: instant(r.date_modification),
  }));
}

export async function creerReunion(store: Store, r: ReunionSaisie, signe: Signe): Promise<number> {
  await instanceExiste(store, r.instance_id);
  const rows = await store.all<{ id: number }>(
    sql`INSERT INTO programme_reunions (instance_id, date, ordre_du_jour, compte_rendu, documents, decisions, presents, auteur, date_modification)
        VALUES (${r.instance_id}, ${r.date}::DATE, ${r.ordre_du_jour}, ${r.compte_rendu}, ${JSON.stringify(r.documents)}, ${JSON.stringify(r.decisions)},
                ${JSON.stringify(r.presents)}, ${signe.auteur}, ${maintenant(signe.date)}) RETURNING id`,
  );
  return Number(rows[0]?.id);
}

/** Replaces what a meeting says (its minutes and decisions are written after it): signed by the last author. */
export async function modifierReunion(store: Store, id: number, r: ReunionSaisie, signe: Signe): Promise<void> {
  if ((await store.all(sql`SELECT 1 FROM programme_reunions WHERE id = ${id}`)).length === 0) throw new IntrouvableError(`Réunion ${id} introuvable.`);
  await instanceExiste(store, r.instance_id);
  await store.run(
    sql`UPDATE programme_reunions SET instance_id = ${r.instance_id}, date = ${r.date}::DATE, ordre_du_jour = ${r.ordre_du_jour}, compte_rendu = ${r.compte_rendu},
          documents = ${JSON.stringify(r.documents)}, decisions = ${JSON.stringify(r.decisions)}, presents = ${JSON.stringify(r.presents)},
          auteur = ${signe.auteur}, date_modification = ${maintenant(signe.date)}
        WHERE id = ${id}`,
  );
}

export interface EngagementSaisi {
  readonly partenaire: string;
  readonly fiche: number | null;
  readonly libelle: string;
  readonly echeance: string | null;
  readonly statut: StatutEngagement;
  readonly quantifie: CibleEngagement | null;
}

export async function listerEngagements(store: Store): Promise<Engagement[]> {
  const rows = await store.all<Record<string, unknown>>(
    sql`SELECT id, partenaire, fiche, libelle, echeance, COALESCE(statut, 'a_tenir') AS statut, indicateur, perimetre_type, perimetre_id, cible,
               COALESCE(auteur, '') AS auteur, strftime(COALESCE(date_modification, TIMESTAMP '1970-01-01'), '%Y-%m-%dT%H:%M:%S') AS date_modification
        FROM programme_engagements ORDER BY fiche NULLS LAST, partenaire, id`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    partenaire: String(r.partenaire),
    fiche: r.fiche === null ? null : Number(r.fiche),
    libelle: String(r.libelle),
    echeance: r.echeance === null ? null : jour(r.echeance),
    statut: r.statut as StatutEngagement,
    quantifie:
      r.indicateur === null
        ? null
        : ({ indicateur: r.indicateur, perimetre_type: r.perimetre_type, perimetre_id: (r.perimetre_id as string | null) ?? null, cible: Number(r.cible) } as CibleEngagement),
    auteur: String(r.auteur),
    date_modification: instant(r.date_modification),
  }));
}

const valeursEngagement = (e: EngagementSaisi) => ({
  indicateur: e.quantifie?.indicateur ?? null,
  perimetre_type: e.quantifie?.perimetre_type ?? null,
  perimetre_id: e.quantifie?.perimetre_id ?? null,
  cible: e.quantifie?.cible ?? null,
  // The year the commitment falls in (migration 7's column), read from its due date.
  annee: e.echeance ? Number(e.echeance.slice(0, 4)) : null,
});

export async function creerEngagement(store: Store, e: EngagementSaisi, signe: Signe): Promise<number> {
  const v = valeursEngagement(e);
  const rows = await store.all<{ id: number }>(
    sql`INSERT INTO programme_engagements (partenaire, libelle, indicateur, perimetre_type, perimetre_id, cible, annee, fiche, echeance, statut, auteur, date_modification)
        VALUES (${e.partenaire}, ${e.libelle}, ${v.indicateur}, ${v.perimetre_type}, ${v.perimetre_id}, ${v.cible}, ${v.annee}, ${e.fiche}, ${e.echeance}::DATE,
                ${e.statut}, ${signe.auteur}, ${maintenant(signe.date)}) RETURNING id`,
  );
  return Number(rows[0]?.id);
}

export async function modifierEngagement(store: Store, id: number, e: EngagementSaisi, signe: Signe): Promise<void> {
  if ((await store.all(sql`SELECT 1 FROM programme_engagements WHERE id = ${id}`)).length === 0) throw new IntrouvableError(`Engagement ${id} introuvable.`);
  const v = valeursEngagement(e);
  await store.run(
    sql`UPDATE programme_engagements SET partenaire = ${e.partenaire}, libelle = ${e.libelle}, indicateur = ${v.indicateur}, perimetre_type = ${v.perimetre_type},
          perimetre_id = ${v.perimetre_id}, cible = ${v.cible}, annee = ${v.annee}, fiche = ${e.fiche}, echeance = ${e.echeance}::DATE, statut = ${e.statut},
          auteur = ${signe.auteur}, date_modification = ${maintenant(signe.date)}
        WHERE id = ${id}`,
  );
}
