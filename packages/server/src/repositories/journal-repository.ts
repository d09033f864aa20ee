import { createHash, createHmac } from 'node:crypto';
import type { Store } from '@mixite/data';
import type { ScellementJournal } from '../services/scellement-journal.ts';
import { isoSql, versSql } from './temps.ts';

/** What the audit log records. Never a household's identity: the object and details name tables, perimeters and counts. */
export const ACTIONS_JOURNAL = [
  'connexion',
  'connexion_refusee',
  'deconnexion',
  'consultation_menages',
  'export_menages',
  'verification_import',
  'import',
  'parametres',
  'seuils',
  'consultation_journal',
  'compte_cree',
  'compte_modifie',
  'compte_desactive',
  'purge',
  'chaine_reprise',
  'programme',
  'decision_caleol',
  'conventions',
  'simulation',
  'correspondance',
] as const;
export type ActionJournal = (typeof ACTIONS_JOURNAL)[number];

export const LIBELLES_ACTION: Record<ActionJournal, string> = {
  connexion: 'Connexion',
  connexion_refusee: 'Connexion refusée',
  deconnexion: 'Déconnexion',
  consultation_menages: 'Consultation de données des ménages',
  export_menages: 'Export de données des ménages',
  verification_import: 'Vérification de fichiers (sans écriture)',
  import: 'Import de données',
  parametres: 'Modification des paramètres de la CIA',
  seuils: 'Modification des seuils du premier quartile',
  consultation_journal: 'Consultation du journal',
  compte_cree: 'Compte créé',
  compte_modifie: 'Compte modifié',
  compte_desactive: 'Compte désactivé',
  purge: 'Purge (durée de conservation)',
  chaine_reprise: 'Scellement du journal (entrées antérieures reprises)',
  programme: 'Programme d’actions : statut ou commentaire d’une fiche',
  decision_caleol: 'Décision de CALEOL ou réponse du ménage enregistrée',
  conventions: 'Conventions de réservation en flux : import ou part modifiée',
  simulation: 'Simulation d’une politique d’attribution : lancée ou annulée',
  correspondance: 'Correspondance d’en-têtes enregistrée, remplacée ou supprimée',
};

export const isActionJournal = (value: string): value is ActionJournal => (ACTIONS_JOURNAL as readonly string[]).includes(value);

export interface EntreeJournal {
  readonly utilisateurId: number | null;
  /** The account's e-mail, « démonstration », « système » or « ligne de commande ». */
  readonly utilisateur: string;
  readonly role: string | null;
  readonly action: ActionJournal;
  readonly objet: string;
  readonly details?: Record<string, unknown>;
}

export interface LigneJournal {
  readonly id: number;
  readonly date: string;
  readonly utilisateur: string;
  readonly role: string | null;
  readonly action: ActionJournal;
  readonly objet: string;
  readonly details: string | null;
}

interface ChaineRow {
  id: number;
  date: string;
  utilisateur_id: number | null;
  utilisateur: string;
  role: string | null;
  action: string;
  objet: string;
  details: string | null;
  precedente: string;
  empreinte: string;
}

type Champs = Omit<ChaineRow, 'precedente' | 'empreinte'>;

/** The hash the first entry of a log follows. */
export const ORIGINE = '0'.repeat(64);

const contenu = (e: Champs): string => JSON.stringify([e.id, e.date, e.utilisateur_id, e.utilisateur, e.role, e.action, e.objet, e.details]);

/** The unkeyed SHA-256 of the entries written before the log was sealed (kept to check them, never to write). */
export function empreinteNonScellee(precedente: string, e: Champs): string {
  return createHash('sha256').update(`${precedente}\n${contenu(e)}`).digest('hex');
}

/** HMAC-SHA-256 under the deployment's key over the previous entry's hash and this entry's fields. */
export function empreinteScellee(cle: Buffer, precedente: string, e: Champs): string {
  return createHmac('sha256', cle).update(`${precedente}\n${contenu(e)}`).digest('hex');
}

