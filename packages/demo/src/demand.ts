/**
 * The demand (SNE-like) of one EPCI: the pool of requests that are not allocated in the data
 * (active at the situation date, or struck off), kept in typed arrays because the allocation step
 * picks refusing and lower-ranked candidates from it; and the writing of `demandes.csv` rows.
 */
import { ANNEES_ATTRIBUTION, ANNEE_DRAPEAU_Q1, DATE_SITUATION, DEMANDE, PREMIER_DEPOT, partsDemandeTypologie } from './calibration.js';
import type { CsvWriter } from './csv-writer.js';
import { anneeDe, isoDate, jour, type Jour } from './dates.js';
import {
  COMPOSITIONS, Q1, Q2, Q34, RATIO_MEDIANE, classeDe, tirerMenage, tirerRessources, unitesConsommation, type Classe,
} from './household.js';
import { nur, type Compteurs } from './ids.js';
import type { EpciPlan } from './model.js';
import type { Parc } from './stock.js';
import { Categorical, type Random, WeightedTable } from './random.js';

export const PRIORITAIRE = 1;
export const DALO = 2;
export const MUTATION = 4;
export const RELOGE = 8;
export const TRAVAILLEUR_ESSENTIEL = 16;

const JOURS_PAR_AN = 365.25;

/** What the writer needs to know about one request; the rest is drawn when the row is written. */
export interface Demande {
  nur: string;
  depot: Jour;
  statut: 'active' | 'attribuee' | 'radiee';
  /** -1 when none. */
  radiation: Jour;
  typologieMin: number;
  typologieMax: number;
  personnes: number;
  moins14: number;
  composition: number;
  ressources: number;
  flags: number;
  refus: number;
  /** Index in plan.communes of the first wished commune. */
  premiereCommune: number;
}

/** Per-EPCI tables shared by the demand and allocation steps. */
export class ContexteDemande {
  readonly communesParParc: WeightedTable;
  readonly communesParPopulation: WeightedTable;
  readonly bailleurs: WeightedTable;
  readonly typologies: WeightedTable;
  /** Communes holding an NPNRU QPV: where relocated households live. */
  readonly communesNpnru: readonly number[];
  readonly seuilsListe: readonly number[];
  /** Median resources per UC of the demand (€/year), the limit between Q2 and Q3-Q4. */
  readonly mediane: number;
  /**
   * Mean time a request stays in the stock, years: the stock divided by its outflow (leases and
   * strikings-off), so that the stock of every past year-end is about the same as the last one.
   */
  readonly sejourMoyenAns: number;

  constructor(readonly plan: EpciPlan, parc: Parc) {
    const parCommune = new Float64Array(plan.communes.length);
    for (let i = 0; i < parc.taille; i++) parCommune[parc.commune[i]!]!++;
    // A commune without social housing is still wished for now and then.
    this.communesParParc = new WeightedTable(Array.from(parCommune, (n) => n + 0.5));
    this.communesParPopulation = new WeightedTable(plan.communes.map((c) => c.population + 1));
    this.bailleurs = new WeightedTable(plan.bailleurs.map((b) => b.part));
    this.typologies = new WeightedTable(partsDemandeTypologie());
    const npnru = new Set<number>();
    for (const q of plan.qpvs) if (q.npnru) npnru.add(plan.communes.findIndex((c) => c.code === q.codeInsee));
    this.communesNpnru = [...npnru].filter((i) => i >= 0);
    this.seuilsListe = Object.values(plan.seuils);
    this.mediane = RATIO_MEDIANE * this.seuil(anneeDe(DATE_SITUATION));
    const baux = ANNEES_ATTRIBUTION.reduce((s, a) => s + (plan.bauxParAn[a] ?? 0), 0) / ANNEES_ATTRIBUTION.length;
    const sortiesParAn = baux + plan.demandesActives * DEMANDE.radiationsParAn;
    this.sejourMoyenAns = sortiesParAn > 0 ? Math.min(8, Math.max(1, plan.demandesActives / sortiesParAn)) : 3;
  }

  seuil(annee: number): number {
    const s = this.plan.seuils[annee];
    if (s === undefined) throw new Error(`pas de seuil Q1 pour ${annee} (EPCI ${this.plan.code})`);
    return s;
  }

