/**
 * The territory of a demo dataset: communes and EPCIs read from @etalab/decoupage-administratif,
 * QPV and assimilated sectors, bailleurs, réservataires, stock sectors, targets and thresholds.
 * Grand Paris Sud is built from the seed (grand-paris-sud.ts); other EPCIs follow generic rules.
 */
import { createRequire } from 'node:module';
import {
  CODE_EPCI_GPS, ECHELLES, GPS, MEDIANE_SEUILS_EPCI, SEUILS_IDF, ANNEES_SEUILS, ANNEES_ATTRIBUTION,
  type ProfilContingent,
} from './calibration.js';
import { CENTRES_GPS, GRANDS_BAILLEURS_GPS, PETITS_BAILLEURS_GPS, QPV_GPS, SECTEURS_ASSIMILES_GPS } from './grand-paris-sud.js';
import type {
  Bailleur, CommunePlan, ContingentPlan, Echelle, EpciPlan, QpvPlan, Reservataire, Secteur, SeuilLigne, Territoire,
  TypeBailleur, TypeReservataire, ZoneAbc,
} from './model.js';
import { Random, hashSeed } from './random.js';

const REGION_IDF = '11';

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  population: number;
}
interface RawEpci {
  code: string;
  nom: string;
  type: string;
  membres: { code: string }[];
}
interface Reference {
  communes: ReadonlyMap<string, RawCommune>;
  epcis: readonly RawEpci[];
  departements: ReadonlyMap<string, string>;
  regions: ReadonlyMap<string, string>;
  /** Per département, its communes by decreasing population (for applicants living nearby). */
  parDepartement: ReadonlyMap<string, readonly RawCommune[]>;
}

let reference: Reference | undefined;

function asArray(value: unknown, file: string): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`@etalab/decoupage-administratif : ${file} n'est pas une liste`);
  return value as Record<string, unknown>[];
}

function text(record: Record<string, unknown>, field: string, file: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new Error(`@etalab/decoupage-administratif : champ ${field} absent dans ${file}`);
  return value;
}

/** Reads the package's JSON files once (they weigh 12 MB) and checks the fields we rely on. */
function loadReference(): Reference {
  if (reference) return reference;
  const require = createRequire(import.meta.url);
  const data = (name: string): Record<string, unknown>[] =>
    asArray(require(`@etalab/decoupage-administratif/data/${name}`) as unknown, name);

  const communes = new Map<string, RawCommune>();
  for (const c of data('communes.json')) {
    if (c.type !== 'commune-actuelle') continue;
    communes.set(text(c, 'code', 'communes.json'), {
      code: text(c, 'code', 'communes.json'),
      nom: text(c, 'nom', 'communes.json'),
      type: 'commune-actuelle',
      departement: text(c, 'departement', 'communes.json'),
      region: text(c, 'region', 'communes.json'),
      population: typeof c.population === 'number' ? c.population : 0,
    });
  }
  const epcis: RawEpci[] = data('epci.json').map((e) => ({
    code: text(e, 'code', 'epci.json'),
    nom: text(e, 'nom', 'epci.json'),
    type: text(e, 'type', 'epci.json'),
    membres: asArray(e.membres, 'epci.json').map((m) => ({ code: text(m, 'code', 'epci.json') })),
  }));
  const named = (name: string): Map<string, string> =>
    new Map(data(name).map((d) => [text(d, 'code', name), text(d, 'nom', name)]));
  const parDepartement = new Map<string, RawCommune[]>();
  for (const c of communes.values()) {
    const list = parDepartement.get(c.departement) ?? [];
    list.push(c);
    parDepartement.set(c.departement, list);
  }
  for (const list of parDepartement.values()) list.sort((a, b) => b.population - a.population || a.code.localeCompare(b.code));
  reference = { communes, epcis, departements: named('departements.json'), regions: named('regions.json'), parDepartement };
  return reference;
}

/** Social housing concentrates in towns: a commune's weight grows a little faster than its population. */
function urbanite(population: number): number {
  return Math.min(2.5, Math.max(0.35, (population / 10_000) ** 0.3));
}

/** `91` → `091`, `2A` → `02A`, `971` → `971`: the three-character form used in QPV codes and NUR. */
export function departement3(departement: string): string {
  return departement.length === 2 ? `0${departement}` : departement;
}

