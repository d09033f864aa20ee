import type { Colonne, DeclarationIndicateur, LigneIndicateur, Tableau } from '@mixite/server/contract';
import { LIBELLES_PERIMETRE_TYPE, parsePeriode } from '@mixite/core';
import { formaterTauxContreCible } from '@mixite/core/francais';

/** Shapes the indicator rows of the API for the tables on screen: names instead of codes. */

export interface Declarations {
  readonly legaux: readonly DeclarationIndicateur[];
}

export const libellePeriode = (id: string): string => parsePeriode(id)?.libelle ?? id;

export const libellePerimetreType = (type: string): string => (LIBELLES_PERIMETRE_TYPE as Record<string, string>)[type] ?? type;

export const libelleIndicateur = (declarations: Declarations | null, id: string): string => declarations?.legaux.find((d) => d.id === id)?.libelle ?? id;

export interface LigneAffichee {
  readonly indicateur: string;
  readonly perimetre: string;
  readonly perimetre_id: string;
  readonly periode: string;
  /** null: masked by the statistical secrecy (published tables, role lecteur). */
  readonly numerateur: number | null;
  readonly denominateur: number | null;
  readonly taux: number | null;
  readonly cible: number | null;
  readonly ecart: number | null;
  readonly atteint: boolean | null;
  readonly secret: string | null;
  /** The API row it comes from, for links. */
  readonly source: LigneIndicateur;
}

export const COLONNES_INDICATEUR: readonly Colonne[] = [
  { cle: 'indicateur', libelle: 'Indicateur', type: 'texte' },
  { cle: 'perimetre', libelle: 'Périmètre', type: 'texte' },
  { cle: 'perimetre_id', libelle: 'Code', type: 'texte' },
  { cle: 'periode', libelle: 'Période', type: 'texte' },
  { cle: 'numerateur', libelle: 'Numérateur', type: 'entier' },
  { cle: 'denominateur', libelle: 'Dénominateur', type: 'entier' },
  { cle: 'taux', libelle: 'Taux', type: 'taux' },
  { cle: 'cible', libelle: 'Objectif', type: 'taux' },
  { cle: 'ecart', libelle: 'Écart', type: 'taux' },
  { cle: 'atteint', libelle: 'Atteint', type: 'booleen' },
];

const LIBELLES_SECRET: Record<string, string> = { primaire: 'masquée (petit effectif)', secondaire: 'masquée (protège une autre case)' };

/** The secrecy column appears only in tables where the server masked something. */
const COLONNE_SECRET: Colonne = { cle: 'secret', libelle: 'Secret statistique', type: 'texte' };

export function tableauIndicateurs(declarations: Declarations | null, lignes: readonly LigneIndicateur[], titre: string): Tableau<LigneAffichee> {
  const masque = lignes.some((l) => l.secret);
  return {
    titre,
    colonnes: masque ? [...COLONNES_INDICATEUR, COLONNE_SECRET] : COLONNES_INDICATEUR,
    lignes: lignes.map((l) => ({
      indicateur: libelleIndicateur(declarations, l.indicateur),
      perimetre: l.perimetre_libelle,
      perimetre_id: l.perimetre_id,
      periode: libellePeriode(l.periode),
      numerateur: l.numerateur,
      denominateur: l.denominateur,
      taux: l.taux,
      cible: l.cible,
      ecart: l.ecart,
      atteint: l.atteint,
      secret: l.secret ? (LIBELLES_SECRET[l.secret] ?? l.secret) : null,
      source: l,
    })),
  };
}

/** Rate, target and gap of a row with the decimals that tell the rate from its target (80,98 % for 81,00 %). */
export const chiffresDeLaLigne = (l: LigneIndicateur) => formaterTauxContreCible(l.numerateur, l.denominateur, l.cible, l.taux);

/**
 * How every table of indicator rows prints its rate, target and gap: through the one rule above, the rate marked
 * when it rests on fewer households than the CIA's effectif_minimum. The generic table would print one decimal.
 */
export const RENDUS_TAUX = {
  taux: (l: LigneAffichee): string => `${chiffresDeLaLigne(l.source).taux}${l.source.faible_effectif ? ' (faible effectif)' : ''}`,
  cible: (l: LigneAffichee): string => chiffresDeLaLigne(l.source).cible,
  ecart: (l: LigneAffichee): string => chiffresDeLaLigne(l.source).ecart,
} as const;
