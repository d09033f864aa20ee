import type { IndicatorResults } from '@mixite/core';
import { calculerIndicateurs } from '../indicators/engine.ts';
import type { OptionsDuCalcul } from '../indicators/engine-epcis.ts';
import { calculerIndicateursDesEpci } from '../indicators/engine-epcis.ts';
import { groupesDesEpci } from './configurations-parquet.ts';
import { faitsExportes } from './faits-parquet.ts';
import { Observatoire } from './lecture-parquet.ts';

/** One EPCI's targets of the year, computed from its Parquet files. */
export interface IndicateursEpci {
  readonly epci: string;
  readonly resultats: IndicatorResults;
}

export interface OptionsDesEpci extends Omit<OptionsDuCalcul, 'faits'> {
  /** Read every table into memory first (measured: slower; docs/observatoire-parquet.md). */
  readonly charger?: boolean;
  /** false: compute the facts even when the folder holds current exported facts (the fallback path, for a bench). */
  readonly faitsExportes?: boolean;
  /** Told, for each group of EPCIs, whether its facts were read from the export or computed. */
  readonly origineDesFaits?: (origine: 'exportes' | 'calcules') => void;
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
  options: OptionsDesEpci = {},
): Promise<readonly string[]> {
  const observatoire = await Observatoire.ouvrir(dossier);
  const charger = options.charger ?? false;
  try {
    await observatoire.vuesDeTousLesEpci(undefined, charger);
    const groupes = await groupesDesEpci(observatoire);
    const resultats = new Map<string, IndicatorResults>();
    for (const groupe of groupes) {
      // Several groups: each pass reads its EPCIs' files only.
      if (groupes.length > 1) await observatoire.vuesDeTousLesEpci(groupe.map((g) => g.epci), charger);
      // The facts the export wrote, when present and current for every EPCI of the group; else computed (the same SQL).
      const faits = options.faitsExportes === false ? undefined : await faitsExportes(observatoire, annee, groupe);
      options.origineDesFaits?.(faits === undefined ? 'calcules' : 'exportes');
      await calculerIndicateursDesEpci(
        observatoire.store,
        annee,
        groupe,
        (epci, r) => {
          resultats.set(epci, r);
        },
        faits === undefined ? options : { ...options, faits },
      );
    }
    for (const epci of observatoire.epcis) await chaque({ epci, resultats: resultats.get(epci) as IndicatorResults });
    return observatoire.epcis;
  } finally {
    observatoire.close();
  }
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