/**
 * Approximate zoning (the real ABC and APL zonings are arrêté annexes the package does not carry):
 * Paris and Hauts-de-Seine A bis, inner suburbs A, towns of the outer Paris suburbs A, regional
 * cities B1, the rest B2 or C.
 */
function zonage(c: RawCommune, typeEpci: string): { zoneAbc: ZoneAbc; zoneApl: 1 | 2 | 3 } {
  const petiteCouronne = ['75', '92', '93', '94'].includes(c.departement);
  let zoneAbc: ZoneAbc;
  if (c.departement === '75' || c.departement === '92') zoneAbc = 'abis';
  else if (petiteCouronne) zoneAbc = 'a';
  else if (c.region === REGION_IDF) zoneAbc = c.population >= 15_000 ? 'a' : c.population >= 3_000 ? 'b1' : 'b2';
  else if (c.population >= 200_000) zoneAbc = 'a';
  else if (typeEpci === 'METRO' || typeEpci === 'MET69' || c.population >= 50_000) zoneAbc = 'b1';
  else if (typeEpci === 'CC' && c.population < 10_000) zoneAbc = 'c';
  else zoneAbc = 'b2';
  const zoneApl = petiteCouronne || (c.region === REGION_IDF && zoneAbc === 'a') ? 1 : zoneAbc === 'b2' || zoneAbc === 'c' ? 3 : 2;
  return { zoneAbc, zoneApl };
}

/** Exported for the simulation's back-test (issue 16), which computes the generator's expected rates from it. */
export const PROFIL_PAR_TYPE: Record<TypeReservataire, ProfilContingent> = {
  etat_prioritaires: 'mal_loges',
  etat_agents: 'etat_agents',
  action_logement: 'action_logement',
  commune: 'collectivites',
  epci: 'collectivites',
  departement: 'collectivites',
  region: 'collectivites',
  autre: 'collectivites',
};

/** Communes that hold reservation rights (they guarantee loans): above this population (demo assumption). */
const POPULATION_COMMUNE_RESERVATAIRE = 3_500;

const NOMS_QUARTIERS = [
  'Les Hauts de Ville', 'Le Plateau', 'La Source', 'Les Cèdres', 'Le Val Nord', 'Les Tilleuls', 'La Croix Blanche',
  'Les Peupliers', 'Le Bois de l\'Étang', 'Les Sablons', 'La Butte', 'Les Coteaux', 'Le Moulin', 'La Plaine',
  'Les Jardins', 'Centre Ancien', 'Quartier de la Gare', 'Les Érables', 'La Roseraie', 'Les Acacias', 'Le Mail',
  'Les Quatre Chemins', 'La Fontaine', 'Les Bruyères',
];

const GROUPES_NATIONAUX = [
  'Habitat Solidaire de France', 'Les Toits Communs', 'Foyer des Familles', 'Résidences Nouvelles', 'Logis Partagé',
  'Habitat et Territoires Unis', 'Maisons du Quotidien', 'Cités Jardins Demain', 'Les Terrasses Sociales',
  'Entreprise Sociale Horizon', 'Habitat Confluences', 'Le Toit Républicain', 'Immobilière Trait d\'Union',
  'Logement Pour Tous',
];

class Catalogue<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  get(id: string, make: () => T): T {
    let item = this.items.get(id);
    if (!item) {
      item = make();
      this.items.set(id, item);
    }
    return item;
  }
  values(): T[] {
    return [...this.items.values()];
  }
}

interface Context {
  ref: Reference;
  echelle: Echelle;
  graine: number;
  bailleurs: Catalogue<Bailleur>;
  reservataires: Catalogue<Reservataire>;
  codesQpv: Set<string>;
  compteursQpv: Map<string, number>;
}

function membres(ctx: Context, epci: RawEpci): RawCommune[] {
  return epci.membres.map((m) => {
    const c = ctx.ref.communes.get(m.code);
    if (!c) throw new Error(`commune ${m.code} de l'EPCI ${epci.code} absente de communes.json`);
    return c;
  });
}

function communePlan(c: RawCommune, typeEpci: string, centre: readonly [number, number] | undefined): CommunePlan {
  return { code: c.code, nom: c.nom, population: c.population, departement: c.departement, region: c.region, ...zonage(c, typeEpci), centre };
}

function nomDepartement(ctx: Context, dep: string): string {
  return ctx.ref.departements.get(dep) ?? dep;
}

