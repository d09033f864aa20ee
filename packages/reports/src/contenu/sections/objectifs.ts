import type { CibleDeContingent, LegalIndicatorDeclaration, LegalIndicatorId, PerimeterType, PublishedIndicatorRow } from '@mixite/core';
import { LIBELLES_TYPE_CONTINGENT, TERRITOIRE_ID, estTrimestre, periodesDeLAnnee } from '@mixite/core';
import { libellePerimetre, typeDuContingent } from '../../donnees/publies.ts';
import { barresHorizontales, barresVerticales, plafondDesParts } from '../../graphiques/svg.ts';
import type { Contexte } from '../contexte.ts';
import { aUneCible, cellulesIndicateur, dimensionsDe, tauxDe, territoire } from '../contexte.ts';
import { formatEntier, formatTaux, formaterTauxContreCible } from '../format.ts';
import type { Cellule, Ligne } from '../modele.ts';
import { VIDE, points, texte } from '../modele.ts';

const BASES: Record<'propositions' | 'baux', string> = {
  propositions: 'propositions (décisions d’attribution de la CALEOL, refus compris), datées par la CALEOL',
  baux: 'baux signés, datés par la signature du bail',
};

/** The rate change between two published rows, in points; « s » when either rate is masked. */
export function evolution(avant: PublishedIndicatorRow | null, apres: PublishedIndicatorRow | null): Cellule {
  if (!avant || !apres || avant.denominateur === 0 || apres.denominateur === 0) return VIDE;
  if (avant.taux === null || apres.taux === null) return { kind: 'secret' };
  return points(apres.taux - avant.taux);
}

/** What the target of an indicator is on the territory, in words. */
export function cibleEnMots(ctx: Contexte, decl: LegalIndicatorDeclaration): string {
  const row = territoire(ctx, decl.id, String(ctx.donnees.annee));
  if (row?.cible !== null && row?.cible !== undefined) return formatTaux(row.cible);
  if (decl.presentation.jugement === 'contingent') {
    // A key cia.yaml does not know (a declaration passed in) takes its declared default, as in resoudreCible.
    const cibles: Readonly<Record<string, number | null>> = ctx.donnees.configuration.cibles;
    const valeur = (cle: string, defaut: number | null) => (cle in cibles ? (cibles[cle] ?? null) : defaut);
    const p = valeur(decl.id, decl.cibleParDefaut);
    const parType = (Object.values(decl.ciblesParTypeContingent) as CibleDeContingent[]).flatMap((c) => {
      const e = valeur(c.cle, c.defaut);
      return e !== null ? [` (${formatTaux(e)} pour le ${c.libelle})`] : [];
    });
    return p === null ? 'pas d’objectif fixé' : `${formatTaux(p)} par contingent et par stock non réservé${parType.join('')}`;
  }
  return aUneCible(ctx, decl.id) ? 'objectifs fixés sur certains périmètres seulement' : 'pas d’objectif fixé par la CIA : indicateur suivi pour information';
}

