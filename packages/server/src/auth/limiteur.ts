/**
 * Login throttling: failures are counted per key (an account, an IP address) in a sliding window; past the
 * limit, the key is blocked for a while and every attempt — even with the right password — is refused without
 * checking it. An attempt counts from its start (`debuter`), so that a burst of parallel attempts cannot pass
 * the check together before the first failure is recorded. Kept in memory: a restart forgets the counters,
 * which only gives an attacker a few more tries.
 */
export interface RegleLimitation {
  /** Failures allowed in the window before the block. */
  readonly echecs: number;
  readonly fenetreMs: number;
  readonly blocageMs: number;
}

interface Etat {
  echecs: number[];
  enCours: number;
  bloqueJusqua: number;
}

/** Beyond this many keys the oldest are forgotten, so that a flood of addresses cannot exhaust memory. */
const CLES_MAX = 100_000;

export class Limiteur {
  private readonly etats = new Map<string, Etat>();

  constructor(
    private readonly regle: RegleLimitation,
    private readonly maintenant: () => number,
  ) {}

  /**
   * Starts an attempt: 0 when it may go on (then `terminer` must follow), else the milliseconds to wait.
   * Attempts in progress count as failures until they end.
   */
  debuter(cle: string): number {
    const now = this.maintenant();
    const etat = this.etat(cle, now);
    if (etat.bloqueJusqua > now) return etat.bloqueJusqua - now;
    if (etat.echecs.length + etat.enCours >= this.regle.echecs) return 1000;
    etat.enCours += 1;
    return 0;
  }

  /** Ends an attempt; `oublier` clears the key's failures (a successful login to that account). */
  terminer(cle: string, reussie: boolean, oublier: boolean): void {
    const now = this.maintenant();
    const etat = this.etat(cle, now);
    etat.enCours = Math.max(0, etat.enCours - 1);
    if (reussie) {
      if (oublier) etat.echecs = [];
    } else {
      etat.echecs.push(now);
      if (etat.echecs.length >= this.regle.echecs) {
        etat.bloqueJusqua = now + this.regle.blocageMs;
        etat.echecs = [];
      }
    }
    if (etat.echecs.length === 0 && etat.enCours === 0 && etat.bloqueJusqua <= now) this.etats.delete(cle);
  }

  private etat(cle: string, now: number): Etat {
    let etat = this.etats.get(cle);
    if (!etat) {
      etat = { echecs: [], enCours: 0, bloqueJusqua: 0 };
      this.etats.set(cle, etat);
      if (this.etats.size > CLES_MAX) this.etats.delete(this.etats.keys().next().value as string);
    }
    etat.echecs = etat.echecs.filter((t) => now - t < this.regle.fenetreMs);
    return etat;
  }
}

/** Per account: 5 failures in 15 minutes block the account for 15 minutes. */
export const LIMITE_COMPTE: RegleLimitation = { echecs: 5, fenetreMs: 15 * 60_000, blocageMs: 15 * 60_000 };
/** Per IP address: 20 failures in 15 minutes, whatever the accounts tried, block the address for 15 minutes. */
export const LIMITE_ADRESSE: RegleLimitation = { echecs: 20, fenetreMs: 15 * 60_000, blocageMs: 15 * 60_000 };
