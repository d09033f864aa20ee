import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { ID_TRAVAIL } from '@mixite/contract';
import type { EtatTravailExport, TravailExport } from '../contract.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { FormatExport, TableauAEcrire } from '../http/table-file.ts';
import { ecrireTableau, fileName } from '../http/table-file.ts';
import type { Viewer } from '../http/viewer.ts';

/**
 * Heavy exports written in the background: the request that asks for one gets its id at once, the page polls its
 * progress, then downloads the file. Jobs run one at a time (a queue), so that however many are asked, the
 * server writes one file at a time, in batches that leave room for the other requests (table-file.ts).
 *
 * The files hold household data: they live in a folder of the system's temporary directory that only the
 * server's user can read (mkdtemp creates it 0700, files 0600), are deleted once downloaded, after an hour
 * unclaimed, and when the server stops. A job is seen and downloaded only by the account that asked for it.
 */

/** A job not downloaded within this time is deleted with its file. */
const DUREE_DE_VIE_MS = 60 * 60_000;
/** Jobs of one account not yet downloaded: beyond, a new one is refused until one is downloaded or expires. */
const MAX_PAR_COMPTE = 3;

interface Travail {
  readonly id: string;
  readonly proprietaire: string;
  readonly titre: string;
  readonly format: FormatExport;
  readonly total: number;
  readonly cree: number;
  readonly chemin: string;
  etat: EtatTravailExport;
  ecrites: number;
  message: string | null;
}

/** Whose job it is: the account (or, in demonstration mode, the single visitor). */
export const proprietaire = (viewer: Viewer): string => (viewer.utilisateurId === null ? 'demonstration' : `compte:${viewer.utilisateurId}`);

export class TravauxExport {
  private readonly travaux = new Map<string, Travail>();
  private dossier: string | null = null;
  /** The queue: each job starts when the one before has finished. */
  private file: Promise<void> = Promise.resolve();
  private readonly balayage: NodeJS.Timeout;

  constructor(private readonly maintenant: () => number = () => Date.now()) {
    this.balayage = setInterval(() => this.expirer(), 5 * 60_000);
    this.balayage.unref();
  }

  /** Queues the writing of `tableau`; `total` is the number of rows it will have (for the progress). */
  lancer(viewer: Viewer, format: FormatExport, tableau: TableauAEcrire, total: number): TravailExport {
    this.expirer();
    const qui = proprietaire(viewer);
    const enCours = [...this.travaux.values()].filter((t) => t.proprietaire === qui).length;
    if (enCours >= MAX_PAR_COMPTE) {
      throw new ConflictError(`vous avez déjà ${enCours} exports en attente de téléchargement : téléchargez-les, ou attendez une heure qu’ils expirent`);
    }
    const id = randomBytes(16).toString('base64url');
    const travail: Travail = {
      id,
      proprietaire: qui,
      titre: tableau.titre,
      format,
      total,
      cree: this.maintenant(),
      chemin: join(this.dossierDesFichiers(), `${id}.${format}`),
      etat: 'en_attente',
      ecrites: 0,
      message: null,
    };
    this.travaux.set(id, travail);
    this.file = this.file.then(() => this.ecrire(travail, tableau));
    return vue(travail);
  }

  etat(viewer: Viewer, id: string): TravailExport {
    return vue(this.trouver(viewer, id));
  }

  /** The file of a finished job, as a stream; the job and its file are deleted once it has been read. */
  telecharger(viewer: Viewer, id: string): { nom: string; format: FormatExport; flux: Readable } {
    const travail = this.trouver(viewer, id);
    if (travail.etat !== 'pret') throw new ConflictError(travail.etat === 'echec' ? (travail.message ?? 'l’export a échoué') : 'l’export n’est pas encore prêt');
    this.travaux.delete(id);
    const flux = createReadStream(travail.chemin);
    flux.on('close', () => rmSync(travail.chemin, { force: true }));
    return { nom: `${fileName(travail.titre)}.${travail.format}`, format: travail.format, flux };
  }

  /** Waits for every queued job (tests, shutdown). */
  async attendre(): Promise<void> {
    await this.file;
  }

  close(): void {
    clearInterval(this.balayage);
    this.travaux.clear();
    if (this.dossier) rmSync(this.dossier, { recursive: true, force: true });
    this.dossier = null;
  }

  private trouver(viewer: Viewer, id: string): Travail {
    this.expirer();
    const travail = ID_TRAVAIL.test(id) ? this.travaux.get(id) : undefined;
    // Another account's job answers like an unknown one: its existence is not disclosed.
    if (!travail || travail.proprietaire !== proprietaire(viewer)) throw new NotFoundError('export inconnu, déjà téléchargé ou expiré (une heure)');
    return travail;
  }

  private async ecrire(travail: Travail, tableau: TableauAEcrire): Promise<void> {
    if (!this.travaux.has(travail.id)) return;
    travail.etat = 'en_cours';
    try {
      const sortie = createWriteStream(travail.chemin, { mode: 0o600 });
      await ecrireTableau(travail.format, tableau, sortie, (n) => (travail.ecrites = n));
      travail.etat = this.travaux.has(travail.id) ? 'pret' : travail.etat;
    } catch (error) {
      travail.etat = 'echec';
      // Not the error's own message: it could quote a value of the store.
      travail.message = `l’export a échoué (${(error as Error).name}) : relancez-le ; si l’échec se répète, signalez-le à l’administrateur`;
      rmSync(travail.chemin, { force: true });
    }
    // Expired or stopped while it was written: nobody will download it.
    if (!this.travaux.has(travail.id)) rmSync(travail.chemin, { force: true });
  }

  private expirer(): void {
    const limite = this.maintenant() - DUREE_DE_VIE_MS;
    for (const [id, travail] of this.travaux) {
      if (travail.cree < limite && travail.etat !== 'en_cours') {
        this.travaux.delete(id);
        rmSync(travail.chemin, { force: true });
      }
    }
  }

  private dossierDesFichiers(): string {
    this.dossier ??= mkdtempSync(join(tmpdir(), 'mixite-exports-'));
    return this.dossier;
  }
}

function vue(t: Travail): TravailExport {
  return {
    id: t.id,
    titre: t.titre,
    format: t.format,
    etat: t.etat,
    lignes_ecrites: t.ecrites,
    lignes_total: t.total,
    fichier: t.etat === 'pret' ? `/api/exports/${t.id}/fichier` : null,
    message: t.message,
  };
}
