import { ConfigurationInvalideError } from '@mixite/core';
import type { ImportLimits } from '@mixite/data';
import { DEFAULT_IMPORT_LIMITS } from '@mixite/data';
import type { RegleLimitation } from './auth/limiteur.ts';
import { LIMITE_ADRESSE, LIMITE_COMPTE } from './auth/limiteur.ts';

/**
 * The security settings of a deployment, with their defaults. `reglesDepuisEnvironnement` reads them from the
 * environment of `npm start`; docs/security.md lists them for the administrator and the DPO.
 */

/**
 * `demonstration`: no login needed (a visitor acts as an administrator), the demo territory is created on an empty
 * store, the server listens on the loopback only. `production`: every route but the login, the health check and the
 * OpenAPI document needs a session; nothing is seeded.
 */
export const MODES = ['demonstration', 'production'] as const;
export type Mode = (typeof MODES)[number];

export interface ReglesSecurite {
  readonly mode: Mode;
  /** The clock (tests move it). */
  readonly maintenant: () => number;
  /** A session ends after this long without a request… */
  readonly inactiviteMs: number;
  /** …and in any case this long after the login. */
  readonly dureeMaxMs: number;
  /** The `Secure` flag of the session cookie: always, never, or when the request came over HTTPS. */
  readonly cookieSecurise: boolean | 'auto';
  /** Behind a reverse proxy: take the client's address and protocol from X-Forwarded-For / X-Forwarded-Proto. */
  readonly derriereProxy: boolean;
  /** Failed logins to one account from one address: exponential delays, never a lock another address can trigger. */
  readonly limiteCompte: RegleLimitation;
  /** Failed logins from one address, whatever the accounts: the same delays, from a higher count. */
  readonly limiteAdresse: RegleLimitation;
  /** Bytes of one upload request (all its files). */
  readonly tailleMaxTeleversement: number;
  /** Bytes an XLSX file may inflate to (a zip bomb is refused before the importer opens it). */
  readonly tailleMaxDecompressee: number;
  /** Columns of an uploaded file (CSV header, XLSX sheet), checked before any parsing. */
  readonly colonnesMaxImport: number;
  /** Cells (rows × columns of the extent) of an uploaded XLSX sheet, declared or real, checked before any parsing. */
  readonly cellulesMaxImport: number;
  /** Bytes of a JSON body (login, settings); the export of a table has its own limit. */
  readonly tailleMaxJson: number;
  readonly tailleMaxExport: number;
  /** Rows of one exported household list at most (a list above it is refused: narrow it to a perimeter). */
  readonly lignesMaxExport: number;
  /**
   * Rows of an aggregate table sent back by a page to be exported: the tables on screen are a few thousand rows,
   * and a larger body would hold the server while it is parsed.
   */
  readonly lignesMaxTableau: number;
  /** Above this many rows a household list is written by a background job (progress, then download). */
  readonly lignesExportDirect: number;
  /** Days the audit log is kept. */
  readonly conservationJournalJours: number;
  /**
   * Years of household-level rows kept (allocations decided, and closed requests, before 1 January of the year
   * this many years ago); null keeps everything. Applied in production only.
   */
  readonly conservationMenagesAnnees: number | null;
}

const MO = 1024 * 1024;

export const REGLES_PAR_DEFAUT: ReglesSecurite = {
  mode: 'production',
  maintenant: () => Date.now(),
  inactiviteMs: 60 * 60_000,
  dureeMaxMs: 10 * 60 * 60_000,
  cookieSecurise: 'auto',
  derriereProxy: false,
  limiteCompte: LIMITE_COMPTE,
  limiteAdresse: LIMITE_ADRESSE,
  tailleMaxTeleversement: 200 * MO,
  tailleMaxDecompressee: DEFAULT_IMPORT_LIMITS.decompresseMax,
  colonnesMaxImport: DEFAULT_IMPORT_LIMITS.colonnesMax,
  cellulesMaxImport: DEFAULT_IMPORT_LIMITS.cellulesMax,
  tailleMaxJson: 2 * MO,
  tailleMaxExport: 10 * MO,
  lignesMaxExport: 200_000,
  lignesMaxTableau: 20_000,
  lignesExportDirect: 20_000,
  conservationJournalJours: 365,
  conservationMenagesAnnees: 6,
};

