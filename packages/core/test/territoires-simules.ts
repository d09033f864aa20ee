import type { DemandeSimulee, LogementSimule, TerritoireSimule } from '../src/simulation/modele.ts';
import type { PolitiqueSimulation } from '../src/simulation/politique.ts';
import { lirePolitique } from '../src/simulation/politique.ts';

/**
 * Builders of the tiny hand-built territories the simulation engine's tests work out by hand: no arrival, no
 * radiation, one vacancy a year of a three-room dwelling of B1 outside QPV unless a test says otherwise.
 */

export const demande = (nur: string, classe: 0 | 1 | 2 | 3, depot: number, autres: Partial<DemandeSimulee> = {}): DemandeSimulee => ({
  nur, classe, prioritaire: false, relogement: false, typologieMin: 1, typologieMax: 5, communes: [], depot, note: 0, nbRefus: 0, ...autres,
});

export const logement = (autres: Partial<LogementSimule> = {}): LogementSimule => ({
  id: 'L1', enQpv: false, nbPieces: 3, codeInsee: '91228', bailleurId: 'B1', contingent: 'non_reserve:B1', typeContingent: 'non_reserve', ...autres,
});

export const territoire = (stock: DemandeSimulee[], autres: Partial<TerritoireSimule> = {}): TerritoireSimule => ({
  annee: 2024,
  stock,
  arrivees: { parAn: 0, profils: [] },
  radiationsParAn: 0,
  vacances: { parAn: 1, profils: [logement()] },
  refus: [[0, 0, 0, 0], [0, 0, 0, 0]],
  poidsObserves: {},
  penaliteRefus: { centiemes: 0, parRefus: true, maxRefus: null },
  ...autres,
});

/** A policy from its YAML body, named « essai ». */
export const politique = (texte: string): PolitiqueSimulation => lirePolitique(`nom: essai\n${texte}`, 'essai.yaml');
