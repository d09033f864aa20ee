import { Aleatoire, graineDuTirage } from './aleatoire.ts';
import type { DemandeSimulee, IndiceClasse, LogementSimule, PartFlux, TerritoireSimule, Zone } from './modele.ts';
import { CATEGORIES_SIMULEES, CLASSES_SIMULEES, CLASSE_Q1, CLASSE_Q2, CLASSE_Q3_Q4, categorieDe, classeDeCategorie, clePoids, prioritaireDeCategorie } from './modele.ts';
import type { PolitiqueSimulation } from './politique.ts';

/**
 * One simulated allocation year (issue 16): a discrete-event simulation over the days of the year. Arrivals of new
 * requests, radiations and vacancies are drawn first (their days are independent of the allocations), then played
 * in day order; for each vacancy the policy builds a list from the active requests that fit, the commission ranks
 * it, households accept or refuse with the calibrated probabilities, a refusal changes the note as the grid says, a
 * lease takes the household out of the requests.
 *
 * The numbers of arrivals and vacancies are the calibrated yearly means, rounded at random (2.3 gives 2 or 3, 3 with
 * probability 0.3): the demo's and most territories' yearly counts vary far less than a Poisson draw would say.
 *
 * Simplifications, said in docs/simulation.md: the lease is signed on the day of the commission (no delay into the
 * next year); a list that is refused by everyone is made again (at most `tours_max` times), then the vacancy stays
 * unfilled; notes are those of 1 January, changed only by refusals; the CALEOL's decisions of non-attribution are
 * not modelled (they are not proposals).
 */

/** Typologies above T6 are grouped with T6: nb_pieces 6 means « 6 or more » for lists. */
const PIECES_MAX = 6;
const pieces = (n: number): number => Math.min(PIECES_MAX, Math.max(1, Math.round(n)));

/** The indicators a run measures, with the counting base of the law (DATA-FORMAT.md « Counting bases »). */
export const INDICATEURS_SIMULES = ['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires'] as const;
export type IndicateurSimule = (typeof INDICATEURS_SIMULES)[number];

/** Measures of one run: key `indicateur|perimetre_type|perimetre_id` → value (a rate 0–1, a count or days). */
export type MesuresTirage = Record<string, number>;

export interface OptionsTirage {
  /** Also measure the rates per bailleur, contingent and type of contingent (else the territory only). */
  readonly parPerimetre?: boolean;
}

const ACTIF = 1;
const LOGE = 2;

/** Categories (categorieDe) a slot of a list may take. */
const TOUTES = Array.from({ length: CATEGORIES_SIMULEES }, (_, c) => c);
const estQ1 = (c: number) => classeDeCategorie(c) === CLASSE_Q1;
const horsQ1Connu = (c: number) => classeDeCategorie(c) === CLASSE_Q2 || classeDeCategorie(c) === CLASSE_Q3_Q4;
const prioritaire = prioritaireDeCategorie;
/** The category sets a slot may ask for (computed once: a year has thousands of slots). */
const PARMI = {
  toutes: TOUTES,
  q1: TOUTES.filter(estQ1),
  horsQ1: TOUTES.filter(horsQ1Connu),
  prioritaires: TOUTES.filter(prioritaire),
  q1Prioritaires: TOUTES.filter((c) => estQ1(c) && prioritaire(c)),
  horsQ1Prioritaires: TOUTES.filter((c) => horsQ1Connu(c) && prioritaire(c)),
} as const;

class Compteur {
  readonly n = new Map<string, [number, number]>();
  ajouter(cle: string, numerateur: boolean): void {
    const v = this.n.get(cle);
    if (v) {
      v[1]++;
      if (numerateur) v[0]++;
    } else this.n.set(cle, [numerateur ? 1 : 0, 1]);
  }
}

