import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '@mixite/data';
import type { Role } from '../auth/roles.ts';
import { versSql } from './temps.ts';

export interface SessionRow {
  readonly empreinte: string;
  readonly jeton_csrf: string;
  readonly creation: number;
  readonly activite: number;
  readonly expiration: number;
  readonly utilisateur_id: number;
  readonly email: string;
  readonly nom: string | null;
  readonly role: Role;
  readonly perimetre: string | null;
}

export interface NouvelleSession {
  /** Sent once in the cookie, never stored. */
  readonly jeton: string;
  readonly empreinte: string;
  readonly csrf: string;
  readonly expiration: number;
}

/** SHA-256 of a session token: the key of its row. */
export const empreinteJeton = (jeton: string): string => createHash('sha256').update(jeton).digest('hex');

const jetonAleatoire = () => randomBytes(32).toString('base64url');

/** Sessions of the accounts (table `sessions`), keyed by the hash of their token. */
export class SessionsRepository {
  constructor(private readonly store: Store) {}

  async creer(utilisateurId: number, maintenant: number, dureeMaxMs: number): Promise<NouvelleSession> {
    const jeton = jetonAleatoire();
    const csrf = jetonAleatoire();
    const empreinte = empreinteJeton(jeton);
    const expiration = maintenant + dureeMaxMs;
    await this.store.run(
      `INSERT INTO sessions VALUES ($1, $2, $3, $4::TIMESTAMP, $4::TIMESTAMP, $5::TIMESTAMP)`,
      [empreinte, utilisateurId, csrf, versSql(maintenant), versSql(expiration)],
    );
    return { jeton, empreinte, csrf, expiration };
  }

  /** The session of a token with its account, when the account is active; the caller checks the times. */
  async trouver(jeton: string): Promise<SessionRow | null> {
    const [row] = await this.store.all<SessionRow>(
      `SELECT s.empreinte, s.jeton_csrf, epoch_ms(s.date_creation)::DOUBLE AS creation, epoch_ms(s.date_activite)::DOUBLE AS activite,
              epoch_ms(s.date_expiration)::DOUBLE AS expiration, u.id AS utilisateur_id, u.email, u.nom, u.role, u.perimetre
         FROM sessions s JOIN utilisateurs u ON u.id = s.utilisateur_id
        WHERE s.empreinte = $1 AND u.actif`,
      [empreinteJeton(jeton)],
    );
    return row ?? null;
  }

  async toucher(empreinte: string, maintenant: number): Promise<void> {
    await this.store.run(`UPDATE sessions SET date_activite = $2::TIMESTAMP WHERE empreinte = $1`, [empreinte, versSql(maintenant)]);
  }

  async supprimer(empreinte: string): Promise<void> {
    await this.store.run(`DELETE FROM sessions WHERE empreinte = $1`, [empreinte]);
  }

  async supprimerDuCompte(utilisateurId: number): Promise<void> {
    await this.store.run(`DELETE FROM sessions WHERE utilisateur_id = $1`, [utilisateurId]);
  }

  /** Drops the sessions past their end or idle for too long. */
  async purger(maintenant: number, inactiviteMs: number): Promise<void> {
    await this.store.run(`DELETE FROM sessions WHERE date_expiration <= $1::TIMESTAMP OR date_activite <= $2::TIMESTAMP`, [
      versSql(maintenant),
      versSql(maintenant - inactiviteMs),
    ]);
  }
}