  /** NUR of a request registered in the département of its first wished commune. */
  nur(premiereCommune: number, depot: Jour, sequence: number): string {
    return nur(this.plan.communes[premiereCommune]!.departement, isoDate(depot), sequence);
  }
}

/** Class probabilities of the demand, priority households being poorer (seed §I.2.B). */
function classesDemande(prioritaire: boolean): readonly [number, number, number] {
  const q1Prio = DEMANDE.partQ1ParmiPrioritaires;
  const q1Autres = (DEMANDE.partQ1 - DEMANDE.partPrioritaires * q1Prio) / (1 - DEMANDE.partPrioritaires);
  const q2 = DEMANDE.quantileMedian - DEMANDE.partQ1;
  const q2Prio = 0.25;
  const q2Autres = (q2 - DEMANDE.partPrioritaires * q2Prio) / (1 - DEMANDE.partPrioritaires);
  return prioritaire ? [q1Prio, q2Prio, 1 - q1Prio - q2Prio] : [q1Autres, q2Autres, 1 - q1Autres - q2Autres];
}

function tirerClasse(rng: Random, probas: readonly [number, number, number]): Classe {
  const x = rng.next();
  return x < probas[0] ? Q1 : x < probas[0] + probas[1] ? Q2 : Q34;
}

/** Requests not allocated in the data, in struct-of-arrays form. */
export class ReserveDemandes {
  taille = 0;
  depot: Int32Array;
  radiation: Int32Array;
  /** Sequence number of the NUR; the NUR itself is rebuilt when needed (millions of strings would weigh on the GC). */
  sequence: Int32Array;
  typologieMin: Uint8Array;
  typologieMax: Uint8Array;
  personnes: Uint8Array;
  moins14: Uint8Array;
  composition: Uint8Array;
  ressources: Int32Array;
  uc: Float64Array;
  flags: Uint8Array;
  refus: Uint8Array;
  premiereCommune: Int32Array;
  /** Candidates by priority flag (0, 1), to pick priority households for the State's contingent. */
  parPriorite: [Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0)];
  ajoutees = 0;

  constructor(capacite: number) {
    this.depot = new Int32Array(capacite);
    this.radiation = new Int32Array(capacite);
    this.sequence = new Int32Array(capacite);
    this.typologieMin = new Uint8Array(capacite);
    this.typologieMax = new Uint8Array(capacite);
    this.personnes = new Uint8Array(capacite);
    this.moins14 = new Uint8Array(capacite);
    this.composition = new Uint8Array(capacite);
    this.ressources = new Int32Array(capacite);
    this.uc = new Float64Array(capacite);
    this.flags = new Uint8Array(capacite);
    this.refus = new Uint8Array(capacite);
    this.premiereCommune = new Int32Array(capacite);
  }

  private agrandir(): void {
    const capacite = Math.max(16, this.depot.length * 2);
    const grow = <T extends Int32Array | Uint8Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(capacite);
      b.set(a);
      return b;
    };
    this.depot = grow(this.depot, (n) => new Int32Array(n));
    this.radiation = grow(this.radiation, (n) => new Int32Array(n));
    this.sequence = grow(this.sequence, (n) => new Int32Array(n));
    this.typologieMin = grow(this.typologieMin, (n) => new Uint8Array(n));
    this.typologieMax = grow(this.typologieMax, (n) => new Uint8Array(n));
    this.personnes = grow(this.personnes, (n) => new Uint8Array(n));
    this.moins14 = grow(this.moins14, (n) => new Uint8Array(n));
    this.composition = grow(this.composition, (n) => new Uint8Array(n));
    this.ressources = grow(this.ressources, (n) => new Int32Array(n));
    this.uc = grow(this.uc, (n) => new Float64Array(n));
    this.flags = grow(this.flags, (n) => new Uint8Array(n));
    this.refus = grow(this.refus, (n) => new Uint8Array(n));
    this.premiereCommune = grow(this.premiereCommune, (n) => new Int32Array(n));
  }

  /** Draws one request of the pool; `classe` is its class against the threshold of `anneeRef`. */
  ajouter(
    rng: Random, ctx: ContexteDemande, ids: Compteurs, depot: Jour, radiation: Jour, prioritaire: boolean,
    classe: Classe, anneeRef: number, typologieMin: number,
  ): number {
    if (this.taille === this.depot.length) this.agrandir();
    const i = this.taille++;
    const menage = tirerMenage(rng, typologieMin, classe === Q1);
    const uc = unitesConsommation(menage.personnes, menage.moins14);
    const reloge = rng.chance(DEMANDE.partRelogementAnru);
    const mutation = reloge || rng.chance((DEMANDE.partMutations - DEMANDE.partRelogementAnru) / (1 - DEMANDE.partRelogementAnru));
    const premiereCommune = ctx.communesParParc.draw(rng);
    this.depot[i] = depot;
    this.radiation[i] = radiation;
    this.sequence[i] = ++ids.demande;
    this.typologieMin[i] = menage.typologieMin;
    this.typologieMax[i] = menage.typologieMax;
    this.personnes[i] = menage.personnes;
    this.moins14[i] = menage.moins14;
    this.composition[i] = menage.composition;
    this.uc[i] = uc;
    this.ressources[i] = tirerRessources(rng, classe, ctx.seuil(anneeRef), ctx.mediane, uc, ctx.seuilsListe);
    this.flags[i] =
      (prioritaire ? PRIORITAIRE : 0) |
      (prioritaire && rng.chance(DEMANDE.partDaloParmiPrioritaires) ? DALO : 0) |
      (mutation ? MUTATION : 0) |
      (reloge ? RELOGE : 0) |
      (rng.chance(DEMANDE.partTravailleursEssentiels) ? TRAVAILLEUR_ESSENTIEL : 0);
    this.refus[i] = rng.chance(0.08) ? 1 : 0;
    this.premiereCommune[i] = premiereCommune;
    return i;
  }

  indexer(): void {
    const prio: number[] = [];
    const autres: number[] = [];
    for (let i = 0; i < this.taille; i++) ((this.flags[i]! & PRIORITAIRE) !== 0 ? prio : autres).push(i);
    this.parPriorite = [Int32Array.from(autres), Int32Array.from(prio)];
  }

  nur(i: number, ctx: ContexteDemande): string {
    return ctx.nur(this.premiereCommune[i]!, this.depot[i]!, this.sequence[i]!);
  }

  classe(i: number, seuil: number, mediane: number): Classe {
    return classeDe(this.ressources[i]!, this.uc[i]!, seuil, mediane);
  }

  /** Could the request be examined by a commission on day `j` (registered, not yet struck off)? */
  enCoursA(i: number, j: Jour, activeSeulement: boolean): boolean {
    const r = this.radiation[i]!;
    return this.depot[i]! <= j - 15 && (r < 0 ? true : !activeSeulement && r > j + 15);
  }
}

