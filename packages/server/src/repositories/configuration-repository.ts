import type { CiaConfig } from '@mixite/core';
import { DEFAULT_CIA_CONFIG, readStoredCiaConfig } from '@mixite/core';
import type { Store } from '@mixite/data';
import type { Configuration } from '../contract.ts';
import type { Viewer } from '../http/viewer.ts';

interface ConfigurationRow {
  version: number;
  date_modification: string;
  auteur: string;
  origine: string;
  contenu: string;
}

/** Versions of the CIA configuration: the current one is the highest version; every change is a new row. */
export class ConfigurationRepository {
  constructor(private readonly store: Store) {}

  async current(_viewer: Viewer): Promise<Configuration> {
    const [row] = await this.store.all<ConfigurationRow>(
      `SELECT version, strftime(date_modification, '%Y-%m-%dT%H:%M:%S') AS date_modification, auteur, origine, contenu::VARCHAR AS contenu
         FROM configuration ORDER BY version DESC LIMIT 1`,
    );
    if (!row) return { version: 0, date_modification: null, auteur: null, origine: null, contenu: DEFAULT_CIA_CONFIG };
    return toConfiguration(row);
  }

  async history(_viewer: Viewer): Promise<Omit<Configuration, 'contenu'>[]> {
    return this.store.all(
      `SELECT version, strftime(date_modification, '%Y-%m-%dT%H:%M:%S') AS date_modification, auteur, origine
         FROM configuration ORDER BY version DESC`,
    );
  }

  /** Saves a validated configuration as a new version, dated now and signed by the viewer. */
  async save(viewer: Viewer, config: CiaConfig, origine: string): Promise<Configuration> {
    await this.store.run(
      `INSERT INTO configuration SELECT coalesce(max(version), 0) + 1, now(), $1, $2, $3::JSON FROM configuration`,
      [viewer.nom, origine, JSON.stringify(config)],
    );
    return this.current(viewer);
  }
}

function toConfiguration(row: ConfigurationRow): Configuration {
  // A stored configuration was validated when saved; parsing again fills defaults added since.
  const parsed = readStoredCiaConfig(JSON.parse(row.contenu));
  return {
    version: row.version,
    date_modification: row.date_modification,
    auteur: row.auteur,
    origine: row.origine,
    contenu: parsed ?? DEFAULT_CIA_CONFIG,
  };
}