/** Section « Les objectifs d’attribution »: each legal and local target, by period and over the years. */
export function sectionObjectifs(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const minimum = donnees.configuration.effectif_minimum;
  r.titre(1, 'Les objectifs d’attribution');
  r.paragraphe(
    'Pour chaque objectif : l’année civile, les deux semestres (situations au 30 juin et au 31 décembre transmises par les bailleurs) et ' +
      'les douze mois glissants au 30 juin et au 31 décembre (suivi préfectoral de la loi 3DS), puis l’évolution sur les années précédentes. ' +
      'Les ventilations par réservataire, bailleur, commune et QPV suivent au chapitre suivant. ' +
      `Un taux calculé sur moins de ${minimum} ménages est marqué « faible effectif » : ` +
      'un seul ménage le ferait varier de plusieurs points.',
  );
  for (const decl of ctx.declarations) {
    const { id, courts: court } = decl;
    r.titre(2, decl.libelle);
    r.paragraphe(decl.definition);
    r.paragraphe(`Compté sur les ${BASES[decl.base]}. Cible : ${cibleEnMots(ctx, decl)}. Source : ${decl.sourceLegale}.`, 'note');
    const lecture = phraseDeLecture(ctx, decl);
    if (lecture) r.paragraphe(lecture, 'encadre');

    const colonnes = ['Période', court.numerateur, court.denominateur, 'Taux', 'Cible', 'Écart', 'Atteint'];
    r.tableau(
      `objectif-${id}-periodes`,
      `${court.titre} : année ${n}, semestres et douze mois glissants`,
      colonnes,
      // The five historical periods in the document; the quarters are in the workbook's indicateurs sheet and on the Objectif page.
      periodesDeLAnnee(n)
        .filter((p) => !estTrimestre(p.kind))
        .map((p) => ({ cellules: [texte(p.libelle), ...cellulesIndicateur(territoire(ctx, id, p.id), minimum)] })),
      [`Ensemble du territoire. Douze mois au 30/06/${n} : du 01/07/${n - 1} au 30/06/${n}.`],
    );
    const lignes: Ligne[] = donnees.annees.map((y) => ({
      cellules: [texte(String(y)), ...cellulesIndicateur(territoire(ctx, id, String(y))), evolution(territoire(ctx, id, String(y - 1)), territoire(ctx, id, String(y)))],
    }));
    const tendance = r.tableau(`objectif-${id}-evolution`, `${court.titre} : évolution par année`, [...colonnes, 'Évolution sur un an'], lignes, [
      'Chaque année est calculée avec le seuil du premier quartile et les limites de cette année-là ; évolution en points de pourcentage.',
    ]);
    const cible = territoire(ctx, id, String(n))?.cible ?? null;
    const tauxAnnuels = donnees.annees.map((y) => tauxPublie(territoire(ctx, id, String(y))));
    r.graphique(
      `objectif-${id}-evolution`,
      `${court.titre} : taux par année${cible !== null ? ' et cible' : ''}`,
      barresVerticales(
        court.titre,
        donnees.annees.map(String),
        [{ nom: 'taux de l’année', valeurs: tauxAnnuels }],
        { format: formatTaux, max: plafondDesParts([...tauxAnnuels, cible]), cible },
      ),
      `Taux annuel de l’objectif « ${decl.libelle} » sur le territoire, de ${donnees.annees[0]} à ${n}${cible !== null ? `, et sa cible de ${formatTaux(cible)}` : ''}.`,
      tendance,
    );
  }
}

/** The rate for a chart: undefined when nothing was counted (no bar, « – »), null when masked. */
const tauxPublie = (row: PublishedIndicatorRow | null): number | null | undefined => (row && row.denominateur !== 0 ? row.taux : undefined);

/** One sentence reading the year's figure, from published values only. */
function phraseDeLecture(ctx: Contexte, decl: LegalIndicatorDeclaration): string | null {
  const n = ctx.donnees.annee;
  const { id, courts: court } = decl;
  const row = territoire(ctx, id, String(n));
  if (!row || row.denominateur === 0) return `En ${n}, aucun${decl.base === 'baux' ? ' bail' : 'e proposition'} n’entre dans le calcul de cet objectif.`;
  if (row.taux === null || row.numerateur === null || row.denominateur === null) return `En ${n}, le taux est couvert par le secret statistique.`;
  // Rate, target and gap printed with the decimals that agree with « atteint » (never « 81,0 % … 81,0 % : non atteint »).
  const c = formaterTauxContreCible(row.numerateur, row.denominateur, row.cible, row.taux);
  let s = `En ${n}, ${c.taux} (${formatEntier(row.numerateur)} sur ${formatEntier(row.denominateur)} ${court.unite})`;
  if (row.cible !== null && row.ecart !== null) {
    s += row.atteint ? `, pour une cible de ${c.cible} : objectif atteint (${c.ecart}).` : `, pour une cible de ${c.cible} : objectif non atteint (${c.ecart}).`;
  } else s += '.';
  const avant = territoire(ctx, id, String(n - 1));
  if (avant && avant.taux !== null && avant.denominateur !== 0) s += ` En ${n - 1} : ${formatTaux(avant.taux)}.`;
  return s;
}