/** The reservation rights present in an EPCI: the State per département, the département, communes, the EPCI, Action Logement, the Région in Île-de-France. */
function contingents(ctx: Context, epci: RawEpci, communes: readonly CommunePlan[]): Pick<
  EpciPlan, 'contingents' | 'contingentsParCommune' | 'contingentActionLogement' | 'contingentEpci' | 'contingentRegion'
> {
  const list: ContingentPlan[] = [];
  const add = (id: string, nom: string, type: TypeReservataire, codeInsee = ''): number => {
    const reservataire = ctx.reservataires.get(id, () => ({ id, nom, type, codeInsee }));
    const existing = list.findIndex((c) => c.reservataire.id === id);
    if (existing >= 0) return existing;
    list.push({ reservataire, profil: PROFIL_PAR_TYPE[type] });
    return list.length - 1;
  };
  const contingentActionLogement = add('ALS', 'Action Logement Services', 'action_logement');
  const contingentEpci = add(`EPCI-${epci.code}`, epci.nom, 'epci');
  const contingentRegion = communes.some((c) => c.region === REGION_IDF) ? add('REG-11', 'Région Île-de-France', 'region') : -1;
  const contingentsParCommune = communes.map((c) => {
    const dep = nomDepartement(ctx, c.departement);
    return {
      etatPrioritaires: add(`ETAT-PRIO-${c.departement}`, `Préfet - ${dep} - contingent prioritaire`, 'etat_prioritaires'),
      etatAgents: add(`ETAT-AGENTS-${c.departement}`, `Préfet - ${dep} - agents de l'État`, 'etat_agents'),
      departement: add(`DEP-${c.departement}`, `Département - ${dep}`, 'departement'),
      commune: c.population >= POPULATION_COMMUNE_RESERVATAIRE ? add(`COM-${c.code}`, `Commune de ${c.nom}`, 'commune', c.code) : -1,
    };
  });
  return { contingents: list, contingentsParCommune, contingentActionLogement, contingentEpci, contingentRegion };
}

function voisines(ctx: Context, communes: readonly CommunePlan[]): string[] {
  const inside = new Set(communes.map((c) => c.code));
  const deps = [...new Set(communes.map((c) => c.departement))];
  const result: string[] = [];
  for (const dep of deps) {
    for (const c of ctx.ref.parDepartement.get(dep) ?? []) {
      if (result.length >= 12 * deps.length) break;
      if (!inside.has(c.code)) result.push(c.code);
    }
  }
  return result;
}

function prochainCodeQpv(ctx: Context, prefixe: 'QN' | 'AS', departement: string): string {
  const dep3 = departement3(departement);
  const key = `${prefixe}${dep3}`;
  for (;;) {
    const n = (ctx.compteursQpv.get(key) ?? 0) + 1;
    ctx.compteursQpv.set(key, n);
    const code = `${prefixe}${dep3}${String(n).padStart(2, '0')}${prefixe === 'QN' ? 'M' : ''}`;
    if (!ctx.codesQpv.has(code)) {
      ctx.codesQpv.add(code);
      return code;
    }
  }
}

function seuilsEpci(code: string, region: string, graine: number): Record<number, number> {
  if (region === REGION_IDF) return Object.fromEntries(ANNEES_SEUILS.map((a) => [a, SEUILS_IDF[a]!.valeur]));
  // Each EPCI's threshold reflects its own demand: a stable factor around the national median.
  const rng = new Random(hashSeed(graine, 'seuil', code));
  const facteur = (region.length === 2 && region.startsWith('0') ? 0.72 : 0.84) + 0.32 * rng.next();
  return Object.fromEntries(ANNEES_SEUILS.map((a) => [a, Math.round(MEDIANE_SEUILS_EPCI[a]! * facteur)]));
}

/** Shares decreasing like a Zipf law: a few bailleurs hold most of a territory's stock. */
function zipf(n: number, exponent: number): number[] {
  const raw = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** exponent);
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((x) => x / total);
}

