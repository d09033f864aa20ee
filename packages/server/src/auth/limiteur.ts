/**
 * Login throttling by exponential backoff, never by a lock someone else can trigger. Failures are counted per key
 * (an account seen from one address; an address whatever the accounts); past the free failures, each new failure
 * makes the key wait twice as long as the last one before its next attempt, up to a ceiling. During the wait every
 * attempt — even with the right password — is refused without checking it (429 and Retry-After).
 *
 * Why per account *and* address: a hard lock per account lets five anonymous requests lock out anyone, the
 * administrator included. Keyed by (account, address), an attacker slows down only its own address; the real user,
 * from another address, logs in as usual. The per-address key bounds an address trying many accounts.
 *
 * An attempt counts from its start (`debuter`), so that a burst of parallel attempts cannot pass the check
 * together before the first failure is recorded. Kept in memory: a restart forgets the counters (which only gives
 * an attacker its free failures again); an administrator can lift a key's delays (`oublier`).
 */
export interface RegleLimitation {
  /** Failures allowed before the delays start. */
  readonly echecsLibres: number;
  /** The wait after the first failure beyond the free ones; doubled at each further failure… */
  readonly delaiInitialMs: number;
  /** …up to this. */
  readonly delaiMaxMs: number;
  /** A key's failures are forgotten after this long without a failure. */
  readonly oubliMs: number;
}

interface Etat {
  echecs: number;
  enCours: number;
  /** Start of the last attempt or time of the last failure. */
  dernier: number;
  /** No attempt before this time. */
  prochainEssai: number;
}

/** Beyond this many keys the oldest are forgotten, so that a flood of addresses cannot exhaust memory. */
const CLES_MAX = 100_000;

export class Limiteur {
  private readonly etats = new Map<string, Etat>();

  constructor(
    private readonly regle: RegleLimitation,
    private readonly maintenant: () => number,
  ) {}

  /** The wait imposed after the n-th failure (0 while the failures are free). */
  delai(echecs: number): number {
    if (echecs < this.regle.echecsLibres) return 0;
    const puissance = Math.min(echecs - this.regle.echecsLibres, 40);
    return Math.min(this.regle.delaiMaxMs, this.regle.delaiInitialMs * 2 ** puissance);
  }

  /**
   * Starts an attempt: 0 when it may go on (then `terminer` must follow), else the milliseconds to wait.
   * Attempts in progress count as failures until they end.
   */
  debuter(cle: string): number {
    const now = this.maintenant();
    const etat = this.etat(cle, now);
    if (etat.prochainEssai > now) return etat.prochainEssai - now;
    // Attempts still running may all fail: past the free ones, one at a time, each after the wait it would earn.
    const attente = etat.enCours > 0 ? this.delai(etat.echecs + etat.enCours) : 0;
    if (attente > 0 && now - etat.dernier < attente) return Math.max(1000, attente - (now - etat.dernier));
    etat.enCours += 1;
    etat.dernier = now;
    return 0;
  }

  /** Ends an attempt; `oublier` clears the key's failures (a successful login to that account from that address). */
  terminer(cle: string, reussie: boolean, oublier: boolean): void {
    const now = this.maintenant();
    const etat = this.etat(cle, now);
    etat.enCours = Math.max(0, etat.enCours - 1);
    if (reussie) {
      if (oublier) {
        etat.echecs = 0;
        etat.prochainEssai = 0;
      }
    } else {
      etat.echecs += 1;
      etat.dernier = now;
      etat.prochainEssai = now + this.delai(etat.echecs);
    }
    if (etat.echecs === 0 && etat.enCours === 0 && etat.prochainEssai <= now) this.etats.delete(cle);
  }

  /** Lifts the delays of the keys `quelles` selects (an administrator's unlock); returns how many were lifted. */
  oublier(quelles: (cle: string) => boolean): number {
    let n = 0;
    for (const [cle, etat] of this.etats) {
      if (!quelles(cle)) continue;
      n += etat.echecs > 0 ? 1 : 0;
      etat.echecs = 0;
      etat.prochainEssai = 0;
      if (etat.enCours === 0) this.etats.delete(cle);
    }
    return n;
  }

  private etat(cle: string, now: number): Etat {
    let etat = this.etats.get(cle);
    if (!etat) {
      etat = { echecs: 0, enCours: 0, dernier: 0, prochainEssai: 0 };
      this.etats.set(cle, etat);
      if (this.etats.size > CLES_MAX) this.etats.delete(this.etats.keys().next().value as string);
    }
    if (etat.echecs > 0 && etat.enCours === 0 && now - etat.dernier >= this.regle.oubliMs && etat.prochainEssai <= now) etat.echecs = 0;
    return etat;
  }
}

/**
 * Per account and address: 5 free failures, then 1 s, 2 s, 4 s… up to 15 minutes between attempts; forgotten after
 * an hour without failure. Guessing one password from one address: about a hundred tries a day.
 */
export const LIMITE_COMPTE: RegleLimitation = { echecsLibres: 5, delaiInitialMs: 1000, delaiMaxMs: 15 * 60_000, oubliMs: 60 * 60_000 };
/** Per address, whatever the accounts tried: 20 free failures, then the same doubling delays. */
export const LIMITE_ADRESSE: RegleLimitation = { echecsLibres: 20, delaiInitialMs: 1000, delaiMaxMs: 15 * 60_000, oubliMs: 60 * 60_000 };
