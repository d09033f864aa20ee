import { createHash } from 'node:crypto';
import type { Store } from '@mixite/data';
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

interface ChaineDbo {
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

const ORIGINE = '0'.repeat(64);

/** SHA-256 over the previous entry's hash and this entry's fields: editing or removing an entry breaks the chain. */
function empreinte(precedente: string, e: Omit<ChaineDbo, 'precedente' | 'empreinte'>): string {
  const contenu = JSON.stringify([e.id, e.date, e.utilisateur_id, e.utilisateur, e.role, e.action, e.objet, e.details]);
  return createHash('sha256').update(`${precedente}\n${contenu}`).digest('hex');
}

/**
 * The audit log (table `journal`). Append-only: this class only inserts, reads, and purges entries older than the
 * retention period; there is no update. Callers hold the store alone while they write (no open transaction of
 * another request may swallow the entry).
 */
export class JournalRepository {
  constructor(private readonly store: Store) {}

  async ajouter(entree: EntreeJournal, maintenant: number): Promise<void> {
    const [last] = await this.store.all<{ empreinte: string }>(`SELECT empreinte FROM journal ORDER BY id DESC LIMIT 1`);
    const [next] = await this.store.all<{ id: number }>(`SELECT nextval('journal_id')::INTEGER AS id`);
    const precedente = last?.empreinte ?? ORIGINE;
    // The date is hashed as stored (millisecond precision), so that the check reads back the same text.
    const date = versSql(maintenant);
    const row = {
      id: (next as { id: number }).id,
      date,
      utilisateur_id: entree.utilisateurId,
      utilisateur: entree.utilisateur.slice(0, 254),
      role: entree.role,
      action: entree.action,
      objet: entree.objet.slice(0, 500),
      details: entree.details === undefined ? null : JSON.stringify(entree.details),
    };
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
      empreinte(precedente, row),
    ]);
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

  /** The first entry whose hash does not follow from the one before (an edit, an insertion, a deletion), or null. */
  async verifier(): Promise<number | null> {
    const rows = await this.store.all<ChaineDbo>(
      `SELECT id::INTEGER AS id, strftime(date, '%Y-%m-%d %H:%M:%S.%g') AS date, utilisateur_id, utilisateur, role, action, objet,
              details::VARCHAR AS details, precedente, empreinte
         FROM journal ORDER BY id`,
    );
    let attendue: string | null = null;
    for (const row of rows) {
      // After a purge the chain starts at the oldest kept entry, whatever it follows.
      if (attendue !== null && row.precedente !== attendue) return row.id;
      const { precedente, empreinte: stockee, ...champs } = row;
      if (empreinte(precedente, champs) !== stockee) return row.id;
      attendue = stockee;
    }
    return null;
  }

  /** Deletes the entries older than the retention period; the only deletion there is. */
  async purger(avant: number): Promise<number> {
    const [row] = await this.store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM journal WHERE date < $1::TIMESTAMP`, [versSql(avant)]);
    if ((row?.n ?? 0) > 0) await this.store.run(`DELETE FROM journal WHERE date < $1::TIMESTAMP`, [versSql(avant)]);
    return row?.n ?? 0;
  }
}
