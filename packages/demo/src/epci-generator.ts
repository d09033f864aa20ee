/** Generation of one EPCI's rows: stock, demand pool, allocations, then the pool's requests. */
import { genererAttributions } from './allocations.js';
import type { CsvWriter } from './csv-writer.js';
import { ContexteDemande, creerReserve, ecrireReserve } from './demand.js';
import { Compteurs, bornes } from './ids.js';
import type { EpciPlan } from './model.js';
import { Random, hashSeed } from './random.js';
import { genererParc } from './stock.js';

/** The files whose rows come from the EPCIs (the others describe the territory). */
export const FICHIERS_EPCI = ['residences', 'occupation', 'logements', 'demandes', 'attributions'] as const;
export type FichierEpci = (typeof FICHIERS_EPCI)[number];
export type EcrivainsEpci = Record<FichierEpci, CsvWriter>;

/**
 * Writes one EPCI. Its random stream depends only on the seed and its code, and its identifiers
 * start at `debut`: the result does not depend on which thread generates it.
 */
export async function genererEpci(plan: EpciPlan, graine: number, debut: Readonly<Compteurs>, out: EcrivainsEpci): Promise<void> {
  const rng = new Random(hashSeed(graine, 'epci', plan.code));
  const ids = Compteurs.depuis(debut);
  const parc = await genererParc(plan, rng, ids, out);
  const ctx = new ContexteDemande(plan, parc);
  const reserve = creerReserve(plan, ctx, rng, ids);
  await genererAttributions(plan, parc, reserve, ctx, rng, ids, out);
  await ecrireReserve(out.demandes, rng, ctx, reserve);
  const limite = bornes(plan);
  for (const k of ['residence', 'logement', 'attribution', 'demande'] as const) {
    if (ids[k] - debut[k] > limite[k]) throw new Error(`EPCI ${plan.code} : plus de ${limite[k]} identifiants « ${k} » (borne dépassée)`);
  }
}
