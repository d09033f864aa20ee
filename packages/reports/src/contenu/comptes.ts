import type { DemandIndicatorId, DemandRow } from '@mixite/core';
import { MODALITES_MOTIF_REFUS, MODALITES_QUARTILE, MODALITES_TYPOLOGIE } from '@mixite/core';
import type { BilanDonnees } from '../donnees/collecte.ts';
import { RegistreSecret } from '../secret/registre.ts';

/**
 * The counts of the demand and allocation tables (territory-wide, from the engine's demand side), declared in
 * one secrecy registry with the equations a reader can write between them, then masked with the configured
 * threshold. Keys (Y a year of the trend, N the year of the bilan):
 *
 * | key | count | equations |
 * |---|---|---|
 * | `stock:Y`, `stock_mut:Y`, `stock_pa:Y` | requests active on 31/12/Y, of which mutations / first access | stock = mut + pa |
 * | `dep:Y`, `sat:Y`, `rad:Y` | requests filed, satisfied, struck off in Y | stock(Y−1) + dep = stock(Y) + sat + rad |
 * | `stock_q:Y:q` (Y = N−1, N) | active requests by quartile | stock = Σ quartiles |
 * | `baux:Y`, `baux_mut:Y`, `baux_pa:Y` | leases signed in Y, of which mutations / first access | baux = mut + pa |
 * | `baux_q:N:q`, `baux_t:N:t` | leases by quartile, by typology | baux = Σ |
 * | `stock_t:N:t` | active requests by typology (minimum asked) | stock = Σ |
 * | `refus:Y`, `refus_m:N:m` | proposals refused by the household, by motive | refus = Σ motives |
 *
 * Proposals are not in the registry: the bilan prints the territory's proposals from the published
 * `prioritaires` denominator (every proposal), masked by core with the indicators.
 */

export const cles = {
  stock: (y: number) => `stock:${y}`,
  stockMutation: (y: number) => `stock_mut:${y}`,
  stockPremierAcces: (y: number) => `stock_pa:${y}`,
  deposees: (y: number) => `dep:${y}`,
  satisfaites: (y: number) => `sat:${y}`,
  radiees: (y: number) => `rad:${y}`,
  stockQuartile: (y: number, q: string) => `stock_q:${y}:${q}`,
  stockTypologie: (y: number, t: string) => `stock_t:${y}:${t}`,
  baux: (y: number) => `baux:${y}`,
  bauxMutation: (y: number) => `baux_mut:${y}`,
  bauxPremierAcces: (y: number) => `baux_pa:${y}`,
  bauxQuartile: (y: number, q: string) => `baux_q:${y}:${q}`,
  bauxTypologie: (y: number, t: string) => `baux_t:${y}:${t}`,
  refus: (y: number) => `refus:${y}`,
  refusMotif: (y: number, m: string) => `refus_m:${y}:${m}`,
} as const;

/** The demand-side row of year Y for its calendar year (the only period the bilan prints for the demand). */
export function ligneDemande(donnees: BilanDonnees, y: number, id: DemandIndicatorId, modalite = ''): DemandRow | null {
  const rows = donnees.parAnnee.get(y)?.resultats.demande ?? [];
  return rows.find((r) => r.indicateur === id && r.periode === String(y) && r.modalite === modalite) ?? null;
}

/** Years whose quartile breakdown of the demand is printed: N−1 and N when both are computed. */
export const anneesQuartiles = (donnees: BilanDonnees): number[] => donnees.annees.filter((a) => a >= donnees.annee - 1);

export function registreDesComptes(donnees: BilanDonnees): RegistreSecret {
  const reg = new RegistreSecret();
  const n = donnees.annee;
  const num = (y: number, id: DemandIndicatorId, m = '') => ligneDemande(donnees, y, id, m)?.numerateur ?? 0;
  const den = (y: number, id: DemandIndicatorId, m = '') => ligneDemande(donnees, y, id, m)?.denominateur ?? 0;

  for (const y of donnees.annees) {
    const stock = num(y, 'demandes_actives');
    const mut = num(y, 'mutations_demande');
    reg.compte(cles.stock(y), stock);
    reg.compte(cles.stockMutation(y), mut);
    reg.compte(cles.stockPremierAcces(y), stock - mut);
    reg.somme(cles.stock(y), [cles.stockMutation(y), cles.stockPremierAcces(y)]);
    reg.compte(cles.deposees(y), num(y, 'demandes_deposees'));
    reg.compte(cles.satisfaites(y), num(y, 'demandes_satisfaites'));
    reg.compte(cles.radiees(y), num(y, 'demandes_radiees'));
    const baux = den(y, 'mutations_attributions');
    const bauxMut = num(y, 'mutations_attributions');
    reg.compte(cles.baux(y), baux);
    reg.compte(cles.bauxMutation(y), bauxMut);
    reg.compte(cles.bauxPremierAcces(y), baux - bauxMut);
    reg.somme(cles.baux(y), [cles.bauxMutation(y), cles.bauxPremierAcces(y)]);
    reg.compte(cles.refus(y), num(y, 'refus_par_motif'));
  }
  // The flow of requests: what enters the stock and what leaves it.
  for (const y of donnees.annees) {
    if (!donnees.annees.includes(y - 1)) continue;
    reg.egalite([cles.stock(y - 1), cles.deposees(y)], [cles.stock(y), cles.satisfaites(y), cles.radiees(y)]);
  }
  for (const y of anneesQuartiles(donnees)) {
    const parts = MODALITES_QUARTILE.map((q) => reg.compte(cles.stockQuartile(y, q), num(y, 'quartile_demande', q)));
    reg.somme(cles.stock(y), parts);
  }
  reg.somme(
    cles.baux(n),
    MODALITES_QUARTILE.map((q) => reg.compte(cles.bauxQuartile(n, q), num(n, 'quartile_attributions', q))),
  );
  reg.somme(
    cles.stock(n),
    MODALITES_TYPOLOGIE.map((t) => reg.compte(cles.stockTypologie(n, t), num(n, 'tension_typologie', t))),
  );
  reg.somme(
    cles.baux(n),
    MODALITES_TYPOLOGIE.map((t) => reg.compte(cles.bauxTypologie(n, t), den(n, 'tension_typologie', t))),
  );
  reg.somme(
    cles.refus(n),
    MODALITES_MOTIF_REFUS.map((m) => reg.compte(cles.refusMotif(n, m), num(n, 'refus_par_motif', m))),
  );
  reg.masquer(donnees.configuration.secret_statistique);
  return reg;
}