export function reglesSecurite(partial: Partial<ReglesSecurite> = {}): ReglesSecurite {
  return { ...REGLES_PAR_DEFAUT, ...partial };
}

/** The importer's bounds (one home: `@mixite/data`'s limits), as this deployment sets them. */
export function limitesImport(regles: Pick<ReglesSecurite, 'tailleMaxDecompressee' | 'colonnesMaxImport' | 'cellulesMaxImport'>): ImportLimits {
  return { colonnesMax: regles.colonnesMaxImport, cellulesMax: regles.cellulesMaxImport, decompresseMax: regles.tailleMaxDecompressee };
}

/**
 * A setting of the environment that cannot be read: `npm start` stops with its message. The family's class
 * (core erreurs.ts), one with the stored settings' error of the indicator engine.
 */
export { ConfigurationInvalideError };

export function reglesDepuisEnvironnement(env: NodeJS.ProcessEnv): Partial<ReglesSecurite> {
  const out: { -readonly [K in keyof ReglesSecurite]?: ReglesSecurite[K] } = {};
  const mode = env['MIXITE_MODE'];
  if (mode !== undefined && mode !== '') {
    if (!(MODES as readonly string[]).includes(mode)) throw new ConfigurationInvalideError(`MIXITE_MODE invalide : « ${mode} » (attendu : production ou demonstration)`);
    out.mode = mode as Mode;
  } else out.mode = 'demonstration';
  const nombre = (name: string, min: number, max: number): number | undefined => {
    const text = env[name];
    if (text === undefined || text === '') return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max) throw new ConfigurationInvalideError(`${name} invalide : « ${text} » (un nombre entre ${min} et ${max})`);
    return n;
  };
  const inactivite = nombre('MIXITE_SESSION_INACTIVITE_MINUTES', 1, 24 * 60);
  if (inactivite !== undefined) out.inactiviteMs = inactivite * 60_000;
  const duree = nombre('MIXITE_SESSION_DUREE_MAX_HEURES', 1, 24 * 7);
  if (duree !== undefined) out.dureeMaxMs = duree * 3_600_000;
  const televersement = nombre('MIXITE_TELEVERSEMENT_MAX_MO', 1, 10_000);
  if (televersement !== undefined) out.tailleMaxTeleversement = televersement * MO;
  const colonnes = nombre('MIXITE_IMPORT_COLONNES_MAX', 10, 100_000);
  if (colonnes !== undefined) out.colonnesMaxImport = Math.floor(colonnes);
  const cellules = nombre('MIXITE_IMPORT_CELLULES_MAX', 1_000, 1_000_000_000);
  if (cellules !== undefined) out.cellulesMaxImport = Math.floor(cellules);
  const lignesExport = nombre('MIXITE_EXPORT_MAX_LIGNES', 1_000, 2_000_000);
  if (lignesExport !== undefined) out.lignesMaxExport = lignesExport;
  const journal = nombre('MIXITE_CONSERVATION_JOURNAL_JOURS', 30, 3650);
  if (journal !== undefined) out.conservationJournalJours = journal;
  const menages = env['MIXITE_CONSERVATION_MENAGES_ANS'];
  if (menages === 'illimitee') out.conservationMenagesAnnees = null;
  else {
    const ans = nombre('MIXITE_CONSERVATION_MENAGES_ANS', 1, 50);
    if (ans !== undefined) out.conservationMenagesAnnees = ans;
  }
  const secure = env['MIXITE_COOKIE_SECURISE'];
  if (secure === '1' || secure === 'oui') out.cookieSecurise = true;
  else if (secure === '0' || secure === 'non') out.cookieSecurise = false;
  else if (secure !== undefined && secure !== '' && secure !== 'auto') throw new ConfigurationInvalideError(`MIXITE_COOKIE_SECURISE invalide : « ${secure} » (1, 0 ou auto)`);
  if (env['MIXITE_PROXY'] === '1' || env['MIXITE_PROXY'] === 'oui') out.derriereProxy = true;
  return out;
}