/**
 * Builds the pool: the requests active at the situation date (31 Dec 2024) and those struck off
 * during the allocation years. Seniorities follow an exponential law (a constant exit rate) of mean
 * the stock's mean stay, truncated at 2012.
 */
export function creerReserve(plan: EpciPlan, ctx: ContexteDemande, rng: Random, ids: Compteurs): ReserveDemandes {
  const actives = plan.demandesActives;
  const radiees = Math.round(actives * DEMANDE.radiationsParAn * ANNEES_ATTRIBUTION.length);
  const reserve = new ReserveDemandes(Math.ceil((actives + radiees) * 1.05) + 64);
  const probas = [classesDemande(false), classesDemande(true)] as const;
  const debutRadiations = jour(ANNEES_ATTRIBUTION[0], 1, 1);
  const finRadiations = jour(ANNEES_ATTRIBUTION[ANNEES_ATTRIBUTION.length - 1]!, 12, 31);
  const depotAvant = (fin: Jour, moyenneAns: number, minimumJours: number): Jour => {
    const d = fin - minimumJours - Math.floor(rng.exponential(moyenneAns * JOURS_PAR_AN));
    return d >= PREMIER_DEPOT ? d : PREMIER_DEPOT + rng.int(Math.max(1, Math.min(365, fin - PREMIER_DEPOT)));
  };
  for (let k = 0; k < actives + radiees; k++) {
    const active = k < actives;
    const radiation = active ? -1 : debutRadiations + rng.int(finRadiations - debutRadiations + 1);
    const depot = depotAvant(active ? DATE_SITUATION : radiation, ctx.sejourMoyenAns, active ? 0 : 30);
    const prioritaire = rng.chance(DEMANDE.partPrioritaires);
    const classe = tirerClasse(rng, probas[prioritaire ? 1 : 0]);
    const annee = active ? anneeDe(DATE_SITUATION) : anneeDe(radiation);
    reserve.ajouter(rng, ctx, ids, depot, radiation, prioritaire, classe, annee, ctx.typologies.draw(rng));
  }
  reserve.indexer();
  return reserve;
}

