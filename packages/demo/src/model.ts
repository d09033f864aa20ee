/** Shapes shared by the generator's modules. Codes are those of DATA-FORMAT.md. */
import type { ProfilContingent } from './calibration.js';

export type Echelle = 'epci' | 'idf' | 'national';

export type TypeBailleur = 'oph' | 'esh' | 'sem' | 'coop' | 'autre';
export type TypeReservataire =
  | 'etat_prioritaires' | 'etat_agents' | 'action_logement' | 'commune' | 'epci' | 'departement' | 'region' | 'autre';
export type ZoneAbc = 'abis' | 'a' | 'b1' | 'b2' | 'c';

export interface Bailleur {
  readonly id: string;
  readonly nom: string;
  readonly type: TypeBailleur;
}

export interface Reservataire {
  readonly id: string;
  readonly nom: string;
  readonly type: TypeReservataire;
  readonly codeInsee: string;
}

export interface CommunePlan {
  readonly code: string;
  readonly nom: string;
  readonly population: number;
  readonly departement: string;
  readonly region: string;
  readonly zoneAbc: ZoneAbc;
  readonly zoneApl: 1 | 2 | 3;
  readonly centre: readonly [number, number] | undefined;
}

export interface QpvPlan {
  readonly code: string;
  readonly nom: string;
  readonly codeInsee: string;
  readonly assimile: boolean;
  /** Retained by the NPNRU: source of relocated households. */
  readonly npnru: boolean;
}

/** A part of the stock to build: hors QPV stock of a commune, a QPV, or an assimilated sector. */
export interface Secteur {
  /** Index in EpciPlan.communes. */
  readonly commune: number;
  /** Index in EpciPlan.qpvs, -1 hors QPV. */
  readonly qpv: number;
  readonly logements: number;
}

export interface ContingentPlan {
  readonly reservataire: Reservataire;
  readonly profil: ProfilContingent;
}

export interface EpciPlan {
  readonly code: string;
  readonly nom: string;
  /** Region of its main commune (INSEE code, `11` = Île-de-France). */
  readonly region: string;
  readonly communes: readonly CommunePlan[];
  readonly qpvs: readonly QpvPlan[];
  readonly secteurs: readonly Secteur[];
  /** Bailleurs active in the EPCI with their share of its stock (sums to 1). */
  readonly bailleurs: readonly { readonly bailleur: Bailleur; readonly part: number }[];
  /** Reservation rights present in the EPCI; dwellings point into this list. */
  readonly contingents: readonly ContingentPlan[];
  /** Per commune index: contingent indexes of the State (priority, agents), département, commune (-1 none). */
  readonly contingentsParCommune: readonly {
    readonly etatPrioritaires: number;
    readonly etatAgents: number;
    readonly departement: number;
    readonly commune: number;
  }[];
  readonly contingentActionLogement: number;
  readonly contingentEpci: number;
  readonly contingentRegion: number;
  readonly logements: number;
  readonly demandesActives: number;
  readonly bauxParAn: Readonly<Record<number, number>>;
  /** Q1 threshold by year, €/UC/year. */
  readonly seuils: Readonly<Record<number, number>>;
  /** INSEE codes of nearby communes outside the EPCI, where part of the applicants live. */
  readonly voisines: readonly string[];
  /** Regional rent level relative to Île-de-France. */
  readonly niveauLoyers: number;
}

export interface SeuilLigne {
  readonly annee: number;
  readonly codeEpci: string;
  readonly valeur: number;
  readonly source: string;
}

export interface Territoire {
  readonly echelle: Echelle;
  readonly epcis: readonly EpciPlan[];
  readonly bailleurs: readonly Bailleur[];
  readonly reservataires: readonly Reservataire[];
  readonly seuils: readonly SeuilLigne[];
  /** code_epci for cia.yaml, when the dataset is one EPCI. */
  readonly codeEpciCia: string | undefined;
}
