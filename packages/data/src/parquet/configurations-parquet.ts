import type { CiaConfig } from '@mixite/core';
import { ConfigurationInvalideError, DEFAULT_CIA_CONFIG } from '@mixite/core';
import { configurationDuContenu } from '../indicators/engine.ts';
import type { EpciAuCalcul } from '../indicators/engine-epcis.ts';
import { signatureSql } from '../indicators/engine-epcis.ts';
import type { Observatoire } from './lecture-parquet.ts';

/** Each EPCI's current settings (its configuration row of highest version), read from the files of the views. */
export async function configurationsDesEpci(observatoire: Observatoire): Promise<Map<string, CiaConfig>> {
  const lignes = await observatoire.store.all<{ epci: string; contenu: string }>(
    `SELECT epci, CAST(contenu AS VARCHAR) AS contenu FROM configuration QUALIFY row_number() OVER (PARTITION BY epci ORDER BY version DESC) = 1`,
  );
  const configs = new Map<string, CiaConfig>();
  for (const { epci, contenu } of lignes) {
    try {
      configs.set(epci, configurationDuContenu(contenu));
    } catch (error) {
      // Which EPCI's files hold the invalid settings: the message names it.
      if (error instanceof ConfigurationInvalideError) throw new ConfigurationInvalideError(`EPCI ${epci} : ${error.message}`, { problemes: error.problemes });
      throw error;
    }
  }
  return configs;
}

/**
 * The EPCIs of the folder (all, or `epcis`) grouped by the settings that change the engine's SQL (signatureSql): one
 * pass of the engine per group, one group when every EPCI keeps the defaults. Views over every EPCI must be set.
 */
export async function groupesDesEpci(observatoire: Observatoire, epcis: readonly string[] = observatoire.epcis): Promise<EpciAuCalcul[][]> {
  const configs = await configurationsDesEpci(observatoire);
  const groupes = new Map<string, EpciAuCalcul[]>();
  for (const epci of epcis) {
    const config = configs.get(epci) ?? DEFAULT_CIA_CONFIG;
    const cle = signatureSql(config);
    groupes.set(cle, [...(groupes.get(cle) ?? []), { epci, config }]);
  }
  return [...groupes.values()];
}
