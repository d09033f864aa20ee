import type { BaremeApl } from '../apl/baremes.ts';
import { calculerApl } from '../apl/apl.ts';
import { tauxEffort } from '../apl/effort.ts';
import type { Composition, Financement, ZoneApl } from '../format/codes.ts';
import type { TypeContingent } from '../indicators/perimeters.ts';
import type { PoidsUc } from '../quartile/quartile.ts';
import { estQ1 } from '../quartile/quartile.ts';
import type { CaleolParametres } from './parametres.ts';
import type { PlafondRessources, ZonePlafonds } from './plafonds.ts';
import { categorieMenage, plafondRessources } from './plafonds.ts';

/**
 * Does a request fit a vacant dwelling (issue 15, docs/caleol.md)? The rules, each a reason of refusal:
 * - `active`: deposited on or before the date and not radiated on or before it (like the cotation and the indicators);
 * - `typologie`: the dwelling's rooms within typologie_min…typologie_max (a bound left empty does not limit);
 * - `commune`: the dwelling's commune among communes_souhaitees, or no wish at all;
 * - `pmr`: a request needing an accessible dwelling gets one;
 * - `plafond`: resources at or below the income ceiling of the dwelling's financing for the household's category
 *   (plafonds.ts). The resources are the taxable income when the extraction carries one (`revenu_fiscal`), else the
 *   declared monthly resources × 12, marked as an approximation;
 * - `taux_effort`: (rent + charges − estimated APL) ÷ monthly resources at or below the CIA's limit; the APL is the
 *   stock's engine (apl/apl.ts), the charges the dwelling's, else the APL's flat charges (marked estimated).
 * What cannot be checked (no ceiling table for the financing, no rent, no APL zone or table, no resources) does not
 * exclude the request: it is listed in `non_verifie`, for the commission to check by hand.
 */

export interface LogementCaleol {
  readonly id: string;
  readonly bailleur_id: string;
  readonly code_insee: string;
  readonly code_qpv: string | null;
  /** In a QPV (or an assimilated sector when the CIA counts them). */
  readonly en_qpv: boolean;
  readonly nb_pieces: number;
  readonly financement: Financement | null;
  /** Monthly main rent, € (null: not let, unknown). */
  readonly loyer: number | null;
  readonly charges: number | null;
  readonly pmr: boolean;
  /** The réservataire's id, or `non_reserve:<bailleur>`. */
  readonly contingent: string;
  readonly type_contingent: TypeContingent;
  readonly zone_apl: ZoneApl | null;
  readonly zone_plafonds: ZonePlafonds;
}

export interface DemandeCaleol {
  readonly nur: string;
  readonly date_depot: string;
  readonly date_radiation: string | null;
  readonly nb_personnes: number;
  readonly nb_moins_14_ans: number | null;
  readonly composition: Composition | null;
  readonly ressources_mensuelles: number;
  /** Annual taxable income (revenu fiscal de référence) when the extraction carries one. */
  readonly revenu_fiscal: number | null;
  readonly typologie_min: number | null;
  readonly typologie_max: number | null;
  readonly communes_souhaitees: readonly string[];
  readonly pmr: boolean;
  readonly handicap: boolean;
  readonly dalo: boolean;
  readonly prioritaire: boolean;
  readonly mutation: boolean;
  readonly relogement_anru: boolean;
  readonly travailleur_essentiel: boolean;
  /** The note of the CIA's cotation grid at the date. */
  readonly note: number;
}

/** What the rules read besides the request and the dwelling. */
export interface ContexteCaleol {
  /** YYYY-MM-DD. */
  readonly date: string;
  /** The Q1 threshold of the date's year for the dwelling's EPCI, € per UC per year (null: unknown). */
  readonly seuil_q1: number | null;
  readonly poids: PoidsUc;
  /** The APL table in force at the date (null: none known: the effort rate is not checked). */
  readonly bareme: BaremeApl | null;
  readonly parametres: CaleolParametres;
}

export const CRITERES_ELIGIBILITE = ['active', 'typologie', 'commune', 'pmr', 'plafond', 'taux_effort'] as const;
export type CritereEligibilite = (typeof CRITERES_ELIGIBILITE)[number];

export const LIBELLES_CRITERE: Record<CritereEligibilite, string> = {
  active: 'demande active à la date',
  typologie: 'typologie souhaitée',
  commune: 'commune souhaitée',
  pmr: 'logement accessible (PMR)',
  plafond: 'plafond de ressources du financement',
  taux_effort: 'taux d’effort après APL',
};

