/**
 * Allocations (CALEOL decisions) of one EPCI for the allocation years. Each vacant dwelling goes to
 * a commission that ranks up to three candidates: the first ones may refuse or be turned down, the
 * next one signs the lease, the lower-ranked ones are never proposed. Households that sign are new
 * `attribuee` requests; the others are picked from the pool.
 */
import {
  ANNEES_ATTRIBUTION, ATTRIBUTIONS, DATE_EXTRACTION, PARTS_BAUX_TYPOLOGIE, PREMIER_DEPOT, PROFILS_CONTINGENT,
  type ProfilContingent,
} from './calibration.js';
import type { CsvWriter } from './csv-writer.js';
import { anneeDe, isoDate, jour, jourOuvre, type Jour } from './dates.js';
import {
  DALO, MUTATION, PRIORITAIRE, RELOGE, TRAVAILLEUR_ESSENTIEL, ligneDemande, type ContexteDemande, type ReserveDemandes,
} from './demand.js';
import { Q1, Q2, Q34, tirerMenage, tirerRessources, unitesConsommation, type Classe } from './household.js';
import { idAttribution, idLogement, type Compteurs } from './ids.js';
import type { EpciPlan } from './model.js';
import { Categorical, type Random, WeightedTable } from './random.js';
import { FINANCEMENTS, type Parc } from './stock.js';

const PROFILS: readonly ProfilContingent[] = ['mal_loges', 'collectivites', 'action_logement', 'etat_agents', 'non_reserve'];
const NON_RESERVE = PROFILS.indexOf('non_reserve');

/** Per contingent profile, the probabilities actually used, rescaled to the overall seed figures. */
interface Taux {
  horsQpvQ1: Float64Array;
  qpvQ1: Float64Array;
  prioritaires: Float64Array;
}

function calibrerTaux(plan: EpciPlan, parc: Parc): Taux {
  const profilIndex = new Map(PROFILS.map((p, i) => [p, i]));
  const profilDe = plan.contingents.map((c) => profilIndex.get(c.profil)!);
  const hors = new Float64Array(PROFILS.length);
  const qpv = new Float64Array(PROFILS.length);
  for (let i = 0; i < parc.taille; i++) {
    const c = parc.contingent[i]!;
    const p = c < 0 ? NON_RESERVE : profilDe[c]!;
    const q = parc.qpv[i]!;
    if (q >= 0 && !plan.qpvs[q]!.assimile) qpv[p]!++;
    else hors[p]!++;
  }
  const moyenne = (parts: Float64Array, taux: (p: ProfilContingent) => number): number => {
    let total = 0;
    let somme = 0;
    PROFILS.forEach((p, i) => {
      total += parts[i]!;
      somme += parts[i]! * taux(p);
    });
    return total > 0 ? somme / total : 0;
  };
  const tous = hors.map((h, i) => h + qpv[i]!);
  const echelle = (cible: number, m: number): number => (m > 0 ? cible / m : 1);
  const kHors = echelle(ATTRIBUTIONS.horsQpvQ1OuReloges, moyenne(hors, (p) => PROFILS_CONTINGENT[p].horsQpvQ1));
  const kQpv = echelle(1 - ATTRIBUTIONS.qpvHorsQ1, moyenne(qpv, (p) => 1 - PROFILS_CONTINGENT[p].qpvHorsQ1));
  const kPrio = echelle(ATTRIBUTIONS.prioritaires, moyenne(tous, (p) => PROFILS_CONTINGENT[p].prioritaires));
  const borne = (x: number): number => Math.min(0.98, Math.max(0, x));
  return {
    horsQpvQ1: Float64Array.from(PROFILS, (p) => borne(PROFILS_CONTINGENT[p].horsQpvQ1 * kHors)),
    qpvQ1: Float64Array.from(PROFILS, (p) => borne((1 - PROFILS_CONTINGENT[p].qpvHorsQ1) * kQpv)),
    prioritaires: Float64Array.from(PROFILS, (p) => borne(PROFILS_CONTINGENT[p].prioritaires * kPrio)),
  };
}

interface Profil {
  classe: Classe;
  flags: number;
}