// ---------------------------------------------------------------------------------------------------------

export const LIBELLES_DIMENSION: Record<Exclude<PerimeterType, 'territoire'>, { titre: string; colonne: string; singulier: string; pluriel: string }> = {
  type_contingent: { titre: 'Par type de contingent', colonne: 'Type de contingent', singulier: 'type de contingent', pluriel: 'types de contingent' },
  contingent: { titre: 'Par contingent (réservataire ou stock non réservé)', colonne: 'Contingent', singulier: 'contingent', pluriel: 'contingents' },
  bailleur: { titre: 'Par bailleur', colonne: 'Bailleur', singulier: 'bailleur', pluriel: 'bailleurs' },
  commune: { titre: 'Par commune', colonne: 'Commune', singulier: 'commune', pluriel: 'communes' },
  qpv: { titre: 'Par quartier prioritaire', colonne: 'QPV', singulier: 'QPV', pluriel: 'QPV' },
};

/** The indicators broken down on a dimension: those with a target somewhere; the others by contingent type only. */
export function indicateursDeLaDimension(ctx: Contexte, dimension: PerimeterType): LegalIndicatorDeclaration[] {
  return ctx.declarations.filter((d) => dimensionsDe(d).includes(dimension) && (dimension === 'type_contingent' || aUneCible(ctx, d.id)));
}

/** Perimeters of a dimension in reading order: contingents by type then name, the others by name. */
export function perimetresTries(ctx: Contexte, id: LegalIndicatorId, dimension: PerimeterType): string[] {
  const ref = ctx.donnees.referentiel;
  const ids = [...ctx.publies.perimetres(ctx.donnees.annee, id, dimension)];
  const cle = (p: string) => (dimension === 'contingent' ? `${typeDuContingent(ref, p) ?? 'zz'}\u0000` : '') + libellePerimetre(ref, dimension, p);
  return ids.sort((a, b) => cle(a).localeCompare(cle(b), 'fr'));
}

const GRAPHIQUE_MAX = 40;
/**
 * Above this many perimeters (a whole region as one territory), the Word and PDF documents print the perimeters
 * with the largest denominators; the workbook keeps them all.
 */
export const LIGNES_DOCUMENT_MAX = 50;

/** The rows printed by the documents: the `max` largest published denominators, in reading order, and the total. */
function extraitDesPlusGrands(ids: readonly string[], denominateur: (id: string) => number | null, max: number, pluriel: string): { lignes: number[]; note: string } | undefined {
  if (ids.length <= max) return undefined;
  const rang = ids.map((id, i) => ({ i, d: denominateur(id) ?? -1 })).sort((a, b) => b.d - a.d || a.i - b.i);
  const gardes = new Set(rang.slice(0, max).map((x) => x.i));
  return {
    lignes: [...ids.keys()].filter((i) => gardes.has(i)).concat(ids.length),
    note: `Le document reproduit les ${max} ${pluriel} au plus fort dénominateur, sur ${formatEntier(ids.length)} ; le classeur Excel du bilan les donne tous, à la feuille de ce tableau.`,
  };
}