/** The outcome of a check of the log, for the journal page, the API and the server's log. */
export type VerificationJournal =
  | {
      readonly intacte: true;
      readonly entrees: number;
      /** Entries written before the sealing (unkeyed, but held by the sealing entry's hash), 0 for a log sealed from its start. */
      readonly anterieures: number;
      readonly ancres: number;
    }
  | { readonly intacte: false; readonly entree: number | null; readonly raison: string };

export const texteVerification = (v: VerificationJournal): string =>
  v.intacte
    ? `intacte (${v.entrees} entrée${v.entrees > 1 ? 's' : ''}, ${v.ancres} ancrage${v.ancres > 1 ? 's' : ''}${v.anterieures > 0 ? `, dont ${v.anterieures} antérieure${v.anterieures > 1 ? 's' : ''} au scellement` : ''})`
    : `rompue${v.entree === null ? '' : ` à l’entrée n° ${v.entree}`} : ${v.raison}`;

const SELECT_CHAINE = `SELECT id::INTEGER AS id, strftime(date, '%Y-%m-%d %H:%M:%S.%g') AS date, utilisateur_id, utilisateur, role, action, objet,
         details::VARCHAR AS details, precedente, empreinte FROM journal`;

/**
 * The audit log (table `journal`). Append-only: this class only inserts, reads, and purges entries older than the
 * retention period; there is no update. Callers hold the store alone while they write (no open transaction of
 * another request may swallow the entry).
 *
 * Every entry carries the HMAC, under the key of `scellement` (outside the store), of the previous entry's hash and
 * its own fields; the anchors (outside the store too) pin the head and the floor of the chain. A log written before
 * the key existed is sealed once: a `chaine_reprise` entry, keyed, follows its last unkeyed entry (see `preparer`).
 */
