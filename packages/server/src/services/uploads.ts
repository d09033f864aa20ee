import { randomUUID } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { ImportReport, LimitViolation, Store } from '@mixite/data';
import { ImportFailedError, checkSourceLimits, importDataset, withoutCaps } from '@mixite/data';
import type { Televersement } from '../contract.ts';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../http/errors.ts';
import type { ReadWriteLock } from '../http/lock.ts';
import type { Viewer } from '../http/viewer.ts';
import { identite } from '../http/viewer.ts';
import type { ReglesSecurite } from '../securite.ts';
import { limitesImport } from '../securite.ts';
import { ecrireListeErreurs } from './liste-erreurs.ts';

export interface UploadedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

interface Pending {
  readonly dir: string;
  readonly files: readonly string[];
  readonly correspondance: string | null;
  /** Who verified the files: only they may confirm or abandon the import. */
  readonly viewer: string;
  readonly expires: number;
}

/** More files than a dataset has (eleven canonical files and cia.yaml), with room for a mapping's extra names. */
const MAX_FILES = 50;

/** How long a validated upload waits for its confirmation. */
const PENDING_TTL_MS = 60 * 60 * 1000;
const MENAGE_MS = 5 * 60 * 1000;
const MAPPING_FIELD_NAME = 'correspondance.yaml';

/**
 * The two steps of the Données page: the uploaded files are kept in a private folder and validated without
 * writing (the importer's simulation); the user reads the report, then confirms, and the same files are
 * imported for real. The token is the only handle on the folder.
 *
 * Household files are written only under `root`, a folder only the server's user can read (mode 0700): beside a
 * store file, `<base>.televersements/`, emptied at start so that the files of a crashed server do not stay; for an
 * in-memory store (tests), a fresh temporary folder. Every folder is deleted after its import, its abandon, its
 * expiry, or a refused check.
 */
