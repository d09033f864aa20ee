import type { Equation, Masque } from './secret.ts';
import { cellulesDeterminees, masquageSecondaire } from './secret.ts';

/**
 * A registry of published counts for the statistical secrecy of tables that are not indicator cells (the demand
 * side, secret-demande.ts; moved here from the bilan so that the API and the bilan share it). The indicator cells
 * are masked by `appliquerSecret` (secret.ts); the registry reuses its two primitives on its own equations:
 * `masquageSecondaire` (while an equation has exactly one masked term, mask the smallest other positive part)
 * and `cellulesDeterminees` (exact elimination: which masked values the published ones determine).
 *
 * What the indicator equations cannot say, and this registry adds:
 * - the counts of several tables are one set of cells, identified by key: a total printed in three tables
 *   is masked in all three or in none;
 * - equalities between two sums (`egalite`), such as the flow of requests: stock at 31/12 of N−1 + requests
 *   filed in N = stock at 31/12 of N + requests satisfied in N + requests struck off in N. Core's equations are
 *   « total = Σ parts »; Σ left = Σ right is written as two of them through a virtual cell V (V = Σ left,
 *   V = Σ right) that is never published. For the secondary masking V counts as published (it can be computed
 *   from whichever side is fully published), which only masks more; for the exact audit it is an unknown.
 *
 * Primary rule: a count is masked when 0 < count < seuil (zeros count no household and are published).
 * Shares, ratios and means computed from a masked count are masked by the tables that print them.
 */
export class RegistreSecret {
  private readonly index = new Map<string, number>();
  private readonly valeurs: number[] = [];
  private readonly virtuelle: boolean[] = [];
  private readonly equations: Equation[] = [];
  private masques: (Masque | null)[] | null = null;

  /** Declares a published count under a key; declaring a key again with another value is an error. */
  compte(cle: string, valeur: number): string {
    if (this.masques) throw new Error('registre du secret déjà calculé : déclarez tous les comptes avant de masquer');
    if (!Number.isSafeInteger(valeur) || valeur < 0) throw new RangeError(`compte invalide pour ${cle} : ${valeur}`);
    const i = this.index.get(cle);
    if (i === undefined) {
      this.index.set(cle, this.valeurs.length);
      this.valeurs.push(valeur);
      this.virtuelle.push(false);
    } else if (this.valeurs[i] !== valeur) throw new Error(`compte ${cle} déclaré deux fois avec des valeurs différentes (${this.valeurs[i]} et ${valeur})`);
    return cle;
  }

  /** A breakdown: total = Σ parties. Every key must have been declared. */
  somme(total: string, parties: readonly string[]): void {
    this.equations.push({ total: this.cellule(total), parts: parties.map((p) => this.cellule(p)) });
  }

  /** Σ gauche = Σ droite, through a virtual cell (see the header). */
  egalite(gauche: readonly string[], droite: readonly string[]): void {
    const g = gauche.map((c) => this.cellule(c));
    const d = droite.map((c) => this.cellule(c));
    const v = this.valeurs.length;
    this.valeurs.push(g.reduce((sum, c) => sum + (this.valeurs[c] as number), 0));
    this.virtuelle.push(true);
    this.equations.push({ total: v, parts: g }, { total: v, parts: d });
  }

  has(cle: string): boolean {
    return this.index.has(cle);
  }

  /** Applies the secrecy with the threshold; afterwards the registry is read with `valeur` and `masque`. */
  masquer(seuil: number): void {
    const masques: (Masque | null)[] = this.valeurs.map((v, i) => (!this.virtuelle[i] && seuil > 1 && v > 0 && v < seuil ? 'primaire' : null));
    if (seuil > 1) {
      for (;;) {
        masquageSecondaire(this.valeurs, masques, this.equations);
        const inconnues = masques.map((m, i) => (this.virtuelle[i] ? ('secondaire' as Masque) : m));
        const determinees = cellulesDeterminees(inconnues, this.equations).filter((c) => !this.virtuelle[c]);
        if (determinees.length === 0) break;
        const choix = this.protection(determinees[0] as number, masques);
        if (choix === null) break;
        masques[choix] = 'secondaire';
      }
    }
    this.masques = masques;
  }

  /** The published value of a count, or null when it is masked. */
  valeur(cle: string): number | null {
    const i = this.cellule(cle);
    return this.masqueDe(i) === null ? (this.valeurs[i] as number) : null;
  }

  masque(cle: string): Masque | null {
    return this.masqueDe(this.cellule(cle));
  }

  /** The value before masking (for the text of the tests and of internal checks, never printed). */
  brut(cle: string): number {
    return this.valeurs[this.cellule(cle)] as number;
  }

  private masqueDe(i: number): Masque | null {
    if (!this.masques) throw new Error('registre du secret : appelez masquer() avant de lire les valeurs publiées');
    return this.masques[i] ?? null;
  }

  private cellule(cle: string): number {
    const i = this.index.get(cle);
    if (i === undefined) throw new Error(`compte non déclaré dans le registre du secret : ${cle}`);
    return i;
  }

  /**
   * A value still determined through a combination of equations: mask the smallest published positive count
   * of an equation it takes part in (following virtual cells to both sides of their equality), else a zero.
   */
  private protection(cellule: number, masques: readonly (Masque | null)[]): number | null {
    const voisines = new Set<number>();
    const visiter = (c: number, vues: Set<number>) => {
      for (const eq of this.equations) {
        const termes = [eq.total, ...eq.parts];
        if (!termes.includes(c)) continue;
        for (const t of termes) {
          if (this.virtuelle[t] && !vues.has(t)) {
            vues.add(t);
            visiter(t, vues);
          } else if (!this.virtuelle[t] && t !== cellule) voisines.add(t);
        }
      }
    };
    visiter(cellule, new Set());
    const candidates = [...voisines].filter((c) => masques[c] === null).sort((a, b) => rang(this.valeurs[a] as number) - rang(this.valeurs[b] as number) || a - b);
    return candidates[0] ?? null;
  }
}

const rang = (v: number) => (v > 0 ? v : Number.MAX_SAFE_INTEGER);
