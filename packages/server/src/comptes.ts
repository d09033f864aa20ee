import { DonneesInvalidesError } from '@mixite/core';
import type { Store } from '@mixite/data';
import { hacherMotDePasse, problemeMotDePasse } from './auth/mot-de-passe.ts';
import type { Role } from './auth/roles.ts';
import { LIBELLES_ROLE, PERIMETRE_DU_ROLE, isRole, problemePerimetre } from './auth/roles.ts';
import type { Viewer } from './http/viewer.ts';
import { JournalRepository } from './repositories/journal-repository.ts';
import type { ScellementJournal } from './services/scellement-journal.ts';
import { scellementDuStore } from './services/scellement-journal.ts';
import { perimetreConnu } from './repositories/etat-donnees-repository.ts';
import { SessionsRepository } from './repositories/sessions-repository.ts';
import type { Utilisateur } from './repositories/utilisateurs-repository.ts';
import { UtilisateursRepository, emailValide, normaliserEmail } from './repositories/utilisateurs-repository.ts';

/**
 * Account management for the command line (`mixite utilisateur`): the server has no page to create accounts, so
 * that the first administrator — and every other — is made by someone who holds the server. Same tables, same
 * rules, same audit log as the server.
 */
export { ROLES, LIBELLES_ROLE, LIBELLES_TYPE_PERIMETRE, PERIMETRE_DU_ROLE, isRole } from './auth/roles.ts';
export type { Role } from './auth/roles.ts';
export { LONGUEUR_MIN_MOT_DE_PASSE, problemeMotDePasse } from './auth/mot-de-passe.ts';
export type { Utilisateur } from './repositories/utilisateurs-repository.ts';
// The audit log's key and its check, for `mixite journal`.
export { CleJournalError, cheminCleJournal, creerCle, ouvrirScellement } from './services/scellement-journal.ts';
export { JournalRepository, texteVerification } from './repositories/journal-repository.ts';

/** What the first start of production says: there is no default password, the first administrator is made on the server. */
export const PREMIER_ADMINISTRATEUR = [
  'Aucun compte administrateur : personne ne peut encore se connecter (il n’y a pas de mot de passe par défaut).',
  'Créez le premier compte sur ce serveur, que Mixité tourne ou non (la commande passe par le serveur s’il tourne) :',
  '  npx mixite utilisateur ajouter --email vous@exemple.fr --role admin',
  'puis connectez-vous avec cette adresse.',
].join('\n');

/** A refused account operation: the message says why, in French. */
export class CompteRefuseError extends DonneesInvalidesError {}

const LIGNE_DE_COMMANDE: Viewer = {
  nom: 'ligne de commande',
  role: 'admin',
  utilisateurId: null,
  email: null,
  perimetre: null,
  portee: { kind: 'territoire' },
};

export interface NouveauCompte {
  readonly email: string;
  readonly role: string;
  readonly perimetre?: string | null;
  readonly nom?: string | null;
  readonly motDePasse: string;
}

export class Comptes {
  private readonly utilisateurs: UtilisateursRepository;
  private readonly journal: JournalRepository;
  private readonly sessions: SessionsRepository;

  constructor(
    private readonly store: Store,
    private readonly maintenant: () => number = () => Date.now(),
    // The audit log's key and anchors: those of the store (the key file beside it, or MIXITE_CLE_JOURNAL), made on
    // first use — the first administrator of a new deployment is created here, before the server ever starts.
    scellement: ScellementJournal = scellementDuStore(store, { creer: true }),
  ) {
    this.utilisateurs = new UtilisateursRepository(store);
    this.journal = new JournalRepository(store, scellement);
    this.sessions = new SessionsRepository(store);
  }

