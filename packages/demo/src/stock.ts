/**
 * The social housing stock of one EPCI: residences (buildings), dwellings (RPLS-like) and the
 * occupation survey (OPS-like). Written as it is drawn; what the allocations need later is kept in
 * compact typed arrays (`Parc`).
 */
import {
  ANNEES_ATTRIBUTION, LIVRAISONS_PAR_AN, PARTS_BAUX_TYPOLOGIE, PARTS_CONTINGENTS, PARTS_PARC_TYPOLOGIE,
} from './calibration.js';
import { coordonnee, decimal, texte, type CsvWriter } from './csv-writer.js';
import { isoDate, jour, type Jour } from './dates.js';
import { idLogement, idResidence, type Compteurs } from './ids.js';
import type { EpciPlan } from './model.js';
import { Categorical, type Random, WeightedTable } from './random.js';

export const FINANCEMENTS = ['plai', 'plus', 'pls', 'pli', 'autre'] as const;
export type Financement = (typeof FINANCEMENTS)[number];

/** Dwellings of one EPCI, as the allocation step needs them. Index i is dwelling `idLogement(premierId + i)`. */
export interface Parc {
  readonly taille: number;
  readonly premierId: number;
  readonly commune: Int32Array;
  /** Index in plan.qpvs, -1 hors QPV. */
  readonly qpv: Int32Array;
  readonly bailleur: Int32Array;
  readonly pieces: Uint8Array;
  readonly financement: Uint8Array;
  readonly loyer: Float64Array;
  /** Index in plan.contingents, -1 for the bailleur's non-reserved stock. */
  readonly contingent: Int32Array;
  readonly miseEnService: Int32Array;
  /** Dwellings by typology 1…5 (5 = T5 or more). */
  readonly parTypologie: readonly Int32Array[];
  /** Buildings delivered during the allocation years: their first letting is an allocation of its own. */
  readonly livraisons: readonly Livraison[];
}

export interface Livraison {
  readonly premier: number;
  readonly nombre: number;
  readonly jour: Jour;
}

export interface EcrivainsParc {
  residences: CsvWriter;
  logements: CsvWriter;
  occupation: CsvWriter;
}

const RUES = [
  'rue des Tilleuls', 'avenue Jean Jaurès', 'rue de la République', 'allée Pierre Brossolette', 'rue des Peupliers',
  'place de l\'Europe', 'boulevard Victor Hugo', 'rue Louise Michel', 'allée du Parc', 'chemin des Champs',
  'quai de la Seine', 'rue Gustave Eiffel', 'avenue Salvador Allende', 'rue Pablo Neruda', 'rue des Écoles',
  'rue du Moulin', 'avenue Jean Moulin', 'square Aimé Césaire', 'rue Simone Veil', 'allée des Lilas',
  'rue Lucie Aubrac', 'avenue de la Liberté', 'rue du Général de Gaulle', 'cours Blaise Pascal', 'rue des Marronniers',
];
const NOMS_RESIDENCES = [
  'Les Tilleuls', 'Le Parc', 'Les Peupliers', 'Le Clos Fleuri', 'Les Terrasses', 'La Roseraie', 'Le Belvédère',
  'Les Hauts du Val', 'Le Verger', 'Les Châtaigniers', 'La Pépinière', 'Les Glycines', 'Le Hameau', 'Les Sources',
  'Le Domaine', 'Les Coteaux', 'La Prairie', 'Les Érables', 'Le Mail', 'Les Jardins', 'La Garenne', 'Les Bleuets',
];

const SURFACE_TYPE = [0, 31, 47, 65, 80, 95, 110];
/** Monthly rent per m² by financing (plai, plus, pls, pli, autre = pre-1977 HLM), Île-de-France level. */
const LOYER_M2 = [5.7, 6.6, 10.2, 12.5, 5.3];

interface Residence {
  secteur: number;
  logements: number;
  annee: number;
  /** Delivery day for buildings of the allocation years. */
  livraison: Jour | undefined;
}

