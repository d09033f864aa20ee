import type { Store } from '@mixite/data';
import { Limiteur } from '../auth/limiteur.ts';
import { hashLeurre, verifierMotDePasse } from '../auth/mot-de-passe.ts';
import { porteeDe } from '../auth/roles.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import type { ReadWriteLock } from '../http/lock.ts';
import type { SessionCourante, Viewer } from '../http/viewer.ts';
import { normaliserEmail, UtilisateursRepository } from '../repositories/utilisateurs-repository.ts';
import type { Utilisateur } from '../repositories/utilisateurs-repository.ts';
import type { SessionRow } from '../repositories/sessions-repository.ts';
import { empreinteJeton, SessionsRepository } from '../repositories/sessions-repository.ts';
import type { ReglesSecurite } from '../securite.ts';
import type { Audit } from './audit.ts';

/** Sessions refresh their last activity in the store at most this often: not every request writes to it. */
const RAFRAICHISSEMENT_MS = 60_000;
/** Sessions kept in memory (the store stays the reference: a restart reads them back). */
const SESSIONS_EN_MEMOIRE = 10_000;

export interface Connexion {
  readonly jeton: string;
  readonly session: SessionCourante;
  readonly viewer: Viewer;
}

/** Login, sessions and logout, with the throttling of failed attempts. */
export class Authentification {
  readonly utilisateurs: UtilisateursRepository;
  private readonly sessions: SessionsRepository;
  /** Failures of one account from one address: an attacker elsewhere never slows the real user down. */
  private readonly parCompte: Limiteur;
  private readonly parAdresse: Limiteur;
  /**
   * Valid sessions by the hash of their token, with their last activity. The server is the only process writing to
   * the store while it runs (DuckDB locks the file), so memory and store agree; reading memory keeps the requests of a
   * logged-in user from queueing behind an import that holds the store.
   */
  private readonly enMemoire = new Map<string, { row: SessionRow; activiteStockee: number }>();

  constructor(
    store: Store,
    private readonly lock: ReadWriteLock,
    private readonly audit: Audit,
    private readonly regles: ReglesSecurite,
  ) {
    this.utilisateurs = new UtilisateursRepository(store);
    this.sessions = new SessionsRepository(store);
    this.parCompte = new Limiteur(regles.limiteCompte, regles.maintenant);
    this.parAdresse = new Limiteur(regles.limiteAdresse, regles.maintenant);
  }

  /**
   * Checks the password and opens a new session. The token of a session the browser already held is revoked: a
   * login never keeps a token chosen or seen before it (session fixation). The same answer, after the same work,
   * for an unknown account and a wrong password.
   */
  async connecter(email: string, motDePasse: string, adresse: string, ancienJeton: string | null): Promise<Connexion> {
    const compte = normaliserEmail(email);
    const cleCompte = cleCompteAdresse(compte, adresse);
    const attenteCompte = this.parCompte.debuter(cleCompte);
    if (attenteCompte > 0) throw bloque(attenteCompte);
    const attenteAdresse = this.parAdresse.debuter(adresse);
    if (attenteAdresse > 0) {
      this.parCompte.terminer(cleCompte, true, false);
      throw bloque(attenteAdresse);
    }
    let utilisateur: Awaited<ReturnType<UtilisateursRepository['pourConnexion']>> = null;
    let valide = false;
    try {
      utilisateur = await this.lock.read(() => this.utilisateurs.pourConnexion(compte));
      const hash = utilisateur?.mot_de_passe ?? (await hashLeurre());
      valide = (await verifierMotDePasse(motDePasse, hash)) && utilisateur !== null && utilisateur.actif;
    } finally {
      this.parCompte.terminer(cleCompte, valide, true);
      // A success does not clear the address's failures: one valid account must not reset the count of guesses on others.
      this.parAdresse.terminer(adresse, valide, false);
    }
    if (!valide || !utilisateur) {
      // The typed e-mail is logged only when it names an account: a password typed in the wrong field stays out of the log.
      await this.audit.ecrire(anonyme(utilisateur), 'connexion_refusee', utilisateur ? utilisateur.email : 'compte inconnu', { adresse });
      throw new UnauthorizedError('adresse e-mail ou mot de passe incorrect');
    }
    const now = this.regles.maintenant();
    const viewer = viewerDe(utilisateur);
    const nouvelle = await this.lock.alone(async () => {
      if (ancienJeton) {
        const ancienne = empreinteJeton(ancienJeton);
        this.enMemoire.delete(ancienne);
        await this.sessions.supprimer(ancienne);
      }
      await this.sessions.purger(now, this.regles.inactiviteMs);
      const session = await this.sessions.creer(utilisateur.id, now, this.regles.dureeMaxMs);
      await this.audit.ecrireDejaSeul(viewer, 'connexion', utilisateur.email, { adresse });
      return session;
    });
    this.retenir({
      empreinte: nouvelle.empreinte,
      jeton_csrf: nouvelle.csrf,
      creation: now,
      activite: now,
      expiration: nouvelle.expiration,
      utilisateur_id: utilisateur.id,
      email: utilisateur.email,
      nom: utilisateur.nom,
      role: utilisateur.role,
      perimetre: utilisateur.perimetre,
    });
    return { jeton: nouvelle.jeton, session: { empreinte: nouvelle.empreinte, csrf: nouvelle.csrf, expiration: Math.min(nouvelle.expiration, now + this.regles.inactiviteMs) }, viewer };
  }

