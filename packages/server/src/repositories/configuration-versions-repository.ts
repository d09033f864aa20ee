import type { CiaConfig } from '@mixite/core';
import { DEFAULT_CIA_CONFIG, readStoredCiaConfig } from '@mixite/core';
import type { Store } from '@mixite/data';

interface VersionRow {
  version: number;
  date_modification: string;
  auteur: string;
  origine: string;
  contenu: string;
}

export interface VersionDeConfiguration {
  readonly version: number;
  readonly date_modification: string;
  readonly auteur: string;
  readonly origine: string;
  readonly contenu: CiaConfig;
}

/**
 * Every stored version of the CIA settings with its whole content, oldest first: the settings history compares
 * each version with the one before (core/src/config/difference.ts). Read-only; versions are written by
 * ConfigurationRepository.save.
 */
export class ConfigurationVersionsRepository {
  constructor(private readonly store: Store) {}

  async all(): Promise<VersionDeConfiguration[]> {
    const rows = await this.store.all<VersionRow>(
      `SELECT version, strftime(date_modification, '%Y-%m-%dT%H:%M:%S') AS date_modification, auteur, origine, contenu::VARCHAR AS contenu
         FROM configuration ORDER BY version`,
    );
    // A stored version was validated when saved; reading it again fills the defaults added since (as `current` does).
    return rows.map((r) => ({ ...r, contenu: readStoredCiaConfig(JSON.parse(r.contenu)) ?? DEFAULT_CIA_CONFIG }));
  }
}
