/**
 * Households: composition, consumption units and resources. Resources are drawn by quantile band
 * of a log-normal law so that the share of first-quartile households is exact by construction.
 */
import { DEMANDE } from './calibration.js';
import { Categorical, inverseNormal, normalCdf, type Random } from './random.js';

export const COMPOSITIONS = ['personne_seule', 'couple', 'couple_enfants', 'monoparentale', 'autre'] as const;
export type Composition = (typeof COMPOSITIONS)[number];
const SEULE = 0;
const COUPLE = 1;
const COUPLE_ENFANTS = 2;
const MONOPARENTALE = 3;
const AUTRE = 4;

/** Resource classes: first quartile, second quartile, third and fourth quartiles. */
export const Q1 = 0;
export const Q2 = 1;
export const Q34 = 2;
export type Classe = typeof Q1 | typeof Q2 | typeof Q34;

/**
 * log(resources per UC ÷ Q1 threshold) ~ N(MU, SIGMA²), with MU chosen so that exactly
 * DEMANDE.partQ1 of the demand lies at or below the threshold.
 */
const SIGMA = DEMANDE.sigmaLog;
const MU = -SIGMA * inverseNormal(DEMANDE.partQ1);
/**
 * Median resources per UC relative to the Q1 threshold of the situation year: the limit between Q2
 * and Q3-Q4. It is not published; the core computes it on the demand stock, which the demo draws
 * against the situation year, so the limit is one amount in euros for every year.
 */
export const RATIO_MEDIANE = Math.exp(MU + SIGMA * inverseNormal(DEMANDE.quantileMedian));
const QUANTILE_MIN = 0.002;
const QUANTILE_MAX = 0.985;

/**
 * Resources per UC (€/year) of a household of class `classe`, drawn inside the band of its class of
 * the log-normal law scaled on `seuil`: Q1 up to `seuil`, Q2 up to `mediane`, Q3-Q4 above.
 */
export function ressourcesParUc(rng: Random, classe: Classe, seuil: number, mediane: number): number {
  const quantileMediane = normalCdf((Math.log(mediane / seuil) - MU) / SIGMA);
  const [lo, hi] =
    classe === Q1 ? [QUANTILE_MIN, DEMANDE.partQ1] : classe === Q2 ? [DEMANDE.partQ1, quantileMediane] : [quantileMediane, QUANTILE_MAX];
  return seuil * Math.exp(MU + SIGMA * inverseNormal(lo + (Math.max(lo, hi) - lo) * rng.next()));
}

/** UC (DOMAIN.md, INSEE/OECD-modified scale): 1, +0.5 per other person aged 14 or more, +0.3 per child under 14. */
export function unitesConsommation(personnes: number, moins14: number): number {
  return 1 + 0.5 * (personnes - 1 - moins14) + 0.3 * moins14;
}

export interface Menage {
  personnes: number;
  moins14: number;
  composition: number;
  typologieMin: number;
  typologieMax: number;
}

const PERSONNES_T3 = new Categorical({ 2: 0.15, 3: 0.6, 4: 0.25 });
const PERSONNES_T4 = new Categorical({ 4: 0.55, 5: 0.35, 6: 0.1 });
const PERSONNES_T5 = new Categorical({ 5: 0.3, 6: 0.4, 7: 0.2, 8: 0.1 });
const DEUX_PERSONNES = new Categorical({ couple: 0.45, monoparentale: 0.4, autre: 0.15 });

/**
 * A household that asks for `typologieMin` rooms. Single parents are over-represented among Q1
 * households (seed §I.2.B: "Les familles monoparentales représentent 43% des demandes du 1er quartile").
 */
export function tirerMenage(rng: Random, typologieMin: number, q1: boolean): Menage {
  const tmin = Math.max(1, Math.min(6, typologieMin));
  let personnes: number;
  if (tmin === 1) personnes = rng.chance(0.92) ? 1 : 2;
  else if (tmin === 2) personnes = rng.chance(0.4) ? 1 : 2;
  else if (tmin === 3) personnes = Number(PERSONNES_T3.draw(rng));
  else if (tmin === 4) personnes = Number(PERSONNES_T4.draw(rng));
  else personnes = Number(PERSONNES_T5.draw(rng));

  let composition: number;
  let enfants: number;
  if (personnes === 1) {
    composition = SEULE;
    enfants = 0;
  } else if (personnes === 2 && tmin <= 1) {
    composition = COUPLE;
    enfants = 0;
  } else if (personnes === 2) {
    const c = DEUX_PERSONNES.draw(rng);
    composition = c === 'couple' ? COUPLE : c === 'monoparentale' ? MONOPARENTALE : AUTRE;
    enfants = composition === MONOPARENTALE ? 1 : 0;
  } else {
    const x = rng.next();
    const mono = q1 ? 0.5 : 0.36;
    composition = x < mono ? MONOPARENTALE : x < 0.93 ? COUPLE_ENFANTS : AUTRE;
    enfants = composition === MONOPARENTALE ? personnes - 1 : composition === COUPLE_ENFANTS ? personnes - 2 : rng.int(2);
  }
  let moins14 = 0;
  for (let k = 0; k < enfants; k++) if (rng.chance(0.7)) moins14++;
  const typologieMax = Math.min(6, tmin + (rng.chance(0.55) ? 1 : 0));
  return { personnes, moins14, composition, typologieMin: tmin, typologieMax };
}

/**
 * Monthly resources (whole euros) of a household of class `classe` against threshold `seuil`,
 * kept strictly away from every threshold in `autresSeuils` so that the Q1 flag never depends on
 * rounding (DATA-FORMAT.md says "<", DOMAIN.md "at or below").
 */
export function tirerRessources(
  rng: Random, classe: Classe, seuil: number, mediane: number, uc: number, autresSeuils: readonly number[],
): number {
  if (classe === Q1 && rng.chance(0.003)) return 0;
  let r = Math.round((ressourcesParUc(rng, classe, seuil, mediane) * uc) / 12);
  // Rounding to whole euros may cross the threshold: push back into the class.
  if (classe === Q1 && (r * 12) / uc >= seuil) r = Math.floor((seuil * uc) / 12) - 1;
  if (classe !== Q1 && (r * 12) / uc <= seuil) r = Math.ceil((seuil * uc) / 12) + 1;
  for (let guard = 0; guard < 4 && autresSeuils.some((s) => Math.abs((r * 12) / uc - s) < 0.5); guard++) {
    r += classe === Q1 ? -1 : 1;
  }
  return Math.max(0, r);
}

export function classeDe(ressources: number, uc: number, seuil: number, mediane: number): Classe {
  const parUc = (ressources * 12) / uc;
  return parUc <= seuil ? Q1 : parUc <= mediane ? Q2 : Q34;
}
