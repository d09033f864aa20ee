/**
 * The bilan's French formats: those of @mixite/core/francais (one home for the web, the bilan and the command
 * line) written for a document: `pourDocument` turns the narrow no-break spaces into no-break spaces (U+00A0),
 * which Word's default fonts and pdftotext handle everywhere; a figure never breaks across lines.
 */
import * as fr from '@mixite/core/francais';

const d = fr.pourDocument;

/** 12345 → « 12 345 ». */
export const formatEntier = (n: number): string => d(fr.formatEntier(n));
/** 0.2534 → « 25,3 % ». */
export const formatTaux = (x: number): string => d(fr.formatTaux(x));
/** A rate with `decimales` decimals: 0.8098 at 2 → « 80,98 % ». */
export const formatTauxA = (x: number, decimales: number): string => d(fr.formatTauxA(x, decimales));
/** A gap in points with `decimales` decimals: −0.0002 at 2 → « −0,02 pt ». */
export const formatPointsA = (x: number, decimales: number): string => d(fr.formatPointsA(x, decimales));
/** A rate, its target and the gap with the decimals that keep them consistent with « atteint » (core's one rule). */
export function formaterTauxContreCible(numerateur: number | null, denominateur: number | null, cible: number | null, taux?: number | null): fr.TauxContreCible {
  const c = fr.formaterTauxContreCible(numerateur, denominateur, cible, taux);
  return { taux: d(c.taux), cible: d(c.cible), ecart: d(c.ecart), decimales: c.decimales };
}
/** A gap between two shares in percentage points: −0.016 → « −1,6 pt ». Zero is « 0,0 pt ». */
export const formatPoints = (x: number): string => d(fr.formatPoints(x));
/** A signed relative change: −0.286 → « −28,6 % ». */
export const formatVariation = (x: number): string => d(fr.formatVariation(x));
/** 11720 → « 11 720 € ». */
export const formatEuros = (x: number): string => d(fr.formatEuros(x));
/** A parameter in full: 0.5 → « 0,5 ». */
export const formatDecimal = (x: number): string => d(fr.formatDecimal(x));
/** 7.6147 → « 7,6 ». */
export const formatRatio = (x: number): string => d(fr.formatRatio(x));
/** `2024-06-30` → « 30/06/2024 »; a timestamp keeps its time (« 30/06/2024 à 14h05 »). */
export const formatDate = (valeur: string): string => fr.formatDate(valeur);
/** « 3 baux », « 1 proposition ». */
export const pluriel = (n: number, singulier: string, plurielForme?: string): string => d(fr.pluriel(n, singulier, plurielForme));