/** Simulates one year with one seed. Pure: the same territory, policy and seed give the same measures. */
export function simulerAnnee(territoire: TerritoireSimule, politique: PolitiqueSimulation, graine: number, options: OptionsTirage = {}): MesuresTirage {
  const rng = new Aleatoire(graine);
  const ordre = politique.ordre;
  const trie = ordre === 'anciennete' || ordre === 'cotation';

  // --- The requests of the year: the 1 January stock, then the arrivals. Columns, not objects: a run touches tens
  // of thousands of requests and the garbage collector would cost more than the simulation.
  const nStock = territoire.stock.length;
  const profilsArrivees = territoire.arrivees.profils;
  const nArrivees = profilsArrivees.length > 0 ? rng.arrondi(territoire.arrivees.parAn) : 0;
  // Arrival days in order (the profile of each drawn after: independent of the day).
  const joursArrivee = new Float64Array(nArrivees);
  for (let k = 0; k < nArrivees; k++) joursArrivee[k] = rng.reel() * 365;
  joursArrivee.sort();
  const n = nStock + nArrivees;
  const demandes: DemandeSimulee[] = new Array<DemandeSimulee>(n);
  const depot = new Float64Array(n);
  for (let i = 0; i < nStock; i++) {
    demandes[i] = territoire.stock[i]!;
    depot[i] = territoire.stock[i]!.depot;
  }
  for (let k = 0; k < nArrivees; k++) {
    // A new request: its profile's fields, deposited on its arrival day; its note is kept as drawn (notes are not aged).
    demandes[nStock + k] = profilsArrivees[rng.entier(profilsArrivees.length)]!;
    depot[nStock + k] = Math.floor(joursArrivee[k]!);
  }
  // Radiations: a constant hazard whose yearly probability is the observed share; the day a request leaves, if this
  // year (a request is eligible until then).
  const partRadiee = Math.min(0.99, Math.max(0, territoire.radiationsParAn));
  const moyenneJours = partRadiee > 0 ? 365 / -Math.log(1 - partRadiee) : Infinity;
  const radiation = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const debut = i < nStock ? 0 : joursArrivee[i - nStock]!;
    radiation[i] = Number.isFinite(moyenneJours) ? debut + rng.exponentielle(moyenneJours) : Infinity;
  }
  const nVacances = territoire.vacances.profils.length > 0 ? rng.arrondi(territoire.vacances.parAn) : 0;
  const joursVacance = new Float64Array(nVacances);
  for (let k = 0; k < nVacances; k++) joursVacance[k] = rng.reel() * 365;
  joursVacance.sort();
  const vacances: LogementSimule[] = [];
  for (let k = 0; k < nVacances; k++) vacances.push(territoire.vacances.profils[rng.entier(territoire.vacances.profils.length)]!);
  if (politique.flux === 'conventions') contingentsDesConventions(vacances, territoire, graine);
  let jourCourant = 0;

  // --- State of the requests.
  const etat = new Uint8Array(n);
  const note = Float64Array.from(demandes, (d) => d.note);
  const nbRefus = new Int32Array(n);
  for (let i = 0; i < nStock; i++) nbRefus[i] = demandes[i]!.nbRefus;
  const categorie = Uint8Array.from(demandes, categorieDe);
  const filtrerCommunes = politique.eligibilite.communes_souhaitees;
  const communes = filtrerCommunes ? demandes.map((d) => (d.communes.length > 0 ? new Set(d.communes) : null)) : [];
  /** Sort key of the sorted orders: smaller is better (oldest deposit; highest note, then oldest). */
  const cle = (i: number): number => (ordre === 'cotation' ? -note[i]! * 1e6 + depot[i]! : depot[i]!);

  // Lists per typology and category: request indices (and, sorted, their key when listed: a stale key = re-listed).
  const listes: number[][][] = [];
  const clesListe: number[][][] = [];
  const tetes: number[][] = [];
  for (let p = 0; p <= PIECES_MAX; p++) {
    listes.push(Array.from({ length: CATEGORIES_SIMULEES }, () => []));
    clesListe.push(Array.from({ length: CATEGORIES_SIMULEES }, () => []));
    tetes.push(new Array<number>(CATEGORIES_SIMULEES).fill(0));
  }
  const inserer = (i: number) => {
    const d = demandes[i]!;
    const c = categorie[i]!;
    const k = cle(i);
    for (let p = pieces(d.typologieMin); p <= pieces(d.typologieMax); p++) {
      const liste = listes[p]![c]!;
      if (!trie) {
        liste.push(i);
        continue;
      }
      const cles = clesListe[p]![c]!;
      // Binary search of the first key above k (stable: equal keys keep arrival order).
      let lo = tetes[p]![c]!;
      let hi = liste.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cles[mid]! <= k) lo = mid + 1;
        else hi = mid;
      }
      liste.splice(lo, 0, i);
      cles.splice(lo, 0, k);
    }
  };
  if (trie) {
    // The stock sorted once, then appended (faster than n insertions).
    const ordreStock = territoire.stock.map((_, i) => i).sort((a, b) => cle(a) - cle(b) || a - b);
    for (const i of ordreStock) {
      etat[i] = ACTIF;
      const d = demandes[i]!;
      const c = categorie[i]!;
      for (let p = pieces(d.typologieMin); p <= pieces(d.typologieMax); p++) {
        listes[p]![c]!.push(i);
        clesListe[p]![c]!.push(cle(i));
      }
    }
  } else {
    for (let i = 0; i < territoire.stock.length; i++) {
      etat[i] = ACTIF;
      inserer(i);
    }
  }

  // --- Measures.
  const detail = options.parPerimetre === true;
  const compteurs = Object.fromEntries(INDICATEURS_SIMULES.map((id) => [id, new Compteur()])) as Record<IndicateurSimule, Compteur>;
  // The perimeters a vacancy counts in, once per dwelling profile.
  const perimetresDe = new Map<LogementSimule, { tous: string[]; prioritaires: string[] }>();
  const compter = (id: IndicateurSimule, v: LogementSimule, numerateur: boolean) => {
    let p = perimetresDe.get(v);
    if (!p) {
      const type = `type_contingent|${v.typeContingent}`;
      const tous = detail ? ['territoire|territoire', `bailleur|${v.bailleurId}`, `contingent|${v.contingent}`, type] : ['territoire|territoire'];
      p = { tous, prioritaires: detail ? tous : [...tous, type] };
      perimetresDe.set(v, p);
    }
    const c = compteurs[id];
    for (const cle of id === 'prioritaires' ? p.prioritaires : p.tous) c.ajouter(cle, numerateur);
  };
  const loges = [0, 0, 0, 0];
  const attente = { somme: [0, 0, 0, 0], n: [0, 0, 0, 0], sommePrio: 0, nPrio: 0 };
  let propositions = 0;
  let nonPourvues = 0;
  const propositionsContingent = new Map<string, [number, number]>();

  // --- Choosing a candidate.
  const dansLaListe = new Set<number>();
  /** Still waiting today: not housed, not struck off. */
  const attend = (i: number) => etat[i] === ACTIF && radiation[i]! > jourCourant;
  const eligible = (i: number, commune: string) => {
    if (!attend(i) || dansLaListe.has(i)) return false;
    if (!filtrerCommunes) return true;
    const voeux = communes[i] ?? null;
    return voeux === null || voeux.has(commune);
  };
  // The observed practice's weights of this run (redrawn from the calibration's counts when it gives them).
  let poidsObserves = territoire.poidsObserves;
  const comptes = territoire.comptesObserves;
  if (comptes && ordre === 'pratique_observee') {
    const totalDemande = comptes.demande.reduce((a, b) => a + b, 0);
    const tires: Record<string, number[]> = {};
    for (const cleP of Object.keys(comptes.propositions).sort()) {
      const g = comptes.propositions[cleP]!.map((nc) => rng.gamma(nc));
      const somme = g.reduce((a, b) => a + b, 0);
      tires[cleP] = g.map((x, c) => (somme > 0 && comptes.demande[c]! > 0 ? x / somme / (comptes.demande[c]! / totalDemande) : 0));
    }
    poidsObserves = tires;
  }
  const poidsDe = (zone: Zone, typeContingent: string): readonly number[] | null => {
    if (ordre === 'tirage_au_sort') return null;
    return poidsObserves[clePoids(zone, typeContingent)] ?? poidsObserves[clePoids(zone, '*')] ?? null;
  };
  /** A random candidate of the allowed categories, each eligible request weighing its category's weight. */
  const tirer = (p: number, cats: readonly number[], poids: readonly number[] | null, commune: string): number => {
    const l = listes[p]!;
    for (let essai = 0; essai < 400; essai++) {
      let total = 0;
      for (const c of cats) total += l[c]!.length * (poids ? poids[c]! : 1);
      if (total <= 0) return -1;
      let u = rng.reel() * total;
      let c = cats[cats.length - 1]!;
      for (const x of cats) {
        u -= l[x]!.length * (poids ? poids[x]! : 1);
        if (u < 0) {
          c = x;
          break;
        }
      }
      const liste = l[c]!;
      if (liste.length === 0) continue;
      const k = rng.entier(liste.length);
      const i = liste[k]!;
      if (!attend(i)) {
        // Housed or struck off: dropped for good (swap-remove keeps the draw uniform over the rest).
        liste[k] = liste[liste.length - 1]!;
        liste.pop();
        continue;
      }
      if (eligible(i, commune)) return i;
    }
    // Rejections kept failing (few eligible among many): the exact draw over the eligible ones.
    const candidats: number[] = [];
    const poidsCandidats: number[] = [];
    for (const c of cats) for (const i of l[c]!) if (eligible(i, commune) && !candidats.includes(i)) {
      candidats.push(i);
      poidsCandidats.push(poids ? poids[c]! : 1);
    }
    let total = poidsCandidats.reduce((a, b) => a + b, 0);
    if (candidats.length === 0 || total <= 0) return -1;
    total *= rng.reel();
    for (let k = 0; k < candidats.length; k++) {
      total -= poidsCandidats[k]!;
      if (total < 0) return candidats[k]!;
    }
    return candidats[candidats.length - 1]!;
  };
  /** The best candidate (smallest key) of the allowed categories. */
  const meilleur = (p: number, cats: readonly number[], commune: string): number => {
    let best = -1;
    let bestCle = Infinity;
    for (const c of cats) {
      const liste = listes[p]![c]!;
      const cles = clesListe[p]![c]!;
      // Entries of requests gone, or listed again under a new key, are skipped for good at the head.
      let h = tetes[p]![c]!;
      while (h < liste.length && (!attend(liste[h]!) || cles[h] !== cle(liste[h]!))) h++;
      tetes[p]![c] = h;
      for (let k = h; k < liste.length; k++) {
        if (cles[k]! >= bestCle) break;
        const i = liste[k]!;
        if (cles[k] !== cle(i) || !eligible(i, commune)) continue;
        best = i;
        bestCle = cles[k]!;
        break;
      }
    }
    return best;
  };
  const choisir = (p: number, cats: readonly number[], poids: readonly number[] | null, commune: string) =>
    trie ? meilleur(p, cats, commune) : tirer(p, cats, poids, commune);

  const regles = politique.regles;
  const listerPour = (v: LogementSimule, zone: Zone): number[] => {
    const p = pieces(v.nbPieces);
    const poids = poidsDe(zone, v.typeContingent);
    const quota = regles.quotas_prioritaires[v.typeContingent as keyof typeof regles.quotas_prioritaires];
    const [prio, total] = propositionsContingent.get(v.contingent) ?? [0, 0];
    const q1Min = zone === 0 ? regles.q1_min_par_liste_hors_qpv : 0;
    const liste: number[] = [];
    for (let s = 0; s < politique.taille_liste; s++) {
      // The slot's constraints, from the strongest rule to none: relaxed one at a time when nobody fits.
      const prioRequis = quota !== undefined && (quota >= 1 || (s === 0 && prio < quota * (total + 1)));
      let classes: readonly number[] = PARMI.toutes;
      let classesPrioritaires: readonly number[] = PARMI.prioritaires;
      if (s < q1Min) [classes, classesPrioritaires] = [PARMI.q1, PARMI.q1Prioritaires];
      else if (zone === 1 && regles.q2_q4_en_qpv) [classes, classesPrioritaires] = [PARMI.horsQ1, PARMI.horsQ1Prioritaires];
      const essais: (readonly number[])[] = prioRequis ? [classesPrioritaires, classes, PARMI.prioritaires, PARMI.toutes] : [classes, PARMI.toutes];
      let i = -1;
      for (const cats of essais) {
        i = choisir(p, cats, poids, v.codeInsee);
        if (i >= 0) break;
      }
      if (i < 0) break;
      liste.push(i);
      dansLaListe.add(i);
    }
    // The commission's ranking: by the order for sorted orders, at random for the others (a rule's candidate is
    // in the list, not necessarily first).
    if (trie) liste.sort((a, b) => cle(a) - cle(b) || a - b);
    else for (let k = liste.length - 1; k > 0; k--) {
      const j = rng.entier(k + 1);
      [liste[k], liste[j]] = [liste[j]!, liste[k]!];
    }
    // A contingent below its priority quota proposes its priority households first (the quota is about proposals).
    if (quota !== undefined && (quota >= 1 || prio < quota * (total + 1))) {
      const devant = liste.filter((i) => demandes[i]!.prioritaire);
      return [...devant, ...liste.filter((i) => !demandes[i]!.prioritaire)];
    }
    return liste;
  };

  const penalite = territoire.penaliteRefus;
  let prochaineArrivee = 0;
  for (let x = 0; x < nVacances; x++) {
    const jour = joursVacance[x]!;
    // The requests deposited before the commission's day join the lists first.
    while (prochaineArrivee < nArrivees && joursArrivee[prochaineArrivee]! <= jour) {
      const i = nStock + prochaineArrivee++;
      etat[i] = ACTIF;
      inserer(i);
    }
    jourCourant = jour;
    const v = vacances[x]!;
    const zone: Zone = v.enQpv ? 1 : 0;
    dansLaListe.clear();
    let loue = false;
    for (let tour = 0; tour < politique.tours_max && !loue; tour++) {
      const liste = listerPour(v, zone);
      if (liste.length === 0) break;
      for (const i of liste) {
        const d = demandes[i]!;
        const classe = d.classe as IndiceClasse;
        propositions++;
        const pc = propositionsContingent.get(v.contingent) ?? [0, 0];
        pc[1]++;
        if (d.prioritaire) pc[0]++;
        propositionsContingent.set(v.contingent, pc);
        if (zone === 1) {
          compter('qpv_hors_q1', v, classe === CLASSE_Q2 || classe === CLASSE_Q3_Q4);
          compter('qpv_q3_q4', v, classe === CLASSE_Q3_Q4);
        }
        compter('prioritaires', v, d.prioritaire);
        if (rng.chance(territoire.refus[zone]?.[classe] ?? 0)) {
          nbRefus[i]!++;
          if (penalite.centiemes !== 0 && (penalite.parRefus || nbRefus[i] === 1) && (penalite.maxRefus === null || nbRefus[i]! <= penalite.maxRefus)) {
            note[i]! += penalite.centiemes;
            if (ordre === 'cotation') inserer(i);
          }
          continue;
        }
        etat[i] = LOGE;
        loue = true;
        if (zone === 0) compter('hors_qpv_q1', v, classe === CLASSE_Q1 || d.relogement);
        loges[classe]!++;
        const attendu = jour - depot[i]!;
        attente.somme[classe]! += attendu;
        attente.n[classe]!++;
        if (d.prioritaire) {
          attente.sommePrio += attendu;
          attente.nPrio++;
        }
        break;
      }
    }
    if (!loue) nonPourvues++;
  }

  // --- The measures of the run.
  const mesures: MesuresTirage = {};
  for (const id of INDICATEURS_SIMULES) {
    for (const [perimetre, [num, den]] of compteurs[id].n) if (den > 0) mesures[`${id}|${perimetre}`] = num / den;
  }
  CLASSES_SIMULEES.forEach((classe, k) => {
    mesures[`menages_loges|quartile|${classe}`] = loges[k]!;
    if (attente.n[k]! > 0) mesures[`attente_jours|profil|${classe}`] = attente.somme[k]! / attente.n[k]!;
  });
  if (attente.nPrio > 0) mesures['attente_jours|profil|prioritaire'] = attente.sommePrio / attente.nPrio;
  const nLoges = loges.reduce((a, b) => a + b, 0);
  if (nLoges > 0) mesures['attente_jours|profil|ensemble'] = attente.somme.reduce((a, b) => a + b, 0) / nLoges;
  mesures['baux|territoire|territoire'] = nLoges;
  mesures['propositions|territoire|territoire'] = propositions;
  mesures['vacances_non_pourvues|territoire|territoire'] = nonPourvues;
  return mesures;
}

