import type { Store } from '@mixite/data';
import type { Role } from '../auth/roles.ts';
import { isoSql, versSql } from './temps.ts';

export interface Utilisateur {
  readonly id: number;
  readonly email: string;
  readonly nom: string | null;
  readonly role: Role;
  readonly perimetre: string | null;
  readonly actif: boolean;
  readonly date_creation: string;
}

interface UtilisateurRow extends Utilisateur {
  readonly mot_de_passe: string;
}

export interface NouvelUtilisateur {
  readonly email: string;
  readonly nom: string | null;
  readonly role: Role;
  readonly perimetre: string | null;
  /** The scrypt hash (auth/mot-de-passe.ts), never the password. */
  readonly motDePasse: string;
}

const COLONNES = `id, email, nom, role, perimetre, actif, ${isoSql('date_creation')} AS date_creation`;

/** E-mails are compared trimmed and in lower case: « Agent@EPCI.fr » and « agent@epci.fr » are one account. */
export const normaliserEmail = (email: string): string => email.trim().toLowerCase();

const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
export const emailValide = (email: string): boolean => email.length <= 254 && EMAIL.test(email);

/** The accounts (table `utilisateurs`). Callers order access to the store (the server's lock, the CLI alone). */
export class UtilisateursRepository {
  constructor(private readonly store: Store) {}

  /** With the password hash: for the login only. */
  async pourConnexion(email: string): Promise<UtilisateurRow | null> {
    const [row] = await this.store.all<UtilisateurRow>(`SELECT ${COLONNES}, mot_de_passe FROM utilisateurs WHERE email = $1`, [normaliserEmail(email)]);
    return row ?? null;
  }

  async parEmail(email: string): Promise<Utilisateur | null> {
    const [row] = await this.store.all<Utilisateur>(`SELECT ${COLONNES} FROM utilisateurs WHERE email = $1`, [normaliserEmail(email)]);
    return row ?? null;
  }

  async lister(): Promise<Utilisateur[]> {
    return this.store.all<Utilisateur>(`SELECT ${COLONNES} FROM utilisateurs ORDER BY email`);
  }

  async compterAdministrateurs(): Promise<number> {
    const [row] = await this.store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM utilisateurs WHERE role = 'admin' AND actif`);
    return row?.n ?? 0;
  }

  async creer(nouveau: NouvelUtilisateur, maintenant: number): Promise<Utilisateur> {
    const date = versSql(maintenant);
    await this.store.run(
      `INSERT INTO utilisateurs (email, nom, role, perimetre, mot_de_passe, actif, date_creation, date_modification)
       VALUES ($1, $2, $3, $4, $5, true, $6::TIMESTAMP, $6::TIMESTAMP)`,
      [normaliserEmail(nouveau.email), nouveau.nom, nouveau.role, nouveau.perimetre, nouveau.motDePasse, date],
    );
    return (await this.parEmail(nouveau.email)) as Utilisateur;
  }

  async changerMotDePasse(email: string, motDePasse: string, maintenant: number): Promise<boolean> {
    const before = await this.parEmail(email);
    if (!before) return false;
    await this.store.run(`UPDATE utilisateurs SET mot_de_passe = $2, actif = true, date_modification = $3::TIMESTAMP WHERE email = $1`, [
      normaliserEmail(email),
      motDePasse,
      versSql(maintenant),
    ]);
    return true;
  }

  async desactiver(email: string, maintenant: number): Promise<Utilisateur | null> {
    const before = await this.parEmail(email);
    if (!before) return null;
    await this.store.run(`UPDATE utilisateurs SET actif = false, date_modification = $2::TIMESTAMP WHERE email = $1`, [normaliserEmail(email), versSql(maintenant)]);
    return { ...before, actif: false };
  }
}