function planGrandParisSud(ctx: Context, epci: RawEpci, totals: Totaux): EpciPlan {
  const raw = membres(ctx, epci);
  const communes = raw.map((c) => communePlan(c, epci.type, CENTRES_GPS[c.code]));
  const indexCommune = new Map(communes.map((c, i) => [c.code, i]));
  const locaux = [...QPV_GPS, ...SECTEURS_ASSIMILES_GPS];
  for (const q of locaux) {
    if (!indexCommune.has(q.codeInsee)) throw new Error(`QPV ${q.code} : commune ${q.codeInsee} hors de Grand Paris Sud`);
    ctx.codesQpv.add(q.code);
  }
  const qpvs: QpvPlan[] = locaux.map((q) => ({ code: q.code, nom: q.nom, codeInsee: q.codeInsee, assimile: q.assimile === true, npnru: q.npnru }));
  const secteurs: Secteur[] = [];
  const logements = totals.logements;
  const poidsQpv = QPV_GPS.reduce((s, q) => s + q.poids, 0);
  const poidsAssimiles = SECTEURS_ASSIMILES_GPS.reduce((s, q) => s + q.poids, 0);
  locaux.forEach((q, i) => {
    const part = q.assimile ? (GPS.partAssimile * q.poids) / poidsAssimiles : (GPS.partQpv * q.poids) / poidsQpv;
    secteurs.push({ commune: indexCommune.get(q.codeInsee)!, qpv: i, logements: Math.round(logements * part) });
  });
  const horsQpv = logements * (1 - GPS.partQpv - GPS.partAssimile);
  const poids = communes.map((c) => c.population * urbanite(c.population));
  const totalPoids = poids.reduce((a, b) => a + b, 0);
  communes.forEach((_, i) => secteurs.push({ commune: i, qpv: -1, logements: Math.round((horsQpv * poids[i]!) / totalPoids) }));

  const petits = zipf(PETITS_BAILLEURS_GPS.length, 1.1).map((p) => p * (1 - GPS.partHuitPrincipaux));
  const bailleurs = [
    ...GRANDS_BAILLEURS_GPS.map((b, i) => ({ nom: b.nom, type: b.type, part: b.part, id: `BGPS${String(i + 1).padStart(2, '0')}` })),
    ...PETITS_BAILLEURS_GPS.map((b, i) => ({ ...b, part: petits[i]!, id: `BGPS${String(i + 9).padStart(2, '0')}` })),
  ].map((b) => ({ bailleur: ctx.bailleurs.get(b.id, () => ({ id: b.id, nom: b.nom, type: b.type })), part: b.part }));

  return {
    code: epci.code,
    nom: epci.nom,
    region: REGION_IDF,
    communes,
    qpvs,
    secteurs,
    bailleurs,
    ...contingents(ctx, epci, communes),
    logements,
    demandesActives: totals.demandesActives,
    bauxParAn: totals.bauxParAn,
    seuils: seuilsEpci(epci.code, REGION_IDF, ctx.graine),
    voisines: voisines(ctx, communes),
    niveauLoyers: 1,
  };
}

function regionPrincipale(communes: readonly RawCommune[]): string {
  let best = communes[0];
  for (const c of communes) if (best === undefined || c.population > best.population) best = c;
  return best?.region ?? '';
}

function planGenerique(ctx: Context, epci: RawEpci, totals: Totaux): EpciPlan {
  const rng = new Random(hashSeed(ctx.graine, 'territoire', epci.code));
  const raw = membres(ctx, epci);
  const region = regionPrincipale(raw);
  const communes = raw.map((c) => communePlan(c, epci.type, undefined));
  const poids = communes.map((c) => c.population * urbanite(c.population));
  const totalPoids = poids.reduce((a, b) => a + b, 0) || 1;

  const qpvs: QpvPlan[] = [];
  const secteurs: Secteur[] = [];
  communes.forEach((c, i) => {
    const stock = (totals.logements * poids[i]!) / totalPoids;
    // Towns above 10 000 inhabitants often have one or more QPV; a large city has many.
    const aDesQpv = c.population >= 10_000 && rng.chance(Math.min(0.95, 0.25 + c.population / 60_000));
    if (!aDesQpv) {
      secteurs.push({ commune: i, qpv: -1, logements: Math.round(stock) });
      return;
    }
    const nombre = Math.max(1, Math.min(12, Math.round(c.population / 40_000 + rng.next())));
    const partQpv = 0.3 + 0.3 * rng.next();
    const noms = rng.shuffle([...NOMS_QUARTIERS]);
    const poidsQpv = Array.from({ length: nombre }, () => 1 + 3 * rng.next());
    const sommePoids = poidsQpv.reduce((a, b) => a + b, 0);
    for (let k = 0; k < nombre; k++) {
      qpvs.push({
        code: prochainCodeQpv(ctx, 'QN', c.departement),
        nom: noms[k % noms.length]!,
        codeInsee: c.code,
        assimile: false,
        npnru: rng.chance(0.4),
      });
      secteurs.push({ commune: i, qpv: qpvs.length - 1, logements: Math.round((stock * partQpv * poidsQpv[k]!) / sommePoids) });
    }
    let partAssimile = 0;
    if (rng.chance(0.12)) {
      partAssimile = 0.05;
      qpvs.push({
        code: prochainCodeQpv(ctx, 'AS', c.departement),
        nom: `Secteur fragile ${noms[nombre % noms.length]!}`,
        codeInsee: c.code,
        assimile: true,
        npnru: false,
      });
      secteurs.push({ commune: i, qpv: qpvs.length - 1, logements: Math.round(stock * partAssimile) });
    }
    secteurs.push({ commune: i, qpv: -1, logements: Math.round(stock * (1 - partQpv - partAssimile)) });
  });

  return {
    code: epci.code,
    nom: epci.nom,
    region,
    communes,
    qpvs,
    secteurs,
    bailleurs: bailleursGeneriques(ctx, rng, epci, raw, region, totals.logements),
    ...contingents(ctx, epci, communes),
    logements: totals.logements,
    demandesActives: totals.demandesActives,
    bauxParAn: totals.bauxParAn,
    seuils: seuilsEpci(epci.code, region, ctx.graine),
    voisines: voisines(ctx, communes),
    niveauLoyers: region === REGION_IDF ? 1 : 0.82,
  };
}