const SITUATIONS = new Categorical({
  locataire_prive: 0.36, heberge_famille: 0.27, heberge_tiers: 0.08, structure: 0.07, foyer: 0.05, hotel: 0.03,
  sans_abri: 0.02, proprietaire: 0.03, autre: 0.09,
});
const SITUATIONS_PRIORITAIRES = new Categorical({
  locataire_prive: 0.25, heberge_famille: 0.2, heberge_tiers: 0.1, structure: 0.17, foyer: 0.07, hotel: 0.08,
  sans_abri: 0.06, proprietaire: 0.01, autre: 0.06,
});
const MOTIFS_MUTATION = new Categorical({
  trop_petit: 0.35, trop_cher: 0.15, trop_grand: 0.08, sante: 0.08, handicap: 0.05, rapprochement_travail: 0.08,
  separation: 0.05, autre: 0.16,
});
const MOTIFS_SANS_LOGEMENT = new Categorical({ sans_logement: 0.7, separation: 0.1, violences: 0.08, autre: 0.12 });
const MOTIFS_LOCATAIRE = new Categorical({
  trop_cher: 0.35, trop_petit: 0.25, insalubre: 0.07, expulsion: 0.06, rapprochement_travail: 0.07, separation: 0.05,
  violences: 0.03, sante: 0.04, autre: 0.08,
});
const PRIORITE_PAR_MOTIF: Readonly<Record<string, string>> = {
  sans_logement: 'sans_logement', violences: 'violences', expulsion: 'expulsion', handicap: 'handicap',
  sante: 'handicap', insalubre: 'logement_indigne', trop_petit: 'suroccupation', trop_cher: 'taux_effort',
};
const PRIORITES_COMPLEMENTAIRES = ['sortie_structure', 'accord_collectif', 'violences', 'suroccupation', 'handicap'];

/** Key-worker trades (3DS "travailleurs essentiels"; seed 003 lists a local definition). */
const PROFESSIONS = [
  'aide-soignant', 'infirmier', 'auxiliaire de vie', 'agent d\'entretien', 'conducteur de bus', 'caissier',
  'agent de sécurité', 'policier municipal', 'sapeur-pompier', 'assistant maternel', 'agent hospitalier',
  'éboueur', 'enseignant', 'agent de restauration collective',
];

const AGE_PAR_COMPOSITION: readonly (readonly [number, number])[] = [[45, 15], [42, 15], [38, 8], [37, 8], [40, 14]];