/**
 * Buildings delivered in the allocation years, mostly hors QPV: the seed calls for new low-rent
 * supply outside the QPV communes (§I.2.A) and the NPNRU rebuilds demolished stock elsewhere.
 */
function programmesNeufs(plan: EpciPlan, rng: Random, restant: number[]): Residence[] {
  const poids = plan.secteurs.map((s, i) => (restant[i]! < 10 ? 0 : s.qpv < 0 ? s.logements : s.logements * 0.15));
  if (!poids.some((w) => w > 0)) return [];
  const table = new WeightedTable(poids);
  const result: Residence[] = [];
  for (const annee of ANNEES_ATTRIBUTION) {
    let budget = Math.round(plan.logements * LIVRAISONS_PAR_AN);
    for (let essais = 0; budget > 0 && essais < 1000; essais++) {
      const secteur = table.draw(rng);
      const taille = Math.min(budget, restant[secteur]!, rng.between(12, 70));
      if (taille < 1) continue;
      restant[secteur]! -= taille;
      budget -= taille;
      result.push({ secteur, logements: taille, annee, livraison: jour(annee, 1, 1) + rng.int(365) });
    }
  }
  return result;
}

function anneeConstruction(rng: Random, qpv: boolean): number {
  if (qpv) return 1958 + Math.round(Math.abs(rng.normal()) * 6 + rng.int(12));
  const x = rng.next();
  if (x < 0.1) return rng.between(1950, 1969);
  if (x < 0.45) return rng.between(1970, 1989);
  if (x < 0.75) return rng.between(1990, 2009);
  return rng.between(2010, 2020);
}

const FIN_ANCIEN = new Categorical({ autre: 0.6, plus: 0.4 });
const FIN_MOYEN = new Categorical({ plus: 0.85, plai: 0.05, pls: 0.1 });
const FIN_RECENT = new Categorical({ plai: 0.27, plus: 0.53, pls: 0.18, pli: 0.02 });

function financement(rng: Random, annee: number): number {
  const f = annee < 1977 ? FIN_ANCIEN.draw(rng) : annee < 2000 ? FIN_MOYEN.draw(rng) : FIN_RECENT.draw(rng);
  return FINANCEMENTS.indexOf(f);
}

