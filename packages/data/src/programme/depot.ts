import type { ConventionProgramme, FicheAction, Probleme, ProgrammeActions, ReferentielProgramme, StatutFiche } from '@mixite/core';
import { DonneesInvalidesError, IntrouvableError, LEGAL_INDICATOR_IDS, lireClasseurProgramme } from '@mixite/core';
import type { Store } from '../store/store.ts';
import { sql } from '../store/sql.ts';
import { lireFichierProgramme } from './classeur.ts';

/**
 * The action programme in the store (migration 7): the convention and its fiches, replaced whole by an import;
 * the statuses and comments of each fiche and year, append-only (each one signed and dated: the history).
 */

export async function lireProgramme(store: Store): Promise<ProgrammeActions | null> {
  const conv = await store.all<{ contenu: string }>(sql`SELECT contenu::VARCHAR AS contenu FROM programme_convention WHERE id = 1`);
  if (conv.length === 0) return null;
  const fiches = await store.all<{ contenu: string }>(sql`SELECT contenu::VARCHAR AS contenu FROM programme_fiches ORDER BY numero`);
  return { convention: JSON.parse(conv[0]?.contenu as string) as ConventionProgramme, fiches: fiches.map((f) => JSON.parse(f.contenu) as FicheAction) };
}

/** The ids a programme may reference: the indicators the engine computes and the partners of the store. */
export async function referentielProgramme(store: Store): Promise<ReferentielProgramme> {
  const ids = async (table: 'bailleurs' | 'reservataires' | 'communes', colonne: 'id' | 'code_insee') =>
    new Set((await store.all<{ id: string }>(sql`SELECT ${sql.ident(colonne)}::VARCHAR AS id FROM ${sql.ident(table)}`)).map((r) => r.id));
  return { indicateurs: LEGAL_INDICATOR_IDS, bailleurs: await ids('bailleurs', 'id'), reservataires: await ids('reservataires', 'id'), communes: await ids('communes', 'code_insee') };
}

/** Replaces the convention and the fiches, in one transaction (statuses and comments are kept: they are history). */
export async function enregistrerProgramme(store: Store, programme: ProgrammeActions, auteur: string): Promise<void> {
  await store.transaction(() => ecrireProgramme(store, programme, auteur));
}

/** The same, inside the caller's transaction (the demo's whole set: jeu.ts). */
export async function ecrireProgramme(store: Store, programme: ProgrammeActions, auteur: string): Promise<void> {
  await store.run(sql`DELETE FROM programme_fiches`);
  await store.run(sql`DELETE FROM programme_convention`);
  await store.run(sql`INSERT INTO programme_convention VALUES (1, ${JSON.stringify(programme.convention)}, now(), ${auteur})`);
  for (const f of programme.fiches) await store.run(sql`INSERT INTO programme_fiches VALUES (${f.numero}, ${JSON.stringify(f)})`);
}

export interface ResultatImportProgramme {
  readonly programme: ProgrammeActions;
  /** False for a check without loading (`verifier`). */
  readonly charge: boolean;
}

/**
 * Reads a programme workbook, checks it against the store (indicators, partners) and loads it only if there is no
 * problem at all: otherwise a DonneesInvalidesError lists every located problem and the store is unchanged.
 */
export async function importerProgramme(
  store: Store,
  contenu: Buffer | ArrayBuffer,
  fichier: string,
  options: { readonly auteur: string; readonly verifier?: boolean },
): Promise<ResultatImportProgramme> {
  const { classeur, problemes: cellules } = await lireFichierProgramme(contenu, fichier);
  const lecture = lireClasseurProgramme(classeur, await referentielProgramme(store));
  const problemes: Probleme[] = [...cellules, ...(lecture.ok ? [] : lecture.problemes)];
  if (problemes.length > 0 || !lecture.ok) {
    throw new DonneesInvalidesError(`Programme d’actions refusé : ${problemes.length} erreur${problemes.length > 1 ? 's' : ''}. La base n’a pas été modifiée.`, {
      problemes,
      code: 'programme_invalide',
    });
  }
  if (!options.verifier) await enregistrerProgramme(store, lecture.programme, options.auteur);
  return { programme: lecture.programme, charge: !options.verifier };
}

