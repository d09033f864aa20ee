import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { DonneesInvalidesError, IntrouvableError, LEGAL_INDICATORS } from '@mixite/core';
import type { Contexte } from './contexte.ts';
import { formatTaux } from './format.ts';
import type { Ligne } from './modele.ts';
import { texte, taux } from './modele.ts';

/**
 * Annex « Simulation des politiques d’attribution — effets attendus de la politique proposée » (issue 16,
 * docs/simulation.md). Optional: printed only when a simulation result is handed to the bilan (`mixite bilan
 * --simulation FICHIER.json`, the file written by `mixite simuler --format json` or saved from the Simulation page).
 * It prints the territory's rates of the four legal targets only — model outputs, not counts of households — so
 * that the public edition publishes nothing the secrecy would have to mask; the targets are those of the bilan's
 * configuration (one home: the CIA's settings), not those of the file.
 */

export interface LigneSimulationBilan {
  readonly politique: string;
  readonly indicateur: string;
  readonly perimetre_type: string;
  readonly perimetre_id: string;
  readonly moyenne: number;
  readonly p05: number;
  readonly p95: number;
  readonly observe: number | null;
}

export interface SimulationBilan {
  readonly annee: number;
  readonly anneesCalibration: readonly number[];
  readonly tirages: number;
  readonly graine: number;
  readonly politiques: readonly { readonly id: string; readonly nom: string }[];
  readonly lignes: readonly LigneSimulationBilan[];
}

const estEntier = (v: unknown): v is number => Number.isInteger(v);
const estNombre = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const estLigne = (l: unknown): l is LigneSimulationBilan => {
  const x = l as Record<string, unknown> | null;
  return (
    typeof x === 'object' && x !== null && typeof x['politique'] === 'string' && typeof x['indicateur'] === 'string' && typeof x['perimetre_type'] === 'string' &&
    typeof x['perimetre_id'] === 'string' && estNombre(x['moyenne']) && estNombre(x['p05']) && estNombre(x['p95']) && (x['observe'] === null || estNombre(x['observe']))
  );
};

/**
 * The CLI's JSON (`anneesCalibration`, policies named by their file) and the API's (`annees_calibration`, `politiques`
 * with their names) alike; null when the value is not a simulation result.
 */
export function simulationBilanDe(json: unknown): SimulationBilan | null {
  const f = json as Record<string, unknown> | null;
  if (typeof f !== 'object' || f === null || !estEntier(f['annee']) || !estEntier(f['tirages']) || !estEntier(f['graine'])) return null;
  const lignes = f['lignes'];
  if (!Array.isArray(lignes) || !lignes.every(estLigne)) return null;
  const calibration = f['annees_calibration'] ?? f['anneesCalibration'] ?? [];
  if (!Array.isArray(calibration) || !calibration.every(estEntier)) return null;
  const nommees = f['politiques'];
  const politiques = Array.isArray(nommees) && nommees.every((p) => typeof p?.id === 'string' && typeof p?.nom === 'string')
    ? (nommees as { id: string; nom: string }[]).map((p) => ({ id: p.id, nom: p.nom }))
    : [...new Set(lignes.map((l) => l.politique).filter((p) => p !== DIFFERENCE))].map((id) => ({ id, nom: id }));
  return { annee: f['annee'], anneesCalibration: calibration, tirages: f['tirages'], graine: f['graine'], politiques, lignes };
}

const DIFFERENCE = 'difference';
const OBJECTIFS = ['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires'] as const;

/** Reads a simulation result file for the bilan; a file that is not one is told with its name. */
export function lireSimulationBilan(chemin: string): SimulationBilan {
  let texteFichier: string;
  try {
    texteFichier = readFileSync(chemin, 'utf8');
  } catch {
    throw new IntrouvableError(`résultat de simulation introuvable : ${chemin}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(texteFichier);
  } catch {
    throw new DonneesInvalidesError(`résultat de simulation « ${basename(chemin)} » illisible : du JSON est attendu (mixite simuler --format json)`);
  }
  const r = simulationBilanDe(json);
  if (!r) throw new DonneesInvalidesError(`résultat de simulation « ${basename(chemin)} » invalide : le JSON de mixite simuler --format json ou de la page Simulation est attendu (annee, tirages, graine, lignes)`);
  return r;
}

const libelle = (id: string) => (LEGAL_INDICATORS as Readonly<Record<string, { libelle: string } | undefined>>)[id]?.libelle ?? id;

export function sectionSimulation(ctx: Contexte, simulation: SimulationBilan | null | undefined): void {
  if (!simulation) return;
  const { r } = ctx;
  const s = simulation;
  const cibles = ctx.donnees.configuration.cibles as Readonly<Record<string, number | null | undefined>>;
  const ligne = (politique: string, indicateur: string) => s.lignes.find((l) => l.politique === politique && l.indicateur === indicateur && l.perimetre_type === 'territoire');

  r.titre(1, 'Simulation des politiques d’attribution');
  r.paragraphe(
    `Effets attendus de la politique proposée. L’année ${s.annee} a été simulée ${s.tirages} fois (graine ${s.graine}) à partir de l’état de la demande au ` +
      `1er janvier, avec un modèle calibré sur ${s.anneesCalibration.join(', ') || 'les années précédentes'} : logements qui se libèrent, nouvelles demandes, ` +
      'radiations, listes de candidats composées selon la politique, refus des ménages. Pour chaque objectif, la moyenne des tirages et l’intervalle ' +
      'qui en contient 90 % (du 5e au 95e centile). Une simulation n’est pas une prévision : elle dit ce que la politique changerait toutes choses égales ' +
      'par ailleurs (méthode et limites : docs/simulation.md).',
  );
  for (const p of s.politiques) {
    const lignes: Ligne[] = OBJECTIFS.flatMap((id) => {
      const l = ligne(p.id, id);
      return l ? [{ cellules: [texte(libelle(id)), taux(l.moyenne), texte(`${formatTaux(l.p05)} – ${formatTaux(l.p95)}`), taux(cibles[id] ?? null, false), taux(l.observe, false)] }] : [];
    });
    r.tableau(`simulation-${p.id}`, `Politique « ${p.nom} » : objectifs simulés en ${s.annee}`, ['Objectif', 'Moyenne simulée', 'Intervalle 5 % – 95 %', 'Objectif de la CIA', `Observé ${s.annee}`], lignes, [
      'Observé : la valeur de l’année quand elle est dans les données (rétro-test) ; « – » pour une année à venir.',
    ]);
  }
  const [a, b] = s.politiques;
  if (a && b) {
    const lignes: Ligne[] = OBJECTIFS.flatMap((id) => {
      const l = ligne(DIFFERENCE, id);
      return l ? [{ cellules: [texte(libelle(id)), taux(l.moyenne, false), texte(`${formatTaux(l.p05)} – ${formatTaux(l.p95)}`)] }] : [];
    });
    r.tableau('simulation-difference', `« ${b.nom} » comparée à « ${a.nom} » : différence B − A`, ['Objectif', 'Écart moyen', 'Intervalle 5 % – 95 %'], lignes, [
      'Les deux politiques sont simulées avec les mêmes tirages (logements libérés, arrivées, radiations) : l’écart est calculé tirage par tirage.',
    ]);
  }
}