export async function genererParc(plan: EpciPlan, rng: Random, ids: Compteurs, out: EcrivainsParc): Promise<Parc> {
  const restant = plan.secteurs.map((s) => s.logements);
  const neufs = programmesNeufs(plan, rng, restant);
  const neufsParSecteur = new Map<number, Residence[]>();
  for (const n of neufs) neufsParSecteur.set(n.secteur, [...(neufsParSecteur.get(n.secteur) ?? []), n]);
  const residences: Residence[] = [];
  plan.secteurs.forEach((s, secteur) => {
    const qpv = s.qpv >= 0;
    const assimile = qpv && plan.qpvs[s.qpv]!.assimile;
    const moyenne = !qpv ? 35 : assimile ? 90 : 140;
    let reste = restant[secteur]!;
    while (reste > 0) {
      const taille = Math.min(reste, Math.max(4, Math.round(moyenne * (0.25 + rng.exponential(0.75)))));
      residences.push({ secteur, logements: taille, annee: anneeConstruction(rng, qpv && !assimile), livraison: undefined });
      reste -= taille;
    }
    residences.push(...(neufsParSecteur.get(secteur) ?? []));
  });

  const taille = residences.reduce((s, r) => s + r.logements, 0);
  const parc = {
    taille,
    premierId: ids.logement + 1,
    commune: new Int32Array(taille),
    qpv: new Int32Array(taille),
    bailleur: new Int32Array(taille),
    pieces: new Uint8Array(taille),
    financement: new Uint8Array(taille),
    loyer: new Float64Array(taille),
    contingent: new Int32Array(taille),
    miseEnService: new Int32Array(taille),
    livraisons: [] as Livraison[],
  };
  const tableBailleurs = new WeightedTable(plan.bailleurs.map((b) => b.part));
  const tablePieces = new WeightedTable(PARTS_PARC_TYPOLOGIE);
  // New buildings are let all at once: give them the typology mix of the lettings, so that their
  // first lettings do not bend the tension by typology.
  const tablePiecesNeuf = new WeightedTable(PARTS_BAUX_TYPOLOGIE);
  const typesContingent = new Categorical({
    ...PARTS_CONTINGENTS,
    region: plan.contingentRegion >= 0 ? PARTS_CONTINGENTS.region : 0,
    non_reserve: 1 - Object.values(PARTS_CONTINGENTS).reduce((a, b) => a + b, 0),
  });

  // Every bailleur of the plan owns at least one building (the seed counts 34 organisations).
  const bailleurs = residences.map(() => tableBailleurs.draw(rng));
  const parBailleur = new Int32Array(plan.bailleurs.length);
  for (const b of bailleurs) parBailleur[b]!++;
  for (let b = 0; b < plan.bailleurs.length; b++) {
    for (let essai = 0; parBailleur[b] === 0 && essai < 100; essai++) {
      const r = rng.int(residences.length);
      if (parBailleur[bailleurs[r]!]! < 2) continue;
      parBailleur[bailleurs[r]!]!--;
      bailleurs[r] = b;
      parBailleur[b]!++;
    }
  }

  let i = 0;
  for (const [numero, r] of residences.entries()) {
    const secteur = plan.secteurs[r.secteur]!;
    const commune = plan.communes[secteur.commune]!;
    const qpv = secteur.qpv >= 0 ? plan.qpvs[secteur.qpv]! : undefined;
    const enQpv = qpv !== undefined && !qpv.assimile;
    const residenceId = idResidence(++ids.residence);
    const bailleur = bailleurs[numero]!;
    const bailleurId = plan.bailleurs[bailleur]!.bailleur.id;
    const etages = enQpv ? rng.between(4, 16) : r.livraison !== undefined ? rng.between(3, 7) : rng.between(1, 8);
    const ascenseur = rng.chance(0.03) ? '' : etages >= 5 || (etages >= 3 && rng.chance(0.5)) ? '1' : '0';
    const miseEnService = r.livraison ?? jour(r.annee, 1, 1) + rng.int(365);
    const dateService = isoDate(miseEnService);
    const financementResidence = r.livraison !== undefined ? -1 : financement(rng, r.annee);
    const recent = r.annee >= 2010;
    const facteurLoyer = plan.niveauLoyers * (recent ? 1.12 : r.annee < 1990 ? 0.93 : 1) * (enQpv ? 0.95 : 1);
    const codeQpv = qpv?.code ?? '';
    const [lat, lon] = commune.centre ?? [undefined, undefined];
    const latitude = lat === undefined ? '' : coordonnee(lat + rng.uniform(-0.008, 0.008));
    const longitude = lon === undefined ? '' : coordonnee(lon + rng.uniform(-0.012, 0.012));
    const nom = texte(`Résidence ${rng.pick(NOMS_RESIDENCES)}`);
    const adresse = texte(`${rng.between(1, 150)} ${rng.pick(RUES)}`);
    if (out.residences.add(`${residenceId};${bailleurId};${nom};${commune.code};${codeQpv};${adresse};${latitude};${longitude};${r.logements}`)) {
      await out.residences.flush();
    }
    if (r.livraison !== undefined) parc.livraisons.push({ premier: i, nombre: r.logements, jour: r.livraison });
    if (occupation(out.occupation, rng, residenceId, r, qpv === undefined ? 0 : qpv.assimile ? 1 : 2)) await out.occupation.flush();

    const communesContingents = plan.contingentsParCommune[secteur.commune]!;
    for (let k = 0; k < r.logements; k++, i++) {
      const pieces = (r.livraison === undefined ? tablePieces : tablePiecesNeuf).draw(rng);
      const surface = Math.round(SURFACE_TYPE[pieces]! * rng.uniform(0.88, 1.12) * 10) / 10;
      // New programmes mix financings within a building; older ones keep the building's.
      const fin = financementResidence >= 0 && !rng.chance(0.08) ? financementResidence : financement(rng, r.annee);
      const loyer = Math.round(surface * LOYER_M2[fin]! * facteurLoyer * rng.uniform(0.9, 1.1) * 100) / 100;
      const charges = surface * rng.uniform(1.5, 2.9);
      let contingent: number;
      switch (typesContingent.draw(rng)) {
        case 'etat_prioritaires': contingent = communesContingents.etatPrioritaires; break;
        case 'etat_agents': contingent = communesContingents.etatAgents; break;
        case 'action_logement': contingent = plan.contingentActionLogement; break;
        case 'commune': contingent = communesContingents.commune >= 0 ? communesContingents.commune : plan.contingentEpci; break;
        case 'epci': contingent = plan.contingentEpci; break;
        case 'departement': contingent = communesContingents.departement; break;
        case 'region': contingent = plan.contingentRegion; break;
        case 'non_reserve': contingent = -1; break;
      }
      const etage = rng.int(etages + 1);
      const pmr = (recent ? rng.chance(0.2) : rng.chance(0.03)) && (ascenseur === '1' || etage === 0);
      parc.commune[i] = secteur.commune;
      parc.qpv[i] = secteur.qpv;
      parc.bailleur[i] = bailleur;
      parc.pieces[i] = pieces;
      parc.financement[i] = fin;
      parc.loyer[i] = loyer;
      parc.contingent[i] = contingent;
      parc.miseEnService[i] = miseEnService;
      const idContingent = contingent >= 0 ? plan.contingents[contingent]!.reservataire.id : '';
      const line = `${idLogement(++ids.logement)};${residenceId};${bailleurId};${commune.code};${codeQpv};${pieces};${decimal(surface)};${FINANCEMENTS[fin]};${decimal(loyer)};${decimal(charges)};${r.annee};${dateService};${idContingent};${pmr ? 1 : 0};${etage};${ascenseur}`;
      if (out.logements.add(line)) await out.logements.flush();
    }
  }

  const parTypologie: Int32Array[] = [];
  const comptes = new Int32Array(6);
  for (let k = 0; k < taille; k++) comptes[Math.min(5, parc.pieces[k]!)]!++;
  for (let t = 0; t <= 5; t++) parTypologie.push(new Int32Array(comptes[t]!));
  const rempli = new Int32Array(6);
  for (let k = 0; k < taille; k++) {
    const t = Math.min(5, parc.pieces[k]!);
    parTypologie[t]![rempli[t]!++] = k;
  }
  return { ...parc, parTypologie };
}