/** Share of Q2 among households above Q1 in QPV (seed: 30 % of Q2 among 83 % above Q1). */
const Q2_PARMI_HORS_Q1_QPV = ATTRIBUTIONS.qpvPartQ2 / ATTRIBUTIONS.qpvHorsQ1;
const Q2_PARMI_HORS_Q1 = 0.33;

function tirerProfil(rng: Random, taux: Taux, profil: number, enQpv: boolean): Profil {
  const pReloge = enQpv ? ATTRIBUTIONS.relogesQpv : ATTRIBUTIONS.relogesHorsQpv;
  const reloge = rng.chance(pReloge);
  let q1: boolean;
  if (enQpv) q1 = rng.chance(taux.qpvQ1[profil]!);
  // Relocated households count for the hors-QPV target whatever their resources (L441-1 CCH).
  else if (reloge) q1 = rng.chance(0.3);
  else q1 = rng.chance(Math.max(0, (taux.horsQpvQ1[profil]! - pReloge) / (1 - pReloge)));
  const classe: Classe = q1 ? Q1 : rng.chance(enQpv ? Q2_PARMI_HORS_Q1_QPV : Q2_PARMI_HORS_Q1) ? Q2 : Q34;
  const prioritaire = rng.chance(taux.prioritaires[profil]!);
  const pMutation = (ATTRIBUTIONS.mutations - pReloge) / (1 - pReloge);
  const essentiel = rng.chance(
    PROFILS[profil] === 'action_logement' ? ATTRIBUTIONS.travailleursEssentielsActionLogement : ATTRIBUTIONS.travailleursEssentiels,
  );
  const flags =
    (prioritaire ? PRIORITAIRE : 0) |
    (prioritaire && rng.chance(0.3) ? DALO : 0) |
    (reloge || rng.chance(pMutation) ? MUTATION : 0) |
    (reloge ? RELOGE : 0) |
    (essentiel ? TRAVAILLEUR_ESSENTIEL : 0);
  return { classe, flags };
}

interface Evenement {
  jour: Jour;
  logement: number;
  /** Delivery day for the first letting of a new building, else -1. */
  livraison: Jour;
}

/**
 * Commissions are packed into numbers (day, dwelling, first letting) and sorted as a typed array:
 * hundreds of thousands of small objects kept alive would cost the garbage collector more.
 */
const JOUR_ORIGINE = jour(2000, 1, 1);
const LOGEMENTS_MAX = 2 ** 25;
const emballer = (j: Jour, logement: number, premiere: boolean): number =>
  ((j - JOUR_ORIGINE) * LOGEMENTS_MAX + logement) * 2 + (premiere ? 1 : 0);
function deballer(cle: number, parc: Parc): Evenement {
  const premiere = cle % 2 === 1;
  const reste = (cle - (premiere ? 1 : 0)) / 2;
  const logement = reste % LOGEMENTS_MAX;
  return { jour: (reste - logement) / LOGEMENTS_MAX + JOUR_ORIGINE, logement, livraison: premiere ? parc.miseEnService[logement]! : -1 };
}

const ECHECS = new Categorical(ATTRIBUTIONS.echecs);
const MOTIFS_REFUS = new Categorical({
  localisation: 0.3, typologie: 0.1, loyer: 0.15, etat: 0.1, environnement: 0.15, sans_reponse: 0.15, autre: 0.05,
});

/** A weekday of the year; commissions sit less in August. */
function jourDeCommission(rng: Random, annee: number): Jour {
  const debut = jour(annee, 1, 1);
  const longueur = jour(annee + 1, 1, 1) - debut;
  for (;;) {
    const j = debut + rng.int(longueur);
    const aout = j >= jour(annee, 8, 1) && j < jour(annee, 9, 1);
    if (aout && rng.chance(0.5)) continue;
    const ouvre = jourOuvre(j);
    if (ouvre < debut + longueur) return ouvre;
  }
}