  /** Creates an account; `avertissement` says when the perimeter is not (yet) in the store's reference files. */
  async ajouter(compte: NouveauCompte): Promise<{ utilisateur: Utilisateur; avertissement: string | null }> {
    const email = normaliserEmail(compte.email);
    if (!emailValide(email)) throw new CompteRefuseError(`adresse e-mail invalide : « ${compte.email} »`);
    if (!isRole(compte.role)) throw new CompteRefuseError(`rôle inconnu « ${compte.role} » (attendu : ${Object.keys(LIBELLES_ROLE).join(', ')})`);
    const role: Role = compte.role;
    const perimetre = compte.perimetre?.trim() || null;
    const probleme = problemePerimetre(role, perimetre) ?? problemeMotDePasse(compte.motDePasse);
    if (probleme) throw new CompteRefuseError(probleme);
    if (await this.utilisateurs.parEmail(email)) throw new CompteRefuseError(`un compte existe déjà pour ${email}`);
    const avertissement = perimetre ? await this.perimetreInconnu(role, perimetre) : null;
    const motDePasse = await hacherMotDePasse(compte.motDePasse);
    const utilisateur = await this.transactionJournalisee(async () => {
      const created = await this.utilisateurs.creer({ email, nom: compte.nom?.trim() || null, role, perimetre, motDePasse }, this.maintenant());
      await this.journaliser('compte_cree', email, { role, ...(perimetre ? { perimetre } : {}) });
      return created;
    });
    return { utilisateur, avertissement };
  }

  lister(): Promise<Utilisateur[]> {
    return this.utilisateurs.lister();
  }

  /** A new password; the account's sessions end. */
  async changerMotDePasse(email: string, motDePasse: string): Promise<void> {
    const probleme = problemeMotDePasse(motDePasse);
    if (probleme) throw new CompteRefuseError(probleme);
    const compte = await this.utilisateurs.parEmail(email);
    if (!compte) throw new CompteRefuseError(`aucun compte pour ${normaliserEmail(email)}`);
    const hash = await hacherMotDePasse(motDePasse);
    await this.transactionJournalisee(async () => {
      await this.utilisateurs.changerMotDePasse(email, hash, this.maintenant());
      await this.sessions.supprimerDuCompte(compte.id);
      await this.journaliser('compte_modifie', compte.email, { changement: 'mot de passe' });
    });
  }

  /** The account can no longer log in; its sessions end. Its entries in the audit log stay. */
  async desactiver(email: string): Promise<void> {
    const compte = await this.utilisateurs.parEmail(email);
    if (!compte) throw new CompteRefuseError(`aucun compte pour ${normaliserEmail(email)}`);
    await this.transactionJournalisee(async () => {
      await this.utilisateurs.desactiver(email, this.maintenant());
      await this.sessions.supprimerDuCompte(compte.id);
      await this.journaliser('compte_desactive', compte.email);
    });
  }

  /** A change and its audit entry in one transaction; the log is sealed before it and its head anchored after the commit. */
  private async transactionJournalisee<T>(work: () => Promise<T>): Promise<T> {
    await this.journal.preparer(this.maintenant());
    const result = await this.store.transaction(work);
    await this.journal.ancrer('ligne de commande');
    return result;
  }

  private async journaliser(action: 'compte_cree' | 'compte_modifie' | 'compte_desactive', objet: string, details?: Record<string, unknown>): Promise<void> {
    await this.journal.ajouter(
      { utilisateurId: null, utilisateur: LIGNE_DE_COMMANDE.nom, role: null, action, objet, ...(details ? { details } : {}) },
      this.maintenant(),
    );
  }

  private async perimetreInconnu(role: Role, perimetre: string): Promise<string | null> {
    const type = PERIMETRE_DU_ROLE[role];
    if (await perimetreConnu(this.store, type === 'bailleur' || type === 'reservataire' ? type : 'commune', perimetre)) return null;
    return `« ${perimetre} » n’est pas (encore) dans la base : le compte ne verra aucune attribution tant qu’un import ne l’y aura pas mis`;
  }
}
