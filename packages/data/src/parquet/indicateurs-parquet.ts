import type { CiaConfig, IndicatorResults } from '@mixite/core';
import { ConfigurationInvalideError, DEFAULT_CIA_CONFIG } from '@mixite/core';
import { calculerIndicateurs, configurationDuContenu } from '../indicators/engine.ts';
import type { OptionsDuCalcul } from '../indicators/engine-epcis.ts';
import { calculerIndicateursDesEpci, signatureSql } from '../indicators/engine-epcis.ts';
import { Observatoire } from './lecture-parquet.ts';

/** One EPCI's targets of the year, computed from its Parquet files. */
export interface IndicateursEpci {
  readonly epci: string;
  readonly resultats: IndicatorResults;
}

/**
 * Every EPCI's targets of a year from an observatory folder, in one pass (issue 18, item 5): the engine's SQL keyed by
 * EPCI (indicators/engine-epcis.ts) over views of the files, once per group of EPCIs whose settings give the same SQL
 * (the UC scale, the assimilated sectors: one group when every EPCI keeps the defaults), each EPCI with its own
 * settings otherwise (targets, code_epci, thresholds). `chaque` receives each EPCI's results in code order, as soon
 * as its group is computed. Returns the EPCIs of the folder.
 */
export async function indicateursDesEpci(
  dossier: string,
  annee: number,
  chaque: (resultat: IndicateursEpci) => void | Promise<void>,
  options: { readonly charger?: boolean } & OptionsDuCalcul = {},
): Promise<readonly string[]> {
  const observatoire = await Observatoire.ouvrir(dossier);
  const charger = options.charger ?? false;
  try {
    await observatoire.vuesDeTousLesEpci(undefined, charger);
    const configs = await configurationsDesEpci(observatoire);
    const groupes = new Map<string, { epci: string; config: CiaConfig }[]>();
    for (const epci of observatoire.epcis) {
      const config = configs.get(epci) ?? DEFAULT_CIA_CONFIG;
      const cle = signatureSql(config);
      groupes.set(cle, [...(groupes.get(cle) ?? []), { epci, config }]);
    }
    const resultats = new Map<string, IndicatorResults>();
    for (const groupe of groupes.values()) {
      // Several groups: each pass reads its EPCIs' files only.
      if (groupes.size > 1) await observatoire.vuesDeTousLesEpci(groupe.map((g) => g.epci), charger);
      await calculerIndicateursDesEpci(
        observatoire.store,
        annee,
        groupe,
        (epci, r) => {
          resultats.set(epci, r);
        },
        options,
      );
    }
    for (const epci of observatoire.epcis) await chaque({ epci, resultats: resultats.get(epci) as IndicatorResults });
    return observatoire.epcis;
  } finally {
    observatoire.close();
  }
}

/** Each EPCI's current settings (its configuration row of highest version), read from the files. */
async function configurationsDesEpci(observatoire: Observatoire): Promise<Map<string, CiaConfig>> {
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
 * The same, one EPCI at a time: its rows loaded into the store's tables, then calculerIndicateurs, unchanged. The
 * reference the one-pass results are compared with (tests, bench/observatoire-parquet.ts).
 */
export async function indicateursDesEpciUnParUn(dossier: string, annee: number, chaque: (resultat: IndicateursEpci) => void | Promise<void>): Promise<readonly string[]> {
  const observatoire = await Observatoire.ouvrir(dossier);
  try {
    for (const epci of observatoire.epcis) {
      await observatoire.selectionner(epci);
      await chaque({ epci, resultats: await calculerIndicateurs(observatoire.store, { annee }) });
    }
    return observatoire.epcis;
  } finally {
    observatoire.close();
  }
}
