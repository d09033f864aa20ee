import type { CiaConfig, DetailApl, OrigineSeuil, Quartile, ZoneApl } from '@mixite/core';
import {
  DEFAULT_CIA_CONFIG,
  IntrouvableError,
  RequeteInvalideError,
  baremeApplicable,
  calculerApl,
  estZoneApl,
  parametresParc,
  quartileDe,
  ressourcesParUc,
  resteAVivreParUcParJour,
  seuilApplicable,
  tauxEffort,
  unitesDeConsommation,
} from '@mixite/core';
import { configurationCourante } from '../indicators/engine.ts';
import { epciDuStore, limitesDesAnnees } from '../indicators/limites.ts';
import { sql } from '../store/sql.ts';
import type { Store } from '../store/store.ts';

/**
 * The household calculator (issue 14: "which quartile is this household", then its APL and effort rate in a
 * dwelling), shared by `mixite menage` and POST /api/menage. Every rule is core's: UC and quartile (quartile/),
 * the limits of the year (indicators/limites.ts through limitesDesAnnees), the APL table in force at the date
 * (apl/baremes.ts, the CIA's extra tables included), the effort rate and the reste à vivre (apl/effort.ts).
 */

export interface EntreeMenage {
  readonly personnes: number;
  readonly adultes: 1 | 2;
  readonly moins_14_ans: number;
  readonly ressources_mensuelles: number;
  /** YYYY-MM-DD; default today. */
  readonly date?: string | undefined;
  readonly code_insee?: string | undefined;
  readonly zone_apl?: ZoneApl | undefined;
  readonly loyer?: number | undefined;
  readonly charges?: number | undefined;
}

export interface LogementSimule {
  readonly zone_apl: ZoneApl;
  readonly loyer: number;
  readonly charges: number;
  readonly charges_estimees: boolean;
  readonly apl: number;
  readonly taux_effort: number | null;
  readonly reste_a_vivre_uc_jour: number | null;
  readonly bareme: { readonly debut: string; readonly source: string };
  readonly detail: {
    readonly loyer_retenu: number;
    readonly plafond: number;
    readonly forfait_charges: number;
    readonly p0: number;
    readonly r0: number;
    readonly rl: number;
    readonly tp: number;
    readonly participation: number;
  };
}

export interface ResultatMenage {
  readonly uc: number;
  readonly ressources_par_uc: number;
  readonly quartile: Quartile | null;
  readonly annee: number;
  readonly seuil_q1: number | null;
  readonly origine_seuil: OrigineSeuil;
  readonly mediane: number | null;
  readonly q3: number | null;
  /** Where the median and Q3 come from: the arrêté's seuil_q2/seuil_q3 (seuils.csv), else the demand. */
  readonly origine_mediane: OrigineSeuil;
  readonly origine_q3: OrigineSeuil;
  readonly logement: LogementSimule | null;
}

const arrondi = (x: number, chiffres: number) => Math.round(x * 10 ** chiffres) / 10 ** chiffres;

/** Checks what a form or a command line may get wrong, in French. */
export function verifierMenage(e: EntreeMenage): void {
  const refus = (message: string) => {
    throw new RequeteInvalideError(message);
  };
  if (!Number.isInteger(e.personnes) || e.personnes < 1 || e.personnes > 20) refus(`nombre de personnes invalide (${e.personnes}) : de 1 à 20`);
  if (e.adultes !== 1 && e.adultes !== 2) refus(`nombre d’adultes invalide (${String(e.adultes)}) : 1 ou 2 (les autres personnes sont à charge pour l’APL)`);
  if (e.adultes > e.personnes) refus(`${e.adultes} adultes pour ${e.personnes} personne : le ménage compte au moins ses adultes`);
  if (!Number.isInteger(e.moins_14_ans) || e.moins_14_ans < 0) refus(`nombre d’enfants de moins de 14 ans invalide (${e.moins_14_ans})`);
  if (e.moins_14_ans > e.personnes - e.adultes) refus(`${e.moins_14_ans} enfants de moins de 14 ans : au plus ${e.personnes - e.adultes} (les personnes autres que les adultes)`);
  if (!(e.ressources_mensuelles >= 0)) refus(`ressources mensuelles invalides (${e.ressources_mensuelles}) : un montant positif ou nul`);
  if (e.date !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(e.date) || Number.isNaN(Date.parse(`${e.date}T00:00:00Z`)))) refus(`date invalide « ${e.date} » : AAAA-MM-JJ`);
  if (e.zone_apl !== undefined && !estZoneApl(e.zone_apl)) refus(`zone APL invalide « ${String(e.zone_apl)} » : 1, 2 ou 3`);
  if (e.code_insee !== undefined && e.zone_apl !== undefined) refus('indiquez soit la commune (code INSEE), soit la zone APL, pas les deux');
  if (e.loyer !== undefined && !(e.loyer >= 0)) refus(`loyer invalide (${e.loyer})`);
  if (e.charges !== undefined && !(e.charges >= 0)) refus(`charges invalides (${e.charges})`);
  if (e.charges !== undefined && e.loyer === undefined) refus('des charges sans loyer : indiquez aussi le loyer');
}

interface Commune {
  readonly zone_apl: string | null;
  readonly code_epci: string | null;
}