/** Section « Ventilations »: every target by contingent type, contingent, bailleur, commune and QPV, with numerators and denominators. */
export function sectionVentilations(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const ref = donnees.referentiel;
  const avant = donnees.annees.includes(n - 1);
  r.titre(1, 'Les objectifs par réservataire, bailleur, commune et QPV');
  r.paragraphe(
    `Année ${n}. Pour chaque périmètre : le numérateur et le dénominateur de l’objectif, son taux, sa cible (générale ou territorialisée), ` +
      'l’écart en points, puis les taux des semestres, des douze mois au 30 juin' +
      (avant ? ` et de l’année ${n - 1}` : '') +
      '. La dernière ligne est l’ensemble du territoire : les périmètres d’une même ventilation s’y additionnent. ' +
      '« s » : case couverte par le secret statistique ; « – » : sans objet.',
  );
  for (const dimension of ['type_contingent', 'contingent', 'bailleur', 'commune', 'qpv'] as const) {
    const indicateurs = indicateursDeLaDimension(ctx, dimension);
    if (indicateurs.length === 0) continue;
    const libelle = LIBELLES_DIMENSION[dimension];
    r.titre(2, libelle.titre);
    for (const decl of indicateurs) {
      const { id, courts: court } = decl;
      const perimetres = perimetresTries(ctx, id, dimension);
      if (perimetres.length === 0) continue;
      const ligne = (type: PerimeterType, pid: string, total: boolean): Ligne => {
        const annuel = ctx.publies.ligne(id, type, pid, String(n));
        const periode = (p: string) => tauxDe(ctx.publies.ligne(id, type, pid, p));
        const cells: Cellule[] = [texte(libellePerimetre(ref, type, pid))];
        if (dimension === 'contingent') {
          const t = type === 'contingent' ? typeDuContingent(ref, pid) : null;
          cells.push(total ? texte('') : texte(t ? LIBELLES_TYPE_CONTINGENT[t] : 'inconnu'));
        }
        cells.push(...cellulesIndicateur(annuel, ctx.donnees.configuration.effectif_minimum), periode(`${n}-S1`), periode(`${n}-S2`), periode(`12m-${n}-06-30`));
        if (avant) cells.push(tauxDe(ctx.publies.ligne(id, type, pid, String(n - 1))));
        return { cellules: cells, total };
      };
      const colonnes = [
        libelle.colonne,
        ...(dimension === 'contingent' ? ['Type'] : []),
        court.numerateur,
        court.denominateur,
        'Taux',
        'Cible',
        'Écart',
        'Atteint',
        'Taux S1',
        'Taux S2',
        '12 mois au 30/06',
        ...(avant ? [`Taux ${n - 1}`] : []),
      ];
      const tableau = r.tableau(
        `ventilation-${dimension}-${id}`,
        `${court.titre}, ${libelle.titre.toLowerCase()}, ${n}`,
        colonnes,
        [...perimetres.map((p) => ligne(dimension, p, false)), ligne('territoire', TERRITOIRE_ID, true)],
        [`${decl.libelle}. ${decl.numerateur} ; dénominateur : ${decl.denominateur}.`],
        extraitDesPlusGrands(perimetres, (p) => ctx.publies.ligne(id, dimension, p, String(n))?.denominateur ?? null, LIGNES_DOCUMENT_MAX, libelle.pluriel),
      );
      if (perimetres.length <= GRAPHIQUE_MAX && aUneCible(ctx, id, dimension)) {
        // Perimeters with nothing counted in the year (present for the twelve months to 30 June) draw no bar.
        const barres = perimetres.flatMap((p) => {
          const row = ctx.publies.ligne(id, dimension, p, String(n));
          if (!row || row.denominateur === 0) return [];
          return [{ libelle: libellePerimetre(ref, dimension, p), valeur: row.taux, cible: row.cible, atteint: row.atteint }];
        });
        if (barres.length > 0) {
          r.graphique(
            `ventilation-${dimension}-${id}`,
            `${court.titre} ${libelle.titre.toLowerCase()} en ${n}, et cible de chacun`,
            barresHorizontales(court.titre, barres, formatTaux),
            `Taux ${n} de l’objectif « ${decl.libelle} » pour chacun des ${barres.length} ${libelle.pluriel}, avec sa cible ; en rouge, les cibles non atteintes ; « s » : secret statistique.`,
            tableau,
          );
        }
      }
    }
  }
}

