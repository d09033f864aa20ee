import type { Store } from '@mixite/data';
import { Limiteur } from '../auth/limiteur.ts';
import { hashLeurre, verifierMotDePasse } from '../auth/mot-de-passe.ts';
import { porteeDe } from '../auth/roles.ts';
import { TooManyRequestsError, UnauthorizedError } from '../http/errors.ts';
import type { ReadWriteLock } from '../http/lock.ts';
import type { SessionCourante, Viewer } from '../http/viewer.ts';
import { normaliserEmail, UtilisateursRepository } from '../repositories/utilisateurs-repository.ts';
import type { Utilisateur } from '../repositories/utilisateurs-repository.ts';
import type { SessionDbo } from '../repositories/sessions-repository.ts';
import { empreinteJeton, SessionsRepository } from '../repositories/sessions-repository.ts';
import type { ReglesSecurite } from '../securite.ts';
import type { Audit } from './audit.ts';

/** Sessions refresh their last activity at most this often: not every request writes to the store. */
const RAFRAICHISSEMENT_MS = 60_000;

export interface Connexion {
  readonly jeton: string;
  readonly session: SessionCourante;
  readonly viewer: Viewer;
}

/** Login, sessions and logout, with the throttling of failed attempts. */
export class Authentification {
  readonly utilisateurs: UtilisateursRepository;
  private readonly sessions: SessionsRepository;
  private readonly parCompte: Limiteur;
  private readonly parAdresse: Limiteur;

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
    const attenteCompte = this.parCompte.debuter(compte);
    if (attenteCompte > 0) throw bloque(attenteCompte);
    const attenteAdresse = this.parAdresse.debuter(adresse);
    if (attenteAdresse > 0) {
      this.parCompte.terminer(compte, true, false);
      throw bloque(attenteAdresse);
    }
    let utilisateur: Awaited<ReturnType<UtilisateursRepository['pourConnexion']>> = null;
    let valide = false;
    try {
      utilisateur = await this.lock.read(() => this.utilisateurs.pourConnexion(compte));
      const hash = utilisateur?.mot_de_passe ?? (await hashLeurre());
      valide = (await verifierMotDePasse(motDePasse, hash)) && utilisateur !== null && utilisateur.actif;
    } finally {
      this.parCompte.terminer(compte, valide, true);
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
      if (ancienJeton) await this.sessions.supprimer(empreinteJeton(ancienJeton));
      await this.sessions.purger(now, this.regles.inactiviteMs);
      const session = await this.sessions.creer(utilisateur.id, now, this.regles.dureeMaxMs);
      await this.audit.ecrireDejaSeul(viewer, 'connexion', utilisateur.email, { adresse });
      return session;
    });
    return { jeton: nouvelle.jeton, session: { empreinte: nouvelle.empreinte, csrf: nouvelle.csrf, expiration: nouvelle.expiration }, viewer };
  }

  /** The session of a cookie's token, if it is valid now (account active, neither idle too long nor past its end). */
  async session(jeton: string): Promise<{ session: SessionCourante; viewer: Viewer } | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(jeton)) return null;
    const row = await this.lock.read(() => this.sessions.trouver(jeton));
    if (!row) return null;
    const now = this.regles.maintenant();
    if (now >= row.expiration || now - row.activite >= this.regles.inactiviteMs) {
      await this.lock.alone(() => this.sessions.supprimer(row.empreinte));
      return null;
    }
    if (now - row.activite >= RAFRAICHISSEMENT_MS) await this.lock.alone(() => this.sessions.toucher(row.empreinte, now));
    return { session: { empreinte: row.empreinte, csrf: row.jeton_csrf, expiration: Math.min(row.expiration, now + this.regles.inactiviteMs) }, viewer: viewerDeSession(row) };
  }

  async deconnecter(viewer: Viewer, session: SessionCourante): Promise<void> {
    await this.lock.alone(async () => {
      await this.sessions.supprimer(session.empreinte);
      await this.audit.ecrireDejaSeul(viewer, 'deconnexion', viewer.email ?? viewer.nom);
    });
  }

  async purgerSessions(): Promise<void> {
    await this.lock.alone(() => this.sessions.purger(this.regles.maintenant(), this.regles.inactiviteMs));
  }
}

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

const viewerDeSession = (row: SessionDbo): Viewer =>
  viewerDe({ id: row.utilisateur_id, email: row.email, nom: row.nom, role: row.role, perimetre: row.perimetre });

/** Who a refused login is logged as. */
function anonyme(utilisateur: Utilisateur | null): Viewer {
  return utilisateur
    ? { ...viewerDe(utilisateur), portee: { kind: 'aucune' } }
    : { nom: 'inconnu', role: 'lecteur', utilisateurId: null, email: null, perimetre: null, portee: { kind: 'aucune' } };
}