function evenements(plan: EpciPlan, parc: Parc, rng: Random): Float64Array {
  if (parc.taille >= LOGEMENTS_MAX) throw new Error(`EPCI ${plan.code} : trop de logements (${parc.taille})`);
  const result: number[] = [];
  const typologies = new WeightedTable(PARTS_BAUX_TYPOLOGIE);
  const premierJour = jour(ANNEES_ATTRIBUTION[0], 1, 1);
  const dernierJour = jour(ANNEES_ATTRIBUTION[ANNEES_ATTRIBUTION.length - 1]!, 12, 31);
  const neufsParAnnee = new Map<number, number>();
  // A dwelling let is occupied: it is not let again within a year (two leases of one dwelling on one day
  // are refused by the import).
  const commissions = new Map<number, number[]>();
  const libre = (logement: number, j: Jour) => (commissions.get(logement) ?? []).every((autre) => Math.abs(autre - j) >= 365);
  for (const l of parc.livraisons) {
    neufsParAnnee.set(anneeDe(l.jour), (neufsParAnnee.get(anneeDe(l.jour)) ?? 0) + l.nombre);
    for (let k = 0; k < l.nombre; k++) {
      // The commission meets a few weeks before delivery (never before the first year of the data);
      // the lease is signed once the building is delivered.
      const cal = jourOuvre(Math.max(premierJour, l.jour - rng.between(10, 45)));
      result.push(emballer(Math.min(cal, dernierJour), l.premier + k, true));
      commissions.set(l.premier + k, [Math.min(cal, dernierJour)]);
    }
  }
  if (parc.taille === 0) return Float64Array.from(result);
  // Leases are signed some weeks after the commission, so part of a year's commissions lead to
  // leases of the next year. The data hold no commission of the year before the first one: the first
  // year gets that many more vacancies so that its lease count is not short.
  const report = 1 + (ATTRIBUTIONS.delaiBailMin + ATTRIBUTIONS.delaiBailMoyen) / 365;
  for (const annee of ANNEES_ATTRIBUTION) {
    const baux = (plan.bauxParAn[annee] ?? 0) * (annee === ANNEES_ATTRIBUTION[0] ? report : 1);
    const vacances = Math.max(0, Math.round(baux) - (neufsParAnnee.get(annee) ?? 0));
    for (let v = 0; v < vacances; v++) {
      const j = jourDeCommission(rng, annee);
      let logement = -1;
      for (let essai = 0; essai < 30 && logement < 0; essai++) {
        const liste = parc.parTypologie[typologies.draw(rng)]!;
        const candidat = liste.length > 0 ? liste[rng.int(liste.length)]! : rng.int(parc.taille);
        if (parc.miseEnService[candidat]! <= j - 30 && libre(candidat, j)) logement = candidat;
      }
      if (logement >= 0) {
        result.push(emballer(j, logement, false));
        commissions.set(logement, [...(commissions.get(logement) ?? []), j]);
      }
    }
  }
  return Float64Array.from(result).sort();
}

export interface EcrivainsAttributions {
  attributions: CsvWriter;
  demandes: CsvWriter;
}

const VIDE_MENAGE = ';;;;;;;;';