export class Uploads {
  private readonly pending = new Map<string, Pending>();
  /** The full lists of errors of refused verifications whose report was capped, as CSV files of the private folder. */
  private readonly listes = new Map<string, { readonly chemin: string; readonly viewer: string; readonly expires: number }>();
  private readonly root: string;
  /** Expired uploads are deleted even when nobody uploads again (unref'd: never keeps the process alive). */
  private readonly menage: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly lock: ReadWriteLock,
    private readonly regles: Pick<ReglesSecurite, 'tailleMaxDecompressee' | 'colonnesMaxImport' | 'cellulesMaxImport'>,
  ) {
    this.root = store.path === ':memory:' ? mkdtempSync(join(tmpdir(), 'mixite-televersements-')) : dossierPrive(`${resolve(store.path)}.televersements`);
    this.menage = setInterval(() => this.expire(), MENAGE_MS).unref();
  }

  /** The folder of the pending uploads (tests check its mode and that it is emptied). */
  get dossier(): string {
    return this.root;
  }

  async simulate(viewer: Viewer, files: readonly UploadedFile[], mapping: UploadedFile | null): Promise<Televersement> {
    this.expire();
    if (files.length === 0) throw new BadRequestError('aucun fichier reçu : joignez les fichiers CSV ou XLSX du jeu de données');
    if (files.length > MAX_FILES) throw new BadRequestError(`trop de fichiers (${files.length}) : ${MAX_FILES} au plus`);
    const token = randomUUID();
    const dir = join(this.root, token);
    const mappingPath = mapping ? join(this.root, `${token}-${MAPPING_FIELD_NAME}`) : null;
    mkdirSync(dir, { mode: 0o700 });
    let kept = false;
    try {
      const names = new Set<string>();
      const paths: string[] = [];
      for (const file of files) {
        // Folder uploads may carry a relative path; only the file's own name says which canonical file it is.
        // Names never reach the file system as given: no separator, no dot first, no control character.
        const name = basename(file.name.replaceAll('\\', '/'));
        if (!name || name.startsWith('.') || name.length > 200 || /[\p{Cc}/]/u.test(name)) continue;
        if (names.has(name)) throw new BadRequestError(`deux fichiers portent le nom « ${name} » : n’en joignez qu’un`);
        names.add(name);
        const path = join(dir, name);
        writeFileSync(path, file.bytes, { mode: 0o600 });
        paths.push(path);
      }
      if (paths.length === 0) throw new BadRequestError('aucun fichier au nom valable reçu');
      if (mapping && mappingPath) writeFileSync(mappingPath, mapping.bytes, { mode: 0o600 });

      // Bounded work, before any parser and without the store: a zip bomb, a sheet of 17 billion cells or a header
      // of a million columns is refused in milliseconds.
      const refus = await this.bornes(paths);
      if (refus) return { jeton: null, rapport: refus };

      const rapport = await this.simulation(paths, mappingPath, viewer);
      if (rapport.statut !== 'reussi') {
        // The report lists the first errors of each check and file; when some were left out, the same simulation is
        // run again without those caps and its every located problem written to a CSV the user downloads.
        if (rapport.erreursNonListees === 0) return { jeton: null, rapport };
        const complet = await withoutCaps(() => this.simulation(paths, mappingPath, viewer));
        const chemin = join(this.root, `liste-${token}.csv`);
        await ecrireListeErreurs(chemin, [...complet.erreurs, ...complet.avertissements]);
        this.listes.set(token, { chemin, viewer: identite(viewer), expires: Date.now() + PENDING_TTL_MS });
        return { jeton: null, rapport, listeComplete: token };
      }
      this.pending.set(token, { dir, files: paths, correspondance: mappingPath, viewer: identite(viewer), expires: Date.now() + PENDING_TTL_MS });
      kept = true;
      return { jeton: token, rapport };
    } finally {
      if (!kept) this.discardFolder(dir, mappingPath);
    }
  }

  /** Imports the files validated under this token. The importer checks them again: the store may have changed since. */
  async confirm(viewer: Viewer, token: string): Promise<ImportReport> {
    this.expire();
    const pending = this.pending.get(token);
    if (!pending || pending.viewer !== identite(viewer)) throw new NotFoundError('téléversement introuvable ou expiré : déposez à nouveau les fichiers');
    this.pending.delete(token);
    try {
      return await this.lock.write(async () => {
        try {
          return await importDataset(this.store, pending.files, {
            correspondance: pending.correspondance,
            auteur: viewer.nom,
            limites: limitesImport(this.regles),
            dossierTravail: this.root,
          });
        } catch (error) {
          if (error instanceof ImportFailedError) return error.report;
          throw error;
        }
      });
    } finally {
      this.discardFolder(pending.dir, pending.correspondance);
    }
  }

  /** The CSV of every error of a refused verification, for the account that ran it; null when unknown or expired. */
  listeComplete(viewer: Viewer, token: string): string | null {
    this.expire();
    const liste = this.listes.get(token);
    return liste && liste.viewer === identite(viewer) ? liste.chemin : null;
  }

  cancel(viewer: Viewer, token: string): boolean {
    const pending = this.pending.get(token);
    if (!pending || pending.viewer !== identite(viewer)) return false;
    this.pending.delete(token);
    this.discardFolder(pending.dir, pending.correspondance);
    return true;
  }

  close(): void {
    clearInterval(this.menage);
    rmSync(this.root, { recursive: true, force: true });
    this.pending.clear();
    this.listes.clear();
  }

  /**
   * The limits of every file: a zip bomb is a 413, an archive that is no workbook a 400 (as before any import),
   * too many columns or cells a refused report naming the file and the sheet.
   */
  private async bornes(paths: readonly string[]): Promise<ImportReport | null> {
    const limites = limitesImport(this.regles);
    const violations: LimitViolation[] = [];
    for (const path of paths) {
      const violation = await checkSourceLimits(path, basename(path), limites);
      if (violation?.kind === 'trop_gros') throw new PayloadTooLargeError(`${nomAffiche(basename(path))} : ${violation.problem.message}`);
      if (violation?.kind === 'illisible') throw new BadRequestError(`${nomAffiche(basename(path))} : ${violation.problem.message}`);
      if (violation) violations.push(violation);
    }
    if (violations.length === 0) return null;
    return {
      statut: 'echoue',
      date: new Date().toISOString(),
      fichiers: [],
      erreurs: violations.map((v) => v.problem),
      avertissements: [],
      erreursNonListees: 0,
      configuration: 'inchangee',
      importId: null,
    };
  }

  /**
   * The importer's simulation on a connection of its own, without the store's lock: the files are parsed and
   * staged in temporary tables of that connection, which nobody else sees, and the store's tables are only read
   * (committed data). Other users' requests keep answering while a big upload is checked, and an import confirmed
   * meanwhile is not delayed by it. The confirmation checks everything again under the write lock.
   */
  private async simulation(paths: readonly string[], mapping: string | null, viewer: Viewer): Promise<ImportReport> {
    const connection = await this.store.connectAgain();
    try {
      // Converted copies (an XLSX read as CSV) go to the private folder too: emptied at start like the uploads.
      return await importDataset(connection, paths, { correspondance: mapping, auteur: viewer.nom, simulation: true, limites: limitesImport(this.regles), dossierTravail: this.root });
    } catch (error) {
      if (error instanceof ImportFailedError) return error.report;
      throw error;
    } finally {
      connection.close();
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const [token, liste] of this.listes) {
      if (liste.expires < now) {
        this.listes.delete(token);
        rmSync(liste.chemin, { force: true });
      }
    }
    for (const [token, pending] of this.pending) {
      if (pending.expires < now) {
        this.pending.delete(token);
        this.discardFolder(pending.dir, pending.correspondance);
      }
    }
  }

  private discardFolder(dir: string, mapping: string | null): void {
    rmSync(dir, { recursive: true, force: true });
    if (mapping) rmSync(mapping, { force: true });
  }

  /** For tests: the folders still held. */
  heldFolders(): string[] {
    return readdirSync(this.root);
  }
}

/** Creates the uploads folder afresh (the files of a crashed server are deleted), readable by this user only. */
function dossierPrive(path: string): string {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { mode: 0o700 });
  // A folder created meanwhile by someone else, or a link, is not ours: refuse to start rather than write into it.
  const stats = lstatSync(path);
  if (!stats.isDirectory() || (typeof process.getuid === 'function' && stats.uid !== process.getuid())) {
    throw new Error(`le dossier des téléversements ${path} n’appartient pas au serveur`);
  }
  chmodSync(path, 0o700);
  return path;
}

const nomAffiche = (name: string) => basename(name.replaceAll('\\', '/')).replace(/\p{Cc}/gu, '?').slice(0, 100);