async function commune(store: Store, codeInsee: string): Promise<Commune> {
  const [c] = await store.all<Commune>(sql`SELECT zone_apl, code_epci FROM communes WHERE code_insee = ${codeInsee}`);
  if (!c) throw new IntrouvableError(`commune « ${codeInsee} » absente de communes.csv`);
  return c;
}

/** The household placed and, given a rent and a zone (or a commune), simulated in the dwelling. `store` null: no quartile limits. */
export async function simulerMenage(store: Store | null, e: EntreeMenage, aujourdhui = new Date().toISOString().slice(0, 10)): Promise<ResultatMenage> {
  verifierMenage(e);
  const date = e.date ?? aujourdhui;
  const annee = Number(date.slice(0, 4));
  const config: CiaConfig = store ? await configurationCourante(store) : DEFAULT_CIA_CONFIG;
  const menage = { ressources_mensuelles: e.ressources_mensuelles, nb_personnes: e.personnes, nb_moins_14_ans: e.moins_14_ans };
  const uc = unitesDeConsommation(menage, config.uc) as number;

  let zone: ZoneApl | null = e.zone_apl ?? null;
  let epci: string | null = null;
  if (e.code_insee !== undefined) {
    if (!store) throw new RequeteInvalideError('une commune ne se lit que dans une base : indiquez --data ou --base, ou la zone APL');
    const c = await commune(store, e.code_insee);
    epci = c.code_epci;
    if (c.zone_apl !== null && estZoneApl(c.zone_apl)) zone = c.zone_apl;
    else if (e.loyer !== undefined) throw new RequeteInvalideError(`la commune « ${e.code_insee} » n’a pas de zone APL dans communes.csv : indiquez la zone`);
  }

  let seuil: number | null = null;
  let origine: OrigineSeuil = 'absent';
  let mediane: number | null = null;
  let q3: number | null = null;
  let origineMediane: OrigineSeuil = 'absent';
  let origineQ3: OrigineSeuil = 'absent';
  if (store) {
    const { limites, parEpci, publies } = await limitesDesAnnees(store, config, [annee]);
    const l = limites[0];
    seuil = l?.seuil_applique ?? null;
    origine = l?.origine_seuil ?? 'absent';
    mediane = l?.mediane ?? null;
    q3 = l?.q3 ?? null;
    // The dwelling's EPCI has its own threshold when the arrêté gives one (core's seuilRetenu made the choice).
    const propre = epci === null ? undefined : parEpci.find((p) => p.annee === annee && p.codeEpci === epci);
    if (propre && propre.seuilQ1 !== null) seuil = Number(propre.seuilQ1) / 100;
    // So do its median and Q3 when its arrêté row publishes them (core's selectionnerLimites chose them too).
    if (propre && propre.mediane !== null) mediane = Number(propre.mediane) / 100;
    if (propre && propre.q3 !== null) q3 = Number(propre.q3) / 100;
    const publie = seuilApplicable(publies, annee, epci ?? (await epciDuStore(store, config)));
    const origine2 = (publiee: unknown, valeur: number | null): OrigineSeuil => (valeur === null ? 'absent' : publiee !== null && publiee !== undefined && publiee !== '' ? 'publie' : 'calcule');
    origineMediane = origine2(publie?.seuil_q2, mediane);
    origineQ3 = origine2(publie?.seuil_q3, q3);
  }
  const quartile = quartileDe(menage, { seuil_q1: seuil, mediane, q3 }, config.uc);

  let logement: LogementSimule | null = null;
  if (e.loyer !== undefined) {
    if (zone === null) throw new RequeteInvalideError('pour simuler l’APL dans le logement, indiquez sa commune (code INSEE) ou sa zone APL (1, 2 ou 3)');
    const bareme = baremeApplicable(date, parametresParc(config.parc).baremes_apl);
    const d: DetailApl = calculerApl({ adultes: e.adultes, personnesACharge: e.personnes - e.adultes, ressourcesAnnuelles: e.ressources_mensuelles * 12 }, { loyer: e.loyer, zone }, bareme);
    const charges = e.charges ?? d.charges;
    const depense = { loyer: e.loyer, charges, apl: d.apl };
    const taux = tauxEffort(depense, e.ressources_mensuelles);
    const rav = resteAVivreParUcParJour(depense, e.ressources_mensuelles, uc);
    logement = {
      zone_apl: zone,
      loyer: e.loyer,
      charges: arrondi(charges, 2),
      charges_estimees: e.charges === undefined,
      apl: d.apl,
      taux_effort: taux === null ? null : arrondi(taux, 4),
      reste_a_vivre_uc_jour: rav === null ? null : arrondi(rav, 2),
      bareme: { debut: bareme.debut, source: bareme.source },
      detail: {
        loyer_retenu: arrondi(d.loyerRetenu, 2),
        plafond: arrondi(d.plafond, 2),
        forfait_charges: arrondi(d.charges, 2),
        p0: arrondi(d.p0, 2),
        r0: d.r0,
        rl: d.rl,
        tp: arrondi(d.tf + d.tl, 6),
        participation: arrondi(d.participation, 2),
      },
    };
  }
  return {
    uc,
    ressources_par_uc: arrondi(ressourcesParUc(menage, config.uc) as number, 2),
    quartile,
    annee,
    seuil_q1: seuil,
    origine_seuil: origine,
    mediane,
    q3,
    origine_mediane: origineMediane,
    origine_q3: origineQ3,
    logement,
  };
}