/**
 * Bailleurs of a generic EPCI: the département's OPH, two regional ESH, some national groups, a
 * coop, the main city's SEM and local ESH, with Zipf shares (a handful hold most of the stock).
 */
function bailleursGeneriques(
  ctx: Context, rng: Random, epci: RawEpci, raw: readonly RawCommune[], region: string, logements: number,
): EpciPlan['bailleurs'] {
  const principale = raw.reduce((a, b) => (b.population > a.population ? b : a));
  const dep = principale.departement;
  const nomDep = nomDepartement(ctx, dep);
  const nomRegion = ctx.ref.regions.get(region) ?? region;
  const b = (id: string, nom: string, type: TypeBailleur): Bailleur => ctx.bailleurs.get(id, () => ({ id, nom, type }));
  const n = Math.max(3, Math.min(34, Math.round(3 + Math.sqrt(logements) / 9)));
  const oph = b(`BD${departement3(dep)}`, `OPH ${nomDep}`, 'oph');
  const autres: Bailleur[] = [
    b(`BR${region}A`, `${nomRegion} Habitat`, 'esh'),
    b(`BR${region}B`, `Immobilière ${nomRegion}`, 'esh'),
    ...rng.shuffle(GROUPES_NATIONAUX.map((nom, i) => ({ nom, i }))).slice(0, 8)
      .map(({ nom, i }) => b(`BN${String(i + 1).padStart(2, '0')}`, nom, 'esh')),
    b(`BC${departement3(dep)}`, `Coopérative d'habitat ${nomDep}`, 'coop'),
  ];
  if (principale.population >= 60_000) autres.push(b(`BS${principale.code}`, `SEM de ${principale.nom}`, 'sem'));
  const court = epci.nom.replace(/^(CA|CC|CU|Métropole|Communauté)\s+(d'agglomération\s+|de communes\s+)?/i, '');
  for (let k = 1; autres.length + 1 < n; k++) {
    autres.push(b(`BE${epci.code}-${k}`, `Résidences ${court} ${k}`, k % 5 === 0 ? 'autre' : 'esh'));
  }
  rng.shuffle(autres);
  const ordre = [...autres.slice(0, n - 1)];
  ordre.splice(rng.chance(0.6) ? 0 : 1, 0, oph);
  const parts = zipf(ordre.length, 1.15);
  return ordre.map((bailleur, i) => ({ bailleur, part: parts[i]! }));
}

interface Totaux {
  logements: number;
  demandesActives: number;
  bauxParAn: Record<number, number>;
}

const TOTAUX_GPS: Totaux = { logements: GPS.logements, demandesActives: GPS.demandesActives, bauxParAn: { ...GPS.bauxParAn } };

/** Splits a scale's totals over its EPCIs by weight; Grand Paris Sud keeps its seed figures. */
function repartir(ctx: Context, epcis: readonly RawEpci[], reduction: number): Map<string, Totaux> {
  const result = new Map<string, Totaux>([[CODE_EPCI_GPS, TOTAUX_GPS]]);
  if (ctx.echelle === 'epci') return result;
  const cible = ECHELLES[ctx.echelle];
  const poids = new Map<string, number>();
  for (const e of epcis) {
    if (e.code === CODE_EPCI_GPS) continue;
    const raw = membres(ctx, e);
    const region = regionPrincipale(raw);
    // The demand per inhabitant is higher in Île-de-France and overseas (SNE orders of magnitude).
    const facteur = region === REGION_IDF ? 1.5 : region.startsWith('0') ? 1.3 : 1;
    poids.set(e.code, raw.reduce((s, c) => s + c.population * urbanite(c.population), 0) * facteur);
  }
  const totalPoids = [...poids.values()].reduce((a, b) => a + b, 0);
  const reste = (x: number, gps: number): number => Math.max(0, x - gps);
  const baux2024Gps = GPS.bauxParAn[2024]!;
  for (const [code, w] of poids) {
    const part = (w / totalPoids) * reduction;
    const baux = reste(cible.bauxParAn, baux2024Gps) * part;
    result.set(code, {
      logements: Math.round(reste(cible.logements, GPS.logements) * part),
      demandesActives: Math.round(reste(cible.demandesActives, GPS.demandesActives) * part),
      bauxParAn: Object.fromEntries(ANNEES_ATTRIBUTION.map((a) => [a, Math.round((baux * GPS.bauxParAn[a]!) / baux2024Gps)])),
    });
  }
  return result;
}

function selection(ref: Reference, echelle: Echelle): RawEpci[] {
  const gps = ref.epcis.find((e) => e.code === CODE_EPCI_GPS);
  if (!gps) throw new Error(`EPCI ${CODE_EPCI_GPS} (Grand Paris Sud) absent de epci.json`);
  if (echelle === 'epci') return [gps];
  // Largest first (by population), so that the biggest EPCI starts at once when threads share the work.
  const population = (e: RawEpci): number => e.membres.reduce((s, m) => s + (ref.communes.get(m.code)?.population ?? 0), 0);
  const autres = ref.epcis
    .filter((e) => e.code !== CODE_EPCI_GPS)
    .filter((e) => echelle === 'national' || regionPrincipale(e.membres.map((m) => ref.communes.get(m.code)!)) === REGION_IDF)
    .map((e) => ({ e, population: population(e) }))
    .sort((a, b) => b.population - a.population || a.e.code.localeCompare(b.e.code))
    .map(({ e }) => e);
  return [gps, ...autres];
}

/**
 * Builds the territory of a scale. `reduction` (tests only) scales down every EPCI but Grand Paris
 * Sud, to exercise the multi-EPCI paths on a small dataset.
 */
export function construireTerritoire(echelle: Echelle, graine: number, reduction = 1): Territoire {
  const ref = loadReference();
  const ctx: Context = {
    ref, echelle, graine,
    bailleurs: new Catalogue<Bailleur>(),
    reservataires: new Catalogue<Reservataire>(),
    codesQpv: new Set(),
    compteursQpv: new Map(),
  };
  const epcis = selection(ref, echelle);
  const totaux = repartir(ctx, epcis, reduction);
  const plans = epcis.map((e) => (e.code === CODE_EPCI_GPS ? planGrandParisSud : planGenerique)(ctx, e, totaux.get(e.code)!));

  const seuils: SeuilLigne[] = [];
  if (echelle === 'national') {
    for (const plan of plans) {
      const idf = plan.region === REGION_IDF;
      for (const annee of ANNEES_SEUILS) {
        seuils.push({
          annee, codeEpci: plan.code, valeur: plan.seuils[annee]!,
          source: idf ? SEUILS_IDF[annee]!.source : `Arrêté annuel ${annee} fixant les seuils du 1er quartile (valeur de démonstration)`,
        });
      }
    }
  } else {
    // Île-de-France has a single regional threshold: one row per year, for every EPCI.
    for (const annee of ANNEES_SEUILS) seuils.push({ annee, codeEpci: '', valeur: SEUILS_IDF[annee]!.valeur, source: SEUILS_IDF[annee]!.source });
  }

  return {
    echelle,
    epcis: plans,
    bailleurs: ctx.bailleurs.values(),
    reservataires: ctx.reservataires.values(),
    seuils,
    codeEpciCia: echelle === 'epci' ? CODE_EPCI_GPS : undefined,
  };
}
