import { randomBytes } from 'node:crypto';
import type { EtatSimulation, ResultatSimulationApi, TravailSimulation } from '@mixite/contract';
import { ID_TRAVAIL } from '@mixite/contract';
import { MixiteError } from '@mixite/core';
import { SimulationAnnuleeError } from '@mixite/data';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import type { Viewer } from '../http/viewer.ts';
import { proprietaire } from './travaux-export.ts';

/**
 * Simulations run in the background (issue 16): the request that starts one gets its id at once, the page polls the
 * progress (runs done over runs asked), may cancel, then reads the result. Like the heavy exports
 * (travaux-export.ts), jobs run one at a time (a queue): a simulation already takes every core through its worker
 * threads, two at once would only slow both. One account has at most one job waiting or running; its finished jobs
 * are kept an hour (the page reads the result, the bilan annex may be built from it), at most a few per account.
 * A job is seen, cancelled and read only by the account that started it.
 */

const DUREE_DE_VIE_MS = 60 * 60_000;
/** Finished jobs kept per account: beyond, the oldest is forgotten when a new one starts. */
const TERMINES_PAR_COMPTE = 5;

/** What the job runs: reports its progress, stops when the signal is aborted. */
export type ExecutionSimulation = (progres: (faits: number, total: number, etape: string) => void, signal: AbortSignal) => Promise<ResultatSimulationApi>;

interface Travail {
  readonly id: string;
  readonly proprietaire: string;
  readonly cree: number;
  readonly annulation: AbortController;
  etat: EtatSimulation;
  faits: number;
  total: number;
  etape: string;
  message: string | null;
  resultat: ResultatSimulationApi | null;
}

const actif = (t: Travail) => t.etat === 'en_attente' || t.etat === 'en_cours';

export class TravauxSimulation {
  private readonly travaux = new Map<string, Travail>();
  private file: Promise<void> = Promise.resolve();
  private readonly balayage: NodeJS.Timeout;

  constructor(private readonly maintenant: () => number = () => Date.now()) {
    this.balayage = setInterval(() => this.expirer(), 5 * 60_000);
    this.balayage.unref();
  }

  /** Queues a simulation of `total` runs; refused while the account has one waiting or running. */
  lancer(viewer: Viewer, total: number, executer: ExecutionSimulation): TravailSimulation {
    this.expirer();
    const qui = proprietaire(viewer);
    const siens = [...this.travaux.values()].filter((t) => t.proprietaire === qui);
    if (siens.some(actif)) throw new ConflictError('une simulation de ce compte est déjà en cours : attendez sa fin ou annulez-la avant d’en lancer une autre');
    for (const ancien of siens.sort((a, b) => a.cree - b.cree).slice(0, Math.max(0, siens.length - TERMINES_PAR_COMPTE + 1))) this.travaux.delete(ancien.id);
    const travail: Travail = {
      id: randomBytes(16).toString('base64url'),
      proprietaire: qui,
      cree: this.maintenant(),
      annulation: new AbortController(),
      etat: 'en_attente',
      faits: 0,
      total,
      etape: 'en attente d’une autre simulation',
      message: null,
      resultat: null,
    };
    this.travaux.set(travail.id, travail);
    this.file = this.file.then(() => this.executer(travail, executer));
    return vue(travail);
  }

  etat(viewer: Viewer, id: string): TravailSimulation {
    return vue(this.trouver(viewer, id));
  }

  /** Stops a waiting or running job (its threads are terminated); a finished one is forgotten. */
  annuler(viewer: Viewer, id: string): TravailSimulation {
    const travail = this.trouver(viewer, id);
    if (actif(travail)) {
      travail.annulation.abort();
      if (travail.etat === 'en_attente') travail.etat = 'annule';
    } else this.travaux.delete(id);
    return vue(travail);
  }

  /** Waits for every queued job (tests, shutdown). */
  async attendre(): Promise<void> {
    await this.file;
  }

  close(): void {
    clearInterval(this.balayage);
    for (const t of this.travaux.values()) t.annulation.abort();
    this.travaux.clear();
  }

  private trouver(viewer: Viewer, id: string): Travail {
    this.expirer();
    const travail = ID_TRAVAIL.test(id) ? this.travaux.get(id) : undefined;
    // Another account's job answers like an unknown one: its existence is not disclosed.
    if (!travail || travail.proprietaire !== proprietaire(viewer)) throw new NotFoundError('simulation inconnue, annulée ou expirée (une heure après sa fin)');
    return travail;
  }

  private async executer(travail: Travail, executer: ExecutionSimulation): Promise<void> {
    if (travail.annulation.signal.aborted) {
      travail.etat = 'annule';
      return;
    }
    travail.etat = 'en_cours';
    travail.etape = 'calibration';
    try {
      travail.resultat = await executer((faits, total, etape) => {
        travail.faits = faits;
        travail.total = total;
        travail.etape = etape;
      }, travail.annulation.signal);
      travail.etat = 'pret';
      travail.etape = 'terminée';
    } catch (error) {
      if (error instanceof SimulationAnnuleeError || travail.annulation.signal.aborted) {
        travail.etat = 'annule';
        travail.etape = 'annulée';
      } else {
        travail.etat = 'echec';
        // Our own errors are written for the user (a year without data to calibrate on); others are not shown.
        travail.message = error instanceof MixiteError ? error.message : `la simulation a échoué (${(error as Error).name}) : relancez-la ; si l’échec se répète, signalez-le à l’administrateur`;
      }
    }
  }

  private expirer(): void {
    const limite = this.maintenant() - DUREE_DE_VIE_MS;
    for (const [id, t] of this.travaux) if (t.cree < limite && !actif(t)) this.travaux.delete(id);
  }
}

function vue(t: Travail): TravailSimulation {
  return { id: t.id, etat: t.etat, faits: t.faits, total: t.total, etape: t.etape, message: t.message, resultat: t.resultat };
}
