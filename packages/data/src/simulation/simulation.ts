import type { CiaConfig, LigneSimulation, MesuresTirage } from '@mixite/core';
import { RequeteInvalideError, lignesDeLaDifference, lignesDeLaPolitique } from '@mixite/core';
import type { Store } from '../store/store.ts';
import type { Calibration } from './calibration.ts';
import { calibrerSimulation } from './calibration.ts';
import type { PolitiqueLue } from './fichiers.ts';
import { simulerEnParallele } from './parallele.ts';

/**
 * A simulation as `mixite simuler` and the API run it (issue 16): calibrate on the store, run R years per policy
 * (run k of each policy from the same seed), aggregate into lines with the observed values, and for two policies the
 * difference B − A run by run.
 */

export interface OptionsSimulation {
  readonly annee: number;
  readonly politiques: readonly [PolitiqueLue] | readonly [PolitiqueLue, PolitiqueLue];
  readonly tirages: number;
  readonly graine: number;
  readonly parPerimetre?: boolean;
  readonly threads?: number;
  readonly config?: CiaConfig;
  /** A calibration already computed for this year (without grid): reused for the policies that order without a grid. */
  readonly calibration?: Calibration;
  /** Progress over every run of every policy: done, total, and the step's label. */
  readonly progres?: (faits: number, total: number, etape: string) => void;
  readonly signal?: AbortSignal;
  /**
   * Wraps every read of the store (the calibrations): the server passes its read lock, so that an import waits for
   * the calibration only, not for the runs, which read nothing but the calibrated territory.
   */
  readonly lecture?: <T>(travail: () => Promise<T>) => Promise<T>;
}

export interface ResultatSimulation {
  readonly annee: number;
  /** Years the calibration read. */
  readonly anneesCalibration: readonly number[];
  readonly tirages: number;
  readonly graine: number;
  readonly lignes: readonly LigneSimulation[];
}

/** The `politique` value of the difference lines. */
export const ID_DIFFERENCE = 'difference';

export async function simuler(store: Store, options: OptionsSimulation): Promise<ResultatSimulation> {
  const { annee, politiques, tirages, graine } = options;
  if (!Number.isInteger(graine) || graine < 0 || graine > 0xffffffff) throw new RequeteInvalideError(`graine invalide « ${graine} » : un entier de 0 à 4294967295 est attendu`);
  if (politiques.length === 2 && politiques[0].id === politiques[1]?.id) {
    throw new RequeteInvalideError(`les deux politiques comparées ont le même nom de fichier « ${politiques[0].id} » : renommez l’une d’elles`);
  }
  const total = tirages * politiques.length;
  options.progres?.(0, total, 'calibration');
  // One calibration serves every policy without a grid; a grid's notes need their own.
  const calibrations = new Map<string, Calibration>(options.calibration && options.calibration.territoire.annee === annee ? [['', options.calibration]] : []);
  const calibrationDe = async (p: PolitiqueLue) => {
    const cle = p.grille ? `grille:${p.id}` : '';
    let c = calibrations.get(cle);
    if (!c) {
      const lire = () => calibrerSimulation(store, { annee, grille: p.grille, ...(options.config ? { config: options.config } : {}) });
      c = await (options.lecture ? options.lecture(lire) : lire());
      calibrations.set(cle, c);
    }
    return c;
  };
  // A policy that follows the conventions' shares needs conventions: said before any run, not after the first policy.
  for (const p of politiques) {
    if (p.politique.flux !== 'conventions') continue;
    const parts = (await calibrationDe(p)).territoire.partsFlux ?? {};
    if (Object.keys(parts).length === 0) {
      throw new RequeteInvalideError(`politique « ${p.id} » : « flux: conventions » suit les parts des conventions de réservation, mais la base n’a aucune convention (conventions.csv) pour ${annee} ni avant ; gardez « flux: observe » ou importez les conventions`);
    }
  }
  const mesures: MesuresTirage[][] = [];
  const lignes: LigneSimulation[] = [];
  let anneesCalibration: readonly number[] = [];
  for (const [k, p] of politiques.entries()) {
    const calibration = await calibrationDe(p);
    anneesCalibration = calibration.annees;
    const m = await simulerEnParallele(calibration.territoire, p.politique, graine, tirages, {
      parPerimetre: options.parPerimetre ?? false,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.signal ? { signal: options.signal } : {}),
      progres: (faits) => options.progres?.(k * tirages + faits, total, `tirages de « ${p.politique.nom} »`),
    });
    mesures.push(m);
    lignes.push(...lignesDeLaPolitique(p.id, m, calibration.observes));
  }
  if (mesures.length === 2) lignes.push(...lignesDeLaDifference(ID_DIFFERENCE, mesures[0]!, mesures[1]!));
  return { annee, anneesCalibration, tirages, graine, lignes };
}

export const COLONNES_SIMULATION = ['politique', 'indicateur', 'perimetre_type', 'perimetre_id', 'moyenne', 'p05', 'p95', 'observe'] as const;

/** A number with at most six decimals, without trailing zeros (the same text on every machine). */
export const nombreSimulation = (x: number | null): string => (x === null || !Number.isFinite(x) ? '' : String(Number(x.toFixed(6))));

/** The CSV of `mixite simuler`: `;`, header, one line per measure; ids never hold `;` (file names and codes). */
export function csvSimulation(lignes: readonly LigneSimulation[]): string {
  const champ = (v: string) => (/[;"\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const corps = lignes.map((l) =>
    [champ(l.politique), l.indicateur, l.perimetre_type, champ(l.perimetre_id), nombreSimulation(l.moyenne), nombreSimulation(l.p05), nombreSimulation(l.p95), nombreSimulation(l.observe)].join(';'),
  );
  return `${[COLONNES_SIMULATION.join(';'), ...corps].join('\n')}\n`;
}