/** One `demandes.csv` row; the descriptive fields are drawn here, consistently with the core. */
export function ligneDemande(rng: Random, ctx: ContexteDemande, d: Demande): string {
  const plan = ctx.plan;
  const prioritaire = (d.flags & PRIORITAIRE) !== 0;
  const mutation = (d.flags & MUTATION) !== 0;
  const reloge = (d.flags & RELOGE) !== 0;
  const essentiel = (d.flags & TRAVAILLEUR_ESSENTIEL) !== 0;
  const [moyenneAge, ecartAge] = AGE_PAR_COMPOSITION[d.composition]!;
  const age = Math.max(18, Math.min(92, Math.round(moyenneAge + rng.normal() * ecartAge)));

  let residence: string;
  if (reloge && ctx.communesNpnru.length > 0) residence = plan.communes[rng.pick(ctx.communesNpnru)]!.code;
  else if (rng.chance(0.03)) residence = '';
  else if (mutation || rng.chance(DEMANDE.partResidantEpci) || plan.voisines.length === 0) {
    residence = plan.communes[ctx.communesParPopulation.draw(rng)]!.code;
  } else residence = rng.pick(plan.voisines);

  let souhaits = plan.communes[d.premiereCommune]!.code;
  const autres = rng.int(4);
  for (let k = 0, essais = 0; k < autres && essais < 8; essais++) {
    const code = plan.communes[ctx.communesParParc.draw(rng)]!.code;
    if (souhaits.includes(code)) continue;
    souhaits += `|${code}`;
    k++;
  }

  let situation: string;
  let loyerActuel = '';
  let bailleurActuel = '';
  let motif: string;
  if (mutation) {
    situation = 'locataire_social';
    bailleurActuel = rng.chance(0.95) ? plan.bailleurs[ctx.bailleurs.draw(rng)]!.bailleur.id : '';
    if (rng.chance(0.9)) loyerActuel = String(Math.round(280 + 70 * d.typologieMin + rng.uniform(-60, 120)));
    motif = reloge ? 'renouvellement_urbain' : MOTIFS_MUTATION.draw(rng);
  } else {
    situation = (prioritaire ? SITUATIONS_PRIORITAIRES : SITUATIONS).draw(rng);
    if (situation === 'locataire_prive' && rng.chance(0.9)) {
      loyerActuel = String(Math.round((450 + 150 * d.personnes + rng.uniform(0, 400)) * plan.niveauLoyers));
    }
    motif = situation === 'locataire_prive' || situation === 'proprietaire' || situation === 'autre'
      ? MOTIFS_LOCATAIRE.draw(rng)
      : MOTIFS_SANS_LOGEMENT.draw(rng);
  }

  const handicap = rng.chance(prioritaire ? 0.12 : DEMANDE.partHandicap) || motif === 'handicap';
  const pmr = handicap && rng.chance(0.45);
  let motifsPriorite = '';
  if (prioritaire) {
    const codes: string[] = [];
    if ((d.flags & DALO) !== 0) codes.push('dalo');
    codes.push(PRIORITE_PAR_MOTIF[motif] ?? rng.pick(PRIORITES_COMPLEMENTAIRES));
    if (rng.chance(0.3)) {
      const extra = rng.pick(PRIORITES_COMPLEMENTAIRES);
      if (!codes.includes(extra)) codes.push(extra);
    }
    motifsPriorite = codes.join('|');
  }

  // The SNE's own Q1 flag: consistent with the rule, unknown on 1 % of rows and wrong on 0.1 %,
  // so that the importer's disagreement warning has something to report.
  const q1Calcule = d.ressources * 12 <= ctx.seuil(ANNEE_DRAPEAU_Q1) * unitesConsommation(d.personnes, d.moins14);
  const tirage = rng.next();
  const q1 = tirage < 0.01 ? '' : tirage < 0.011 ? (q1Calcule ? '0' : '1') : q1Calcule ? '1' : '0';

  return (
    `${d.nur};${isoDate(d.depot)};${d.statut};${d.radiation < 0 ? '' : isoDate(d.radiation)};${residence};${age};` +
    `${d.personnes};${d.moins14};${COMPOSITIONS[d.composition]};${d.ressources};${d.typologieMin};${d.typologieMax};` +
    `${souhaits};${mutation ? 1 : 0};${bailleurActuel};${situation};${loyerActuel};${motif};${(d.flags & DALO) !== 0 ? 1 : 0};` +
    `${prioritaire ? 1 : 0};${motifsPriorite};${reloge ? 1 : 0};${essentiel ? 1 : 0};${handicap ? 1 : 0};${pmr ? 1 : 0};` +
    `${d.refus};${q1};${essentiel ? rng.pick(PROFESSIONS) : ''}`
  );
}

/** Writes the pool's rows once the allocations have counted their refusals. */
export async function ecrireReserve(w: CsvWriter, rng: Random, ctx: ContexteDemande, reserve: ReserveDemandes): Promise<void> {
  for (let i = 0; i < reserve.taille; i++) {
    const radiation = reserve.radiation[i]!;
    const line = ligneDemande(rng, ctx, {
      nur: reserve.nur(i, ctx),
      depot: reserve.depot[i]!,
      statut: radiation < 0 ? 'active' : 'radiee',
      radiation,
      typologieMin: reserve.typologieMin[i]!,
      typologieMax: reserve.typologieMax[i]!,
      personnes: reserve.personnes[i]!,
      moins14: reserve.moins14[i]!,
      composition: reserve.composition[i]!,
      ressources: reserve.ressources[i]!,
      flags: reserve.flags[i]!,
      refus: reserve.refus[i]!,
      premiereCommune: reserve.premiereCommune[i]!,
    });
    if (w.add(line)) await w.flush();
  }
}
