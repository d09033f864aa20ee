import { RequeteInvalideError } from '../erreurs.ts';
import type { ZoneApl } from '../format/codes.ts';
import type { BaremeApl } from './baremes.ts';

/**
 * The APL of a tenant of the social stock (CCH D823-16/17, arrêté of 27 September 2019), from one dated table:
 *
 *   APL = L + C − PP − reduction_forfaitaire [− part_rls × RLS], never below 0, where
 *   L  = min(rent, ceiling of the zone and household),   C = flat charges (base + per dependant),
 *   PP = P0 + TP × max(0, R − R0)  (R: annual resources; the rates are set so that the product is monthly),
 *   P0 = max(taux × (L + C), minimum),   TP = TF + TL,   RL = L ÷ zone-2 ceiling of the household (in %, 2 decimals).
 *
 * What is left out, and said in docs/parc.md: the abatements and neutralisations of resources (the resources given
 * are those retained), the non-payment threshold, sharing and furnished lets. The result is rounded to the cent.
 */

/** The household as the APL sees it: one or two adults (the applicant and a spouse), the other persons dependants. */
export interface MenageApl {
  readonly adultes: 1 | 2;
  readonly personnesACharge: number;
  /** Annual resources retained, €. */
  readonly ressourcesAnnuelles: number;
  /** Under the RLS ceilings (the bailleur applies the RLS): the APL is reduced by part_rls × RLS. */
  readonly sousPlafondsRls?: boolean;
}

export interface LogementApl {
  /** Monthly rent, € (main rent, before APL and charges). */
  readonly loyer: number;
  readonly zone: ZoneApl;
}

/** Every step of the computation, so that a user can check it by hand. */
export interface DetailApl {
  readonly loyerRetenu: number;
  readonly plafond: number;
  readonly charges: number;
  readonly p0: number;
  readonly r0: number;
  readonly rl: number;
  readonly tf: number;
  readonly tl: number;
  readonly participation: number;
  readonly rls: number;
  /** The monthly APL, €, rounded to the cent. */
  readonly apl: number;
}

type Grille = BaremeApl['plafonds']['1'];

/** A ceiling-like grid (rent ceilings, RLS) for the household. */
function selonMenage(g: Grille, m: Pick<MenageApl, 'adultes' | 'personnesACharge'>): number {
  if (m.personnesACharge === 0) return m.adultes === 1 ? g.seul : g.couple;
  return g.une_personne_a_charge + (m.personnesACharge - 1) * g.par_personne_a_charge_supplementaire;
}

/** A value by number of dependants: single, couple, then the list (1 dependant first), then per extra dependant. */
function parPersonnesACharge(
  v: { seul: number; couple: number; personnes_a_charge: readonly number[]; par_personne_a_charge_supplementaire: number },
  m: Pick<MenageApl, 'adultes' | 'personnesACharge'>,
): number {
  if (m.personnesACharge === 0) return m.adultes === 1 ? v.seul : v.couple;
  const n = v.personnes_a_charge.length;
  if (m.personnesACharge <= n) return v.personnes_a_charge[m.personnesACharge - 1] as number;
  return (v.personnes_a_charge[n - 1] as number) + (m.personnesACharge - n) * v.par_personne_a_charge_supplementaire;
}

const arrondi2 = (x: number) => Math.round(x * 100) / 100;

/** TL (a fraction) for RL in %. */
export function tauxLoyer(rl: number, t: BaremeApl['tl']): number {
  if (rl < t.seuil1) return 0;
  if (rl < t.seuil2) return (t.taux1 * (rl - t.seuil1)) / 100;
  return (t.taux1 * (t.seuil2 - t.seuil1) + t.taux2 * (rl - t.seuil2)) / 100;
}

/**
 * What the APL of a household in a zone owes to the table alone, whatever the rent and resources: the SQL of the
 * stock (apl-sql.ts) computes one set per reference household × zone and applies `aplDepuisConstantes` per dwelling.
 */
export interface ConstantesApl {
  readonly plafond: number;
  /** The zone 2 ceiling of the same household (denominator of RL). */
  readonly plafondZone2: number;
  readonly charges: number;
  readonly p0Taux: number;
  readonly p0Minimum: number;
  readonly r0: number;
  readonly tf: number;
  readonly tl: BaremeApl['tl'];
  /** reduction_forfaitaire + part_rls × RLS. */
  readonly deduction: number;
  readonly rls: number;
}

export function constantesApl(menage: Omit<MenageApl, 'ressourcesAnnuelles'>, zone: ZoneApl, bareme: BaremeApl): ConstantesApl {
  const { adultes, personnesACharge } = menage;
  if (adultes !== 1 && adultes !== 2) throw new RequeteInvalideError(`nombre d’adultes invalide (${String(adultes)}) : 1 ou 2 pour l’APL`);
  if (!Number.isInteger(personnesACharge) || personnesACharge < 0) throw new RequeteInvalideError(`nombre de personnes à charge invalide (${personnesACharge})`);
  let rls = 0;
  if (menage.sousPlafondsRls) {
    if (bareme.rls === null) throw new RequeteInvalideError(`le barème du ${bareme.debut} ne donne pas les montants de la RLS`);
    rls = selonMenage(bareme.rls[zone], menage);
  }
  return {
    plafond: selonMenage(bareme.plafonds[zone], menage),
    plafondZone2: selonMenage(bareme.plafonds['2'], menage),
    charges: bareme.charges.base + personnesACharge * bareme.charges.par_personne_a_charge,
    p0Taux: bareme.p0.taux,
    p0Minimum: bareme.p0.minimum,
    r0: parPersonnesACharge(bareme.r0, menage),
    tf: parPersonnesACharge(bareme.tf, menage),
    tl: bareme.tl,
    deduction: bareme.reduction_forfaitaire + bareme.part_rls * rls,
    rls,
  };
}

/** The APL from the constants, for a rent and annual resources (the formula of this file's header). */
export function aplDepuisConstantes(loyer: number, ressourcesAnnuelles: number, k: ConstantesApl): DetailApl {
  if (!(ressourcesAnnuelles >= 0)) throw new RequeteInvalideError(`ressources invalides (${ressourcesAnnuelles}) : un montant positif ou nul`);
  if (!(loyer >= 0)) throw new RequeteInvalideError(`loyer invalide (${loyer}) : un montant positif ou nul`);
  const loyerRetenu = Math.min(loyer, k.plafond);
  const p0 = Math.max(k.p0Taux * (loyerRetenu + k.charges), k.p0Minimum);
  // RL against the zone 2 ceiling of the same household, in % rounded to two decimals (arrêté, art. 15).
  const rl = arrondi2((loyerRetenu / k.plafondZone2) * 100);
  const tl = tauxLoyer(rl, k.tl);
  const participation = p0 + (k.tf + tl) * Math.max(0, ressourcesAnnuelles - k.r0);
  const brute = loyerRetenu + k.charges - participation - k.deduction;
  return { loyerRetenu, plafond: k.plafond, charges: k.charges, p0, r0: k.r0, rl, tf: k.tf, tl, participation, rls: k.rls, apl: Math.max(0, arrondi2(brute)) };
}

export function calculerApl(menage: MenageApl, logement: LogementApl, bareme: BaremeApl): DetailApl {
  return aplDepuisConstantes(logement.loyer, menage.ressourcesAnnuelles, constantesApl(menage, logement.zone, bareme));
}