/**
 * `flux: conventions`: each vacancy of a bailleur that has conventions for the year falls to a contingent drawn from
 * their shares (the rest to the bailleur's own contingent), instead of the contingent the dwelling had when observed.
 * The draws come from a stream of their own (derived from the run's seed), so that the vacancies, arrivals and
 * radiations of a run stay those of the same run under a policy with `flux: observe` (the comparison is run by run).
 */
/** Index of the contingent draws' stream (any constant far from run indices: it only has to stay the same). */
const FLUX_FLOT = 0x0f1c_0000;

function contingentsDesConventions(vacances: LogementSimule[], territoire: TerritoireSimule, graine: number): void {
  const parts = territoire.partsFlux ?? {};
  if (Object.keys(parts).length === 0) {
    throw new Error(`flux: conventions sans convention de réservation pour ${territoire.annee} (à vérifier avant la simulation)`);
  }
  const rng = new Aleatoire(graineDuTirage(graine, FLUX_FLOT));
  // One object per dwelling profile and contingent: the perimeters of a vacancy are cached per object.
  const versions = new Map<LogementSimule, Map<string, LogementSimule>>();
  const tirerPart = (liste: readonly PartFlux[]): PartFlux => {
    let u = rng.reel();
    for (const p of liste) {
      u -= p.part;
      if (u < 0) return p;
    }
    return liste[liste.length - 1]!;
  };
  for (let k = 0; k < vacances.length; k++) {
    const v = vacances[k]!;
    const liste = parts[v.bailleurId];
    if (!liste || liste.length === 0) continue;
    const p = tirerPart(liste);
    let parContingent = versions.get(v);
    if (!parContingent) versions.set(v, (parContingent = new Map()));
    let w = parContingent.get(p.contingent);
    if (!w) parContingent.set(p.contingent, (w = { ...v, contingent: p.contingent, typeContingent: p.typeContingent }));
    vacances[k] = w;
  }
}
