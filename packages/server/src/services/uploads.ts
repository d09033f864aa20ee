import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ImportReport, Store } from '@mixite/data';
import { ImportFailedError, importDataset } from '@mixite/data';
import type { Televersement } from '../contract.ts';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '../http/errors.ts';
import type { ReadWriteLock } from '../http/lock.ts';
import type { Viewer } from '../http/viewer.ts';
import { identite } from '../http/viewer.ts';
import type { ReglesSecurite } from '../securite.ts';
import { verifierXlsx } from './xlsx-garde.ts';

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
const MAPPING_FIELD_NAME = 'correspondance.yaml';

/**
 * The two steps of the Données page: the uploaded files are kept in a private folder and validated without
 * writing (the importer's simulation); the user reads the report, then confirms, and the same files are
 * imported for real. The token is the only handle on the folder.
 */
export class Uploads {
  private readonly pending = new Map<string, Pending>();
  private readonly root: string;

  constructor(
    private readonly store: Store,
    private readonly lock: ReadWriteLock,
    private readonly regles: Pick<ReglesSecurite, 'tailleMaxDecompressee'>,
  ) {
    this.root = mkdtempSync(join(tmpdir(), 'mixite-televersements-'));
  }

  async simulate(viewer: Viewer, files: readonly UploadedFile[], mapping: UploadedFile | null): Promise<Televersement> {
    this.expire();
    if (files.length === 0) throw new BadRequestError('aucun fichier reçu : joignez les fichiers CSV ou XLSX du jeu de données');
    if (files.length > MAX_FILES) throw new BadRequestError(`trop de fichiers (${files.length}) : ${MAX_FILES} au plus`);
    for (const file of files) {
      // An XLSX is a zip: one that would inflate beyond the limit (a zip bomb) never reaches the importer.
      if (/\.xlsx$/i.test(file.name)) {
        const probleme = await verifierXlsx(file.bytes, this.regles.tailleMaxDecompressee);
        if (probleme?.kind === 'trop_gros') throw new PayloadTooLargeError(`${nomAffiche(file.name)} : ${probleme.message}`);
        if (probleme) throw new BadRequestError(`${nomAffiche(file.name)} : ${probleme.message}`);
      }
    }
    const token = randomUUID();
    const dir = join(this.root, token);
    mkdirSync(dir);
    const names = new Set<string>();
    const paths: string[] = [];
    for (const file of files) {
      // Folder uploads may carry a relative path; only the file's own name says which canonical file it is.
      // Names never reach the file system as given: no separator, no dot first, no control character.
      const name = basename(file.name.replaceAll('\\', '/'));
      if (!name || name.startsWith('.') || name.length > 200 || /[\p{Cc}/]/u.test(name)) continue;
      if (names.has(name)) {
        rmSync(dir, { recursive: true, force: true });
        throw new BadRequestError(`deux fichiers portent le nom « ${name} » : n’en joignez qu’un`);
      }
      names.add(name);
      const path = join(dir, name);
      writeFileSync(path, file.bytes);
      paths.push(path);
    }
    if (paths.length === 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new BadRequestError('aucun fichier au nom valable reçu');
    }
    let mappingPath: string | null = null;
    if (mapping) {
      mappingPath = join(dir, '..', `${token}-${MAPPING_FIELD_NAME}`);
      writeFileSync(mappingPath, mapping.bytes);
    }
    const rapport = await this.run(paths, mappingPath, viewer, true);
    if (rapport.statut !== 'reussi') {
      this.discardFolder(dir, mappingPath);
      return { jeton: null, rapport };
    }
    this.pending.set(token, { dir, files: paths, correspondance: mappingPath, viewer: identite(viewer), expires: Date.now() + PENDING_TTL_MS });
    return { jeton: token, rapport };
  }

  /** Imports the files validated under this token. The importer checks them again: the store may have changed since. */
  async confirm(viewer: Viewer, token: string): Promise<ImportReport> {
    this.expire();
    const pending = this.pending.get(token);
    if (!pending || pending.viewer !== identite(viewer)) throw new NotFoundError('téléversement introuvable ou expiré : déposez à nouveau les fichiers');
    this.pending.delete(token);
    try {
      return await this.run(pending.files, pending.correspondance, viewer, false);
    } finally {
      this.discardFolder(pending.dir, pending.correspondance);
    }
  }

  cancel(viewer: Viewer, token: string): boolean {
    const pending = this.pending.get(token);
    if (!pending || pending.viewer !== identite(viewer)) return false;
    this.pending.delete(token);
    this.discardFolder(pending.dir, pending.correspondance);
    return true;
  }

  close(): void {
    rmSync(this.root, { recursive: true, force: true });
    this.pending.clear();
  }

  private async run(paths: readonly string[], mapping: string | null, viewer: Viewer, simulation: boolean): Promise<ImportReport> {
    // The simulation stages tables on the shared connection too: it runs alone like the import, but changes nothing.
    const run = simulation ? this.lock.alone.bind(this.lock) : this.lock.write.bind(this.lock);
    return run(async () => {
      try {
        return await importDataset(this.store, paths, { correspondance: mapping, auteur: viewer.nom, simulation });
      } catch (error) {
        if (error instanceof ImportFailedError) return error.report;
        throw error;
      }
    });
  }

  private expire(): void {
    const now = Date.now();
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

const nomAffiche = (name: string) => basename(name.replaceAll('\\', '/')).replace(/\p{Cc}/gu, '?').slice(0, 100);
