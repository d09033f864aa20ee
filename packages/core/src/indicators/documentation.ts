import { formatDecimal } from '../format/francais.ts';
import type { CibleDeContingent, LegalIndicatorDeclaration } from './declarations.ts';
import { LEGAL_DECLARATIONS } from './declarations.ts';
import { LIBELLES_PERIMETRE_TYPE } from './perimeters.ts';
import type { PerimeterType } from './perimeter-types.ts';

/**
 * The declarations of the legal indicators written out for people: the table of docs/indicators.md (generated,
 * checked by documentation.test.ts) and the list of `mixite indicateurs --aide`. Nothing here is decided: every
 * word comes from a declaration.
 */

const pourcent = (x: number) => `${formatDecimal(x * 100)} %`;

/** The default target in words: « 25 % », « 25 % par contingent (100 % pour le contingent préfectoral …) », « aucune ». */
export function cibleParDefautEnMots(d: LegalIndicatorDeclaration): string {
  if (d.cibleParDefaut === null) return 'aucune (fixée par la CIA)';
  const parType = (Object.values(d.ciblesParTypeContingent) as CibleDeContingent[])
    .filter((c) => c.defaut !== null)
    .map((c) => ` (${pourcent(c.defaut as number)} pour le ${c.libelle})`)
    .join('');
  return d.presentation.jugement === 'contingent' ? `${pourcent(d.cibleParDefaut)} par contingent${parType}` : `${pourcent(d.cibleParDefaut)}${parType}`;
}

const TOUS: readonly PerimeterType[] = Object.keys(LIBELLES_PERIMETRE_TYPE) as PerimeterType[];
const perimetres = (types: readonly PerimeterType[]) =>
  types.length === 0 ? '—' : TOUS.every((t) => types.includes(t)) ? 'tous' : types.map((t) => LIBELLES_PERIMETRE_TYPE[t].toLowerCase()).join(', ');

const cellule = (texte: string) => texte.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** The Markdown table of the legal indicators, one row per declaration. */
export function tableauMarkdownDesIndicateurs(declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS): string {
  const entete = [
    'id',
    'objectif (nom court)',
    'compté sur',
    'date',
    'dénominateur',
    'numérateur',
    'cible par défaut (`cibles`)',
    'où la cible par défaut s’applique',
    'jugé',
    'manque légal sur',
    'source',
  ];
  const lignes = declarations.map((d) => [
    `\`${d.id}\``,
    d.courts.titre,
    d.base,
    `\`${d.date}\``,
    d.denominateur,
    d.numerateur,
    `\`${d.id}\` : ${cibleParDefautEnMots(d)}${(Object.values(d.ciblesParTypeContingent) as CibleDeContingent[]).map((c) => ` ; \`${c.cle}\``).join('')}`,
    perimetres(d.perimetresCibles),
    `${d.presentation.jugement === 'contingent' ? 'par contingent' : 'sur le territoire'}${d.presentation.substitutionSemestrielle ? ' ; déficit semestriel : substitution du préfet' : ''}`,
    perimetres(d.perimetresLegaux),
    d.sourceLegale,
  ]);
  return [entete, entete.map(() => '---'), ...lignes].map((l) => `| ${l.map(cellule).join(' | ')} |`).join('\n');
}

/** The list of the legal indicators for the CLI help: id, short name and default target, one per line. */
export function aideDesIndicateurs(declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS): string {
  const largeur = Math.max(...declarations.map((d) => d.id.length)) + 2;
  return declarations.map((d) => `  ${d.id.padEnd(largeur)}${d.courts.titre} ; cible par défaut : ${cibleParDefautEnMots(d)}`).join('\n');
}