  /**
   * An administrator lifts the login delays of an account (from every address), of an address, or of everything
   * when neither is given. Returns how many keys had failures.
   */
  debloquer(cible: { compte?: string | null; adresse?: string | null }): number {
    const compte = cible.compte ? normaliserEmail(cible.compte) : null;
    const adresse = cible.adresse ?? null;
    const tout = compte === null && adresse === null;
    const parCompte = this.parCompte.oublier((cle) => {
      const [c, a] = cle.split(SEPARATEUR);
      return tout || (compte !== null && c === compte && (adresse === null || a === adresse)) || (compte === null && a === adresse);
    });
    const parAdresse = compte !== null && adresse === null ? 0 : this.parAdresse.oublier((cle) => tout || cle === adresse);
    return parCompte + parAdresse;
  }

  /** The session of a cookie's token, if it is valid now (account active, neither idle too long nor past its end). */
  async session(jeton: string): Promise<{ session: SessionCourante; viewer: Viewer } | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(jeton)) return null;
    const empreinte = empreinteJeton(jeton);
    let memo = this.enMemoire.get(empreinte);
    if (!memo) {
      const row = await this.lock.read(() => this.sessions.trouver(jeton));
      if (!row) return null;
      memo = this.retenir(row);
    }
    const row = memo.row;
    const now = this.regles.maintenant();
    if (now >= row.expiration || now - row.activite >= this.regles.inactiviteMs) {
      this.enMemoire.delete(empreinte);
      await this.lock.alone(() => this.sessions.supprimer(empreinte));
      return null;
    }
    memo.row = { ...row, activite: now };
    if (now - memo.activiteStockee >= RAFRAICHISSEMENT_MS) {
      memo.activiteStockee = now;
      // Not awaited: the request goes on while the store is busy; a lost refresh only shortens the session after a restart.
      void this.lock.alone(() => this.sessions.toucher(empreinte, now)).catch(() => undefined);
    }
    return { session: { empreinte, csrf: row.jeton_csrf, expiration: Math.min(row.expiration, now + this.regles.inactiviteMs) }, viewer: viewerDeSession(row) };
  }

  async deconnecter(viewer: Viewer, session: SessionCourante): Promise<void> {
    this.enMemoire.delete(session.empreinte);
    await this.lock.alone(async () => {
      await this.sessions.supprimer(session.empreinte);
      await this.audit.ecrireDejaSeul(viewer, 'deconnexion', viewer.email ?? viewer.nom);
    });
  }

  async purgerSessions(): Promise<void> {
    const now = this.regles.maintenant();
    for (const [empreinte, { row }] of this.enMemoire) {
      if (now >= row.expiration || now - row.activite >= this.regles.inactiviteMs) this.enMemoire.delete(empreinte);
    }
    await this.lock.alone(() => this.sessions.purger(now, this.regles.inactiviteMs));
  }

  private retenir(row: SessionRow): { row: SessionRow; activiteStockee: number } {
    const memo = { row, activiteStockee: row.activite };
    this.enMemoire.set(row.empreinte, memo);
    if (this.enMemoire.size > SESSIONS_EN_MEMOIRE) this.enMemoire.delete(this.enMemoire.keys().next().value as string);
    return memo;
  }
}

const SEPARATEUR = '\u0000';
const cleCompteAdresse = (compte: string, adresse: string) => `${compte}${SEPARATEUR}${adresse}`;

function bloque(ms: number): TooManyRequestsError {
  const secondes = Math.ceil(ms / 1000);
  const minutes = Math.ceil(secondes / 60);
  return new TooManyRequestsError(
    `trop de tentatives de connexion : réessayez dans ${secondes < 120 ? `${secondes} secondes` : `${minutes} minutes`}`,
    secondes,
  );
}

export function viewerDe(u: Pick<Utilisateur, 'id' | 'email' | 'nom' | 'role' | 'perimetre'>): Viewer {
  return { nom: u.nom || u.email, role: u.role, utilisateurId: u.id, email: u.email, perimetre: u.perimetre, portee: porteeDe(u.role, u.perimetre) };
}

const viewerDeSession = (row: SessionRow): Viewer =>
  viewerDe({ id: row.utilisateur_id, email: row.email, nom: row.nom, role: row.role, perimetre: row.perimetre });

/** Who a refused login is logged as. */
function anonyme(utilisateur: Utilisateur | null): Viewer {
  return utilisateur
    ? { ...viewerDe(utilisateur), portee: { kind: 'aucune' } }
    : { nom: 'inconnu', role: 'lecteur', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'aucune' } };
}