export async function genererAttributions(
  plan: EpciPlan, parc: Parc, reserve: ReserveDemandes, ctx: ContexteDemande, rng: Random, ids: Compteurs,
  out: EcrivainsAttributions,
): Promise<void> {
  const taux = calibrerTaux(plan, parc);
  const profilIndex = new Map(PROFILS.map((p, i) => [p, i]));
  const profilDe = plan.contingents.map((c) => profilIndex.get(c.profil)!);
  const candidats = new WeightedTable(ATTRIBUTIONS.candidats);

  const menageEnColonnes = (ressources: number, personnes: number, moins14: number, flags: number, seuil: number): string => {
    const q1 = ressources * 12 <= seuil * unitesConsommation(personnes, moins14);
    return `${ressources};${personnes};${moins14};${flags & DALO ? 1 : 0};${flags & PRIORITAIRE ? 1 : 0};` +
      `${flags & MUTATION ? 1 : 0};${flags & RELOGE ? 1 : 0};${flags & TRAVAILLEUR_ESSENTIEL ? 1 : 0};${q1 ? 1 : 0}`;
  };
  const menageReserve = (i: number, seuil: number): string =>
    rng.chance(0.08)
      ? menageEnColonnes(reserve.ressources[i]!, reserve.personnes[i]!, reserve.moins14[i]!, reserve.flags[i]!, seuil)
      : VIDE_MENAGE;

  /** Candidates already ranked for the current dwelling: a household is examined once per commission. */
  const dejaClasses: number[] = [];
  /**
   * A pool request examinable on day `j`; with a target class and priority for proposals (they
   * count in the indicators), any for lower-ranked candidates. Falls back to a new active request.
   */
  const choisir = (j: Jour, pieces: number, profil: Profil | undefined, seuil: number, activeSeulement: boolean): number => {
    const i = choisirUn(j, pieces, profil, seuil, activeSeulement);
    dejaClasses.push(i);
    return i;
  };
  const choisirUn = (j: Jour, pieces: number, profil: Profil | undefined, seuil: number, activeSeulement: boolean): number => {
    const prio = profil ? ((profil.flags & PRIORITAIRE) !== 0 ? 1 : 0) : rng.int(2);
    const liste = reserve.parPriorite[prio]!.length > 0 ? reserve.parPriorite[prio]! : reserve.parPriorite[1 - prio]!;
    for (let essai = 0; essai < 120 && liste.length > 0; essai++) {
      const i = liste[rng.int(liste.length)]!;
      if (!reserve.enCoursA(i, j, activeSeulement) || dejaClasses.includes(i)) continue;
      if (profil && reserve.classe(i, seuil, ctx.mediane) !== profil.classe) continue;
      if (essai < 80 && (reserve.typologieMin[i]! > pieces || reserve.typologieMax[i]! < pieces)) continue;
      return i;
    }
    reserve.ajoutees++;
    const classe = profil?.classe ?? Q2;
    const depot = Math.max(PREMIER_DEPOT, j - 30 - Math.floor(rng.exponential(365)));
    return reserve.ajouter(rng, ctx, ids, depot, -1, prio === 1, classe, anneeDe(j), Math.max(1, Math.min(5, pieces)));
  };

  /**
   * Creates and writes the request of a household that signs a lease. Returns its NUR and the
   * household columns of the allocation row, filled on a few rows only (the importer takes them
   * from demandes.csv when empty).
   */
  const signerBail = async (
    ev: Evenement, pieces: number, commune: number, jourBail: Jour, profil: Profil,
  ): Promise<{ nur: string; menage: string }> => {
    const anneeBail = anneeDe(jourBail);
    const seuilCal = ctx.seuil(anneeDe(ev.jour));
    const seuilBail = ctx.seuil(anneeBail);
    // The lease counts in the year of date_bail and the proposal in the year of date_cal: keep the
    // household in the same class against both thresholds.
    const seuilRef = profil.classe === Q1 ? Math.min(seuilCal, seuilBail) : Math.max(seuilCal, seuilBail);
    const typologieMin = pieces >= 2 && rng.chance(0.3) ? pieces - 1 : pieces;
    const menage = tirerMenage(rng, typologieMin, profil.classe === Q1);
    const uc = unitesConsommation(menage.personnes, menage.moins14);
    const ressources = tirerRessources(rng, profil.classe, seuilRef, ctx.mediane, uc, ctx.seuilsListe);
    // Priority households wait less (demo assumption), the others a little more than the mean stay.
    const attente = ctx.sejourMoyenAns * ((profil.flags & PRIORITAIRE) !== 0 ? ATTRIBUTIONS.attentePrioritaires : ATTRIBUTIONS.attenteAutres);
    let depot = ev.jour - 20 - Math.floor(rng.exponential(attente * 365.25));
    if (depot < PREMIER_DEPOT) depot = PREMIER_DEPOT + rng.int(Math.max(1, Math.min(365, ev.jour - 20 - PREMIER_DEPOT)));
    const premiereCommune = rng.chance(0.75) ? commune : ctx.communesParParc.draw(rng);
    const nur = ctx.nur(premiereCommune, depot, ++ids.demande);
    const line = ligneDemande(rng, ctx, {
      nur, depot, statut: 'attribuee', radiation: jourBail,
      typologieMin: Math.min(menage.typologieMin, pieces), typologieMax: Math.max(menage.typologieMax, pieces),
      personnes: menage.personnes, moins14: menage.moins14, composition: menage.composition, ressources,
      flags: profil.flags, refus: rng.chance(0.1) ? 1 : 0, premiereCommune,
    });
    if (out.demandes.add(line)) await out.demandes.flush();
    const colonnes = rng.chance(0.08)
      ? menageEnColonnes(ressources, menage.personnes, menage.moins14, profil.flags, seuilCal)
      : VIDE_MENAGE;
    return { nur, menage: colonnes };
  };

  for (const cle of evenements(plan, parc, rng)) {
    const ev = deballer(cle, parc);
    const d = ev.logement;
    const c = parc.contingent[d]!;
    const profilContingent = c < 0 ? NON_RESERVE : profilDe[c]!;
    const q = parc.qpv[d]!;
    const enQpv = q >= 0 && !plan.qpvs[q]!.assimile;
    const pieces = parc.pieces[d]!;
    const seuilCal = ctx.seuil(anneeDe(ev.jour));
    const dateCal = isoDate(ev.jour);

    // The dwelling's fields, from logements.csv; nb_pieces, financement and loyer are left for the
    // importer to fill from the dwelling on some rows.
    const detail = rng.chance(0.85)
      ? `${pieces};${FINANCEMENTS[parc.financement[d]!]};${String(parc.loyer[d]!)}`
      : ';;';
    const logement =
      `${idLogement(parc.premierId + d)};${plan.bailleurs[parc.bailleur[d]!]!.bailleur.id};` +
      `${plan.communes[parc.commune[d]!]!.code};${q >= 0 ? plan.qpvs[q]!.code : ''};${detail};${ev.livraison >= 0 ? 1 : 0};` +
      `${c >= 0 ? plan.contingents[c]!.reservataire.id : ''};${dateCal}`;

    dejaClasses.length = 0;
    let rangGagnant = 1;
    const echecs: string[] = [];
    while (rangGagnant < 3 && rng.chance(ATTRIBUTIONS.echecParCandidat)) {
      echecs.push(ECHECS.draw(rng));
      rangGagnant++;
    }
    const nombre = Math.max(rangGagnant, candidats.draw(rng));
    const delai = ATTRIBUTIONS.delaiBailMin + Math.floor(rng.exponential(ATTRIBUTIONS.delaiBailMoyen));
    const jourBail = ev.livraison >= 0 ? Math.max(ev.livraison, ev.jour + 7) + rng.int(20) : ev.jour + delai;
    const enCours = jourBail > DATE_EXTRACTION;

    for (let rang = 1; rang <= nombre; rang++) {
      const id = idAttribution(++ids.attribution);
      let line: string;
      if (rang < rangGagnant) {
        const echec = echecs[rang - 1]!;
        if (echec === 'refus_demandeur') {
          const i = choisir(ev.jour, pieces, tirerProfil(rng, taux, profilContingent, enQpv), seuilCal, false);
          if (reserve.refus[i]! < 250) reserve.refus[i]!++;
          line = `${id};${reserve.nur(i, ctx)};${logement};attribution;${rang};refus_demandeur;;${MOTIFS_REFUS.draw(rng)};${menageReserve(i, seuilCal)}`;
        } else {
          // A CALEOL decision not to allocate (or an inadmissible request): not a proposal.
          const i = choisir(ev.jour, pieces, undefined, seuilCal, false);
          line = `${id};${reserve.nur(i, ctx)};${logement};${echec};${rang};;;;${VIDE_MENAGE}`;
        }
      } else if (rang === rangGagnant && enCours) {
        const i = choisir(ev.jour, pieces, tirerProfil(rng, taux, profilContingent, enQpv), seuilCal, true);
        line = `${id};${reserve.nur(i, ctx)};${logement};attribution;${rang};en_cours;;;${menageReserve(i, seuilCal)}`;
      } else if (rang === rangGagnant) {
        const bail = await signerBail(ev, pieces, parc.commune[d]!, jourBail, tirerProfil(rng, taux, profilContingent, enQpv));
        line = `${id};${bail.nur};${logement};attribution;${rang};bail_signe;${isoDate(jourBail)};;${bail.menage}`;
      } else {
        const i = choisir(ev.jour, pieces, undefined, seuilCal, false);
        line = `${id};${reserve.nur(i, ctx)};${logement};attribution;${rang};non_proposee;;;${VIDE_MENAGE}`;
      }
      if (out.attributions.add(line)) await out.attributions.flush();
    }
  }
}