/**
 * OPS-like survey of 2022 and 2024, for buildings let before the survey year. The share of
 * households under 40 % of the PLUS ceilings is what CIAs use to call a residence fragile
 * (DOMAIN.md): higher in QPV, so fragile residences are more frequent there.
 */
function occupation(w: CsvWriter, rng: Random, residenceId: string, r: Residence, zone: 0 | 1 | 2): boolean {
  const moyenne = zone === 2 ? 0.45 : zone === 1 ? 0.38 : 0.24;
  const base = Math.min(0.85, Math.max(0.02, moyenne + rng.normal() * (zone === 0 ? 0.09 : 0.12)));
  let flush = false;
  for (const annee of [2022, 2024]) {
    if (r.annee >= annee) continue;
    const menages = Math.max(1, Math.round(r.logements * rng.uniform(0.94, 0.995)));
    const s40 = Math.min(0.9, Math.max(0.01, base + (annee === 2024 ? rng.normal() * 0.03 + 0.01 : 0)));
    const s60 = Math.min(0.98, s40 + rng.uniform(0.15, 0.28));
    const apl = Math.min(0.95, s40 * 0.9 + rng.uniform(0.05, 0.2));
    const mono = rng.uniform(0.12, 0.22) + 0.15 * s40;
    const sansEmploi = rng.uniform(0.05, 0.15) + 0.35 * s40;
    const n = (share: number): number => Math.round(menages * share);
    flush = w.add(`${residenceId};${annee};${menages};${n(s40)};${n(s60)};${n(apl)};${n(mono)};${n(sansEmploi)}`) || flush;
  }
  return flush;
}