/** A problem of a programme as one line: « fichier, feuille F, ligne 3, colonne etapes : valeur « … » — message (attendu : …) ». */
export function formaterProblemeProgramme(p: Probleme): string {
  const ou = [p.fichier, p.ligne !== null && p.ligne !== undefined ? `ligne ${p.ligne}` : null, p.colonne !== null && p.colonne !== undefined ? `colonne ${p.colonne}` : null, p.chemin ? `clé ${p.chemin}` : null]
    .filter((x) => x !== null && x !== undefined)
    .join(', ');
  const valeur = p.valeur !== null && p.valeur !== undefined ? ` : valeur « ${p.valeur.length > 60 ? `${p.valeur.slice(0, 60)}…` : p.valeur} »` : '';
  return `${ou}${valeur} — ${p.message}${p.attendu ? ` (attendu : ${p.attendu})` : ''}`;
}

// --- Follow-up: statuses and comments per fiche and year, append-only.

export interface EntreeSuivi {
  readonly id: number;
  readonly numero: number;
  readonly annee: number;
  readonly date: string;
  readonly auteur: string;
  readonly role: string | null;
}
export interface StatutDate extends EntreeSuivi {
  readonly statut: StatutFiche;
}
export interface CommentaireFiche extends EntreeSuivi {
  readonly partenaire: string;
  readonly texte: string;
}

async function ficheExiste(store: Store, numero: number): Promise<void> {
  const r = await store.all(sql`SELECT 1 FROM programme_fiches WHERE numero = ${numero}`);
  if (r.length === 0) throw new IntrouvableError(`Fiche action ${numero} introuvable dans le programme d’actions.`);
}

export interface Signature {
  readonly auteur: string;
  readonly role: string | null;
  /** When (ISO instant); now by default. Given by the demo and the tests for dates in the past. */
  readonly date?: string;
}

export async function definirStatut(store: Store, numero: number, annee: number, statut: StatutFiche, signature: Signature): Promise<void> {
  await ficheExiste(store, numero);
  await store.run(
    sql`INSERT INTO programme_statuts (numero, annee, statut, date, auteur, role)
        VALUES (${numero}, ${annee}, ${statut}, COALESCE(${signature.date ?? null}::TIMESTAMP, now()::TIMESTAMP), ${signature.auteur}, ${signature.role})`,
  );
}

export async function ajouterCommentaire(store: Store, numero: number, annee: number, partenaire: string, texte: string, signature: Signature): Promise<void> {
  await ficheExiste(store, numero);
  await store.run(
    sql`INSERT INTO programme_commentaires (numero, annee, partenaire, texte, date, auteur, role)
        VALUES (${numero}, ${annee}, ${partenaire}, ${texte}, COALESCE(${signature.date ?? null}::TIMESTAMP, now()::TIMESTAMP), ${signature.auteur}, ${signature.role})`,
  );
}

const dateIso = (d: unknown) => (d instanceof Date ? d.toISOString() : String(d).replace(' ', 'T'));

/** Every status ever set, oldest first (the current one of a fiche and year is its last). */
export async function historiqueStatuts(store: Store, numero?: number): Promise<StatutDate[]> {
  const rows = await store.all<Record<string, unknown>>(
    sql`SELECT id, numero, annee, statut, strftime(date, '%Y-%m-%dT%H:%M:%S') AS date, auteur, role FROM programme_statuts
        ${numero === undefined ? sql`` : sql`WHERE numero = ${numero}`} ORDER BY date, id`,
  );
  return rows.map((r) => ({ ...(r as unknown as StatutDate), date: dateIso(r.date) }));
}

export async function commentairesFiches(store: Store, numero?: number): Promise<CommentaireFiche[]> {
  const rows = await store.all<Record<string, unknown>>(
    sql`SELECT id, numero, annee, partenaire, texte, strftime(date, '%Y-%m-%dT%H:%M:%S') AS date, auteur, role FROM programme_commentaires
        ${numero === undefined ? sql`` : sql`WHERE numero = ${numero}`} ORDER BY date, id`,
  );
  return rows.map((r) => ({ ...(r as unknown as CommentaireFiche), date: dateIso(r.date) }));
}

/** The current status of each fiche for a year (the last one set), absent when none was ever set. */
export async function statutsDeLAnnee(store: Store, annee: number): Promise<Map<number, StatutDate>> {
  const tout = (await historiqueStatuts(store)).filter((s) => s.annee === annee);
  return new Map(tout.map((s) => [s.numero, s]));
}