export class JournalRepository {
  private prete: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly scellement: ScellementJournal,
  ) {}

  /**
   * Once per repository, before its first write: seals an unkeyed log left by an earlier version (a `chaine_reprise`
   * entry, keyed, chained to the last unkeyed entry; an anchor records that entry and the floor as they are now).
   * Call it outside any transaction, holding the store alone.
   */
  preparer(maintenant: number = Date.now()): Promise<void> {
    return (this.prete ??= this.sceller(maintenant).catch((error: unknown) => {
      this.prete = null;
      throw error;
    }));
  }

  private async sceller(maintenant: number): Promise<void> {
    const { ancres } = this.scellement.ancres.lire();
    if (ancres.some((a) => a.tete !== null)) return;
    const [reprise] = await this.store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM journal WHERE action = 'chaine_reprise'`);
    if ((reprise?.n ?? 0) > 0) return;
    const rows = await this.store.all<ChaineRow>(`${SELECT_CHAINE} ORDER BY id`);
    const premiere = rows[0];
    if (!premiere) return;
    // Entries already keyed by this key (written before any anchor): nothing to seal.
    if (empreinteScellee(this.scellement.cle, premiere.precedente, premiere) === premiere.empreinte) return;
    const rupture = verifierNonScellees(rows);
    const tete = await this.inserer(
      {
        utilisateurId: null,
        utilisateur: 'système',
        role: null,
        action: 'chaine_reprise',
        objet: 'journal',
        details: { entrees_anterieures: rows.length, premiere: premiere.id, derniere: rows[rows.length - 1]?.id ?? null, verification_anterieure: rupture === null ? 'intacte' : `rompue à l’entrée n° ${rupture}` },
      },
      maintenant,
    );
    this.scellement.ancres.ajouter({ evenement: 'reprise', tete, plancher: premiere.precedente });
  }

  /** Appends an entry; returns its id and hash (an anchor may pin them once its transaction, if any, is committed). */
  async ajouter(entree: EntreeJournal, maintenant: number): Promise<{ id: number; empreinte: string }> {
    await this.preparer(maintenant);
    return this.inserer(entree, maintenant);
  }

  private async inserer(entree: EntreeJournal, maintenant: number): Promise<{ id: number; empreinte: string }> {
    const [last] = await this.store.all<{ empreinte: string }>(`SELECT empreinte FROM journal ORDER BY id DESC LIMIT 1`);
    const [next] = await this.store.all<{ id: number }>(`SELECT nextval('journal_id')::INTEGER AS id`);
    // A log emptied by a retention purge goes on from the floor the purge anchored, not from the origin.
    const precedente = last?.empreinte ?? this.scellement.ancres.lire().ancres.findLast((a) => a.plancher !== null)?.plancher ?? ORIGINE;
    // The date is hashed as stored (millisecond precision), so that the check reads back the same text.
    const row: Champs = {
      id: (next as { id: number }).id,
      date: versSql(maintenant),
      utilisateur_id: entree.utilisateurId,
      utilisateur: entree.utilisateur.slice(0, 254),
      role: entree.role,
      action: entree.action,
      objet: entree.objet.slice(0, 500),
      details: entree.details === undefined ? null : JSON.stringify(entree.details),
    };
    const empreinte = empreinteScellee(this.scellement.cle, precedente, row);
    await this.store.run(`INSERT INTO journal VALUES ($1, $2::TIMESTAMP, $3, $4, $5, $6, $7, $8::JSON, $9, $10)`, [
      row.id,
      row.date,
      row.utilisateur_id,
      row.utilisateur,
      row.role,
      row.action,
      row.objet,
      row.details,
      precedente,
      empreinte,
    ]);
    return { id: row.id, empreinte };
  }

  /** Records the head of the chain as it is now (committed): a later deletion of the newest entries contradicts it. */
  async ancrer(evenement: 'demarrage' | 'ecriture' | 'point' | 'arret' | 'ligne de commande', tete?: { id: number; empreinte: string }): Promise<void> {
    const actuelle = tete ?? (await this.tete());
    this.scellement.ancres.ajouter({ evenement, tete: actuelle, plancher: null });
  }

  /** The last entry, or null. */
  async tete(): Promise<{ id: number; empreinte: string } | null> {
    const [row] = await this.store.all<{ id: number; empreinte: string }>(`SELECT id::INTEGER AS id, empreinte FROM journal ORDER BY id DESC LIMIT 1`);
    return row ?? null;
  }

  async lister(filtre: { action?: ActionJournal; utilisateur?: string; limite: number }): Promise<{ lignes: LigneJournal[]; total: number }> {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filtre.action) {
      params.push(filtre.action);
      where.push(`action = $${params.length}`);
    }
    if (filtre.utilisateur) {
      params.push(filtre.utilisateur);
      where.push(`lower(utilisateur) = lower($${params.length})`);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM journal ${clause}`, params);
    params.push(filtre.limite);
    const lignes = await this.store.all<LigneJournal>(
      `SELECT id::INTEGER AS id, ${isoSql('date')} AS date, utilisateur, role, action, objet, details::VARCHAR AS details
         FROM journal ${clause} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return { lignes, total: count?.n ?? 0 };
  }

  /**
   * Checks the whole log against the key and the anchors. Detected: an entry edited (even with its hash recomputed
   * without the key), inserted, deleted or moved; the newest entries deleted (an anchor names a vanished or different
   * head); the oldest deleted outside a retention purge (the oldest entry follows neither the origin nor an anchored
   * floor); the anchors file removed or a line of it forged.
   */
  async verifier(): Promise<VerificationJournal> {
    const rows = await this.store.all<ChaineRow>(`${SELECT_CHAINE} ORDER BY id`);
    const { ancres, probleme } = this.scellement.ancres.lire();
    if (probleme) return { intacte: false, entree: null, raison: probleme };
    const ancrees = ancres.filter((a) => a.tete !== null);
    const premiere = rows[0];
    if (!premiere) {
      const derniere = ancrees[ancrees.length - 1];
      return derniere?.tete ? { intacte: false, entree: null, raison: `le journal a été vidé (il allait au moins jusqu’à l’entrée n° ${derniere.tete.id}, ancrée le ${derniere.date})` } : { intacte: true, entrees: 0, anterieures: 0, ancres: ancrees.length };
    }
    const planchers = new Set(ancres.map((a) => a.plancher).filter((p) => p !== null));
    if (premiere.precedente !== ORIGINE && !planchers.has(premiere.precedente)) {
      return { intacte: false, entree: premiere.id, raison: 'des entrées plus anciennes ont été retirées hors d’une purge de conservation' };
    }
    // Entries before the (only) sealing entry are unkeyed; its keyed hash covers the last of them.
    let reprise = -1;
    for (const [index, row] of rows.entries()) if (row.action === 'chaine_reprise') reprise = index;
    for (const [index, row] of rows.entries()) {
      const precedente = index === 0 ? premiere.precedente : (rows[index - 1] as ChaineRow).empreinte;
      if (row.precedente !== precedente) return { intacte: false, entree: row.id, raison: 'le chaînage est interrompu : une entrée a été retirée, insérée ou déplacée juste avant' };
      const { precedente: _p, empreinte: stockee, ...champs } = row;
      const attendue = index < reprise ? empreinteNonScellee(row.precedente, champs) : empreinteScellee(this.scellement.cle, row.precedente, champs);
      if (attendue !== stockee) return { intacte: false, entree: row.id, raison: 'l’entrée a été modifiée, ou son empreinte recalculée sans la clé du journal' };
    }
    const parId = new Map(rows.map((r) => [r.id, r.empreinte]));
    // Anchors written before the floor the log starts at may name entries purged since; none after it may.
    const plancher = ancres.findLastIndex((a) => a.plancher === premiere.precedente);
    for (const [index, ancre] of ancres.entries()) {
      if (ancre.tete === null) continue;
      const tete = ancre.tete;
      if (index < plancher && tete.id < premiere.id) continue;
      const empreinte = parId.get(tete.id);
      if (empreinte === undefined) return { intacte: false, entree: tete.id, raison: `l’entrée, ancrée le ${ancre.date}, a disparu : les entrées les plus récentes ont été retirées` };
      if (empreinte !== tete.empreinte) return { intacte: false, entree: tete.id, raison: `l’entrée ne correspond plus à l’ancrage du ${ancre.date}` };
    }
    return { intacte: true, entrees: rows.length, anterieures: Math.max(reprise, 0), ancres: ancrees.length };
  }

  /**
   * Deletes the entries older than the retention period — by id, up to the newest of them, so that the chain keeps
   * no hole — and anchors the new floor; the only deletion there is.
   */
  async purger(avant: number): Promise<number> {
    const [row] = await this.store.all<{ id: number | null; n: number }>(`SELECT max(id)::INTEGER AS id, count(*)::INTEGER AS n FROM journal WHERE date < $1::TIMESTAMP`, [versSql(avant)]);
    if (!row || row.id === null) return 0;
    const [limite] = await this.store.all<{ n: number; empreinte: string }>(`SELECT count(*)::INTEGER AS n, arg_max(empreinte, id) AS empreinte FROM journal WHERE id <= $1`, [row.id]);
    await this.store.run(`DELETE FROM journal WHERE id <= $1`, [row.id]);
    this.scellement.ancres.ajouter({ evenement: 'purge', tete: null, plancher: (limite as { empreinte: string }).empreinte });
    return limite?.n ?? 0;
  }
}

/** The first unkeyed entry whose hash does not follow (the check of the log before it was sealed), or null. */
function verifierNonScellees(rows: readonly ChaineRow[]): number | null {
  for (const [index, row] of rows.entries()) {
    if (index > 0 && row.precedente !== (rows[index - 1] as ChaineRow).empreinte) return row.id;
    const { precedente, empreinte, ...champs } = row;
    if (empreinteNonScellee(precedente, champs) !== empreinte) return row.id;
  }
  return null;
}