export interface ExamenDemande {
  readonly eligible: boolean;
  /** The rules the request breaks (empty when eligible). */
  readonly refus: readonly CritereEligibilite[];
  /** Rules that could not be checked (no table, rent, zone or resources). */
  readonly non_verifie: readonly ('plafond' | 'taux_effort')[];
  readonly q1: boolean | null;
  /** Annual resources compared with the ceiling, and whether they are the declared ones × 12 (an approximation). */
  readonly ressources_annuelles: number;
  readonly ressources_approximees: boolean;
  readonly plafond: PlafondRessources | null;
  readonly apl: number | null;
  readonly charges_estimees: boolean;
  readonly taux_effort: number | null;
}

export const estActive = (d: Pick<DemandeCaleol, 'date_depot' | 'date_radiation'>, date: string): boolean =>
  d.date_depot <= date && (d.date_radiation === null || d.date_radiation > date);

export const typologieConvient = (d: Pick<DemandeCaleol, 'typologie_min' | 'typologie_max'>, pieces: number): boolean =>
  (d.typologie_min === null || pieces >= d.typologie_min) && (d.typologie_max === null || pieces <= d.typologie_max);

export const communeConvient = (d: Pick<DemandeCaleol, 'communes_souhaitees'>, codeInsee: string): boolean =>
  d.communes_souhaitees.length === 0 || d.communes_souhaitees.includes(codeInsee);

/** Adults for the APL: two for a couple, else one; the other persons are dependants. */
export function adultesApl(d: Pick<DemandeCaleol, 'composition' | 'nb_personnes'>): 1 | 2 {
  return (d.composition === 'couple' || d.composition === 'couple_enfants') && d.nb_personnes >= 2 ? 2 : 1;
}

export function examinerDemande(d: DemandeCaleol, l: LogementCaleol, ctx: ContexteCaleol): ExamenDemande {
  const refus: CritereEligibilite[] = [];
  const nonVerifie: ('plafond' | 'taux_effort')[] = [];
  if (!estActive(d, ctx.date)) refus.push('active');
  if (!typologieConvient(d, l.nb_pieces)) refus.push('typologie');
  if (!communeConvient(d, l.code_insee)) refus.push('commune');
  if (d.pmr && !l.pmr) refus.push('pmr');

  const ressourcesApproximees = d.revenu_fiscal === null;
  const ressourcesAnnuelles = d.revenu_fiscal ?? d.ressources_mensuelles * 12;
  const plafond = plafondRessources(l.financement, Number(ctx.date.slice(0, 4)), l.zone_plafonds, categorieMenage(d));
  if (plafond === null) nonVerifie.push('plafond');
  // « at or below »: a household exactly at the ceiling fits.
  else if (ressourcesAnnuelles > plafond.montant) refus.push('plafond');

  let apl: number | null = null;
  let taux: number | null = null;
  let chargesEstimees = false;
  if (l.loyer === null || l.zone_apl === null || ctx.bareme === null || !(d.ressources_mensuelles > 0)) nonVerifie.push('taux_effort');
  else {
    const adultes = adultesApl(d);
    const detail = calculerApl(
      { adultes, personnesACharge: Math.max(0, d.nb_personnes - adultes), ressourcesAnnuelles: d.ressources_mensuelles * 12 },
      { loyer: l.loyer, zone: l.zone_apl },
      ctx.bareme,
    );
    apl = detail.apl;
    chargesEstimees = l.charges === null;
    taux = tauxEffort({ loyer: l.loyer, charges: l.charges ?? detail.charges, apl }, d.ressources_mensuelles);
    // At the limit fits; the rate is compared rounded to 1/10 000 so that 0.33 is not lost to binary fractions.
    if (taux !== null && Math.round(taux * 10_000) > Math.round(ctx.parametres.taux_effort_maximum * 10_000)) refus.push('taux_effort');
  }
  return {
    eligible: refus.length === 0,
    refus,
    non_verifie: nonVerifie,
    q1: estQ1(d, ctx.seuil_q1, ctx.poids),
    ressources_annuelles: ressourcesAnnuelles,
    ressources_approximees: ressourcesApproximees,
    plafond,
    apl,
    charges_estimees: chargesEstimees,
    taux_effort: taux,
  };
}
