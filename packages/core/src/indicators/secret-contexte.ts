import type { ContexteSecret } from './results.ts';
import type { SecretOptions } from './secret.ts';
import { croisementsDesAnnees } from './secret-croisements.ts';

/**
 * The options of the secrecy pass (secret.ts) from what the engine read of one or several years (`contexte` of
 * their results; each period id belongs to one year): one home, so that the publication of a year, of several
 * years, the audits of the tests and the benchmarks give the pass the same knowledge of the territory.
 */
export function optionsDuSecret(
  contextes: readonly ContexteSecret[],
  lieuxMax?: number,
): Pick<SecretOptions, 'typeContingent' | 'communeDuQpv' | 'croisements' | 'qpvHorsChamp'> {
  const types: Record<string, ContexteSecret['typesContingent'][string]> = {};
  const communesDesQpv: Record<string, Record<string, string>> = {};
  // Per period (the keys of `communesDesQpv` are the periods of the context's year): the settings may differ by year.
  const horsChamp = new Map<string, ReadonlySet<string>>();
  for (const c of contextes) {
    Object.assign(types, c.typesContingent);
    for (const [p, m] of Object.entries(c.communesDesQpv)) communesDesQpv[p] = { ...(communesDesQpv[p] ?? {}), ...m };
    const hors = new Set(c.secteursHorsQpv ?? []);
    for (const p of Object.keys(c.communesDesQpv)) horsChamp.set(p, hors);
  }
  return {
    typeContingent: (id) => types[id] ?? null,
    communeDuQpv: (code, periode) => communesDesQpv[periode]?.[code] ?? null,
    croisements: croisementsDesAnnees(
      contextes.map((c) => c.croisements),
      lieuxMax,
    ),
    qpvHorsChamp: (code, periode) => horsChamp.get(periode)?.has(code) ?? false,
  };
}
