import type { LegalIndicatorId, LigneJugee, OptionsRetards, PerimeterType, PeriodesDuSuivi, RetardsDeLObjectif, Statut } from '@mixite/core';
import { horsDesSyntheses, parsePeriode, periodesDuSuivi, retardsDesObjectifs } from '@mixite/core';
import { libellePerimetre } from '../donnees/publies.ts';
import type { Contexte } from './contexte.ts';
import { cellulesIndicateur } from './contexte.ts';
import { formatEntier, formaterTauxContreCible } from './format.ts';
import type { Ligne } from './modele.ts';
import { nombre, texte } from './modele.ts';
import { LIBELLES_DIMENSION } from './sections/objectifs.ts';

/**
 * The lagging list at the top of the bilan (issue 12, item 4): for each target, how many partners are behind it
 * (a count of perimeters, not of households: published in every edition), then who, the most households missing
 * first, with the last semester and the twelve months the préfet reads. Core's one function (`retardsDesObjectifs`)
 * counts, for the dashboard too, so that the bilan and the web say the same numbers. Names and figures come from
 * the rows the edition publishes: a perimeter whose figures are masked is counted, never described.
 */

/** Partners named per target in the Word and PDF documents (the workbook has them all). */
const CITES_DOCUMENT = 10;

export interface RetardsDuBilan {
  readonly periodes: PeriodesDuSuivi;
  /** Counted on the engine's rows (perimeter counts). */
  readonly comptes: readonly RetardsDeLObjectif[];
  /** Named from the published rows. */
  readonly publies: readonly RetardsDeLObjectif[];
}

/** Computed once per document: the synthesis and the points of attention both read it. */
const calcules = new WeakMap<Contexte, RetardsDuBilan | null>();

export function retardsDuBilan(ctx: Contexte): RetardsDuBilan | null {
  if (calcules.has(ctx)) return calcules.get(ctx) ?? null;
  const annee = ctx.donnees.parAnnee.get(ctx.donnees.annee);
  let resultat: RetardsDuBilan | null = null;
  if (annee) {
    const bruts: readonly LigneJugee[] = annee.resultats.indicateurs;
    const periodes = periodesDuSuivi(ctx.donnees.annee, bruts);
    // The CIA's low-count rule, the dashboard's too (targets.ts): a rate on too few households is neither met nor missed.
    const options = { faibleEffectif: horsDesSyntheses(ctx.donnees.configuration) };
    resultat = { periodes, comptes: parObjectif(ctx, bruts, periodes, options), publies: parObjectif(ctx, annee.publies, periodes, options) };
  }
  calcules.set(ctx, resultat);
  return resultat;
}

/**
 * Core's `retardsDesObjectifs`, one target at a time on that target's rows only: the same lists in the same order,
 * without reading every row of the year once per target and perimeter type (1,4 s at Île-de-France scale).
 */
function parObjectif(ctx: Contexte, rows: readonly LigneJugee[], periodes: PeriodesDuSuivi, options: OptionsRetards): RetardsDeLObjectif[] {
  const parIndicateur = new Map<string, LigneJugee[]>();
  for (const r of rows) {
    const liste = parIndicateur.get(r.indicateur);
    if (liste) liste.push(r);
    else parIndicateur.set(r.indicateur, [r]);
  }
  return ctx.declarations.flatMap((d) => retardsDesObjectifs([d], parIndicateur.get(d.id) ?? [], periodes, options));
}

/** « Sous la cible », then one short table per target and perimeter type naming the partners behind. */
export function sectionRetards(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const retards = retardsDuBilan(ctx);
  if (!retards || retards.comptes.length === 0) return;
  const semestre = parsePeriode(retards.periodes.semestre)?.libelle ?? retards.periodes.semestre;
  const glissant = parsePeriode(retards.periodes.glissant)?.libelle ?? retards.periodes.glissant;
  const titreDe = (id: string) => ctx.declarations.find((d) => d.id === id)?.courts.titre ?? id;
  const dimension = (type: string) => LIBELLES_DIMENSION[type as Exclude<PerimeterType, 'territoire'>];

  r.titre(2, 'Partenaires sous leur cible');
  r.paragraphe(
    `Pour chaque objectif, combien de partenaires sont sous leur cible en ${n} et au ${semestre.toLowerCase()} (que suit le préfet : loi 3DS), puis ` +
      'lesquels, du plus grand nombre de ménages manquants au plus petit. Ménages manquants : ⌈cible × dénominateur⌉ − numérateur, ' +
      'le nombre de ménages qu’il aurait fallu compter en plus au numérateur pour atteindre la cible.',
    'note',
  );
  r.tableau(
    'retards-synthese',
    `Partenaires sous leur cible en ${n}, par objectif`,
    ['Objectif', 'Périmètres', 'Jugés', `Sous la cible en ${n}`, `Sous la cible au ${semestre.toLowerCase()}`, 'Non jugés (faible effectif)'],
    retards.comptes.map(
      (l): Ligne => ({
        cellules: [texte(titreDe(l.indicateur)), texte(dimension(l.perimetre_type)?.colonne ?? l.perimetre_type), nombre(l.juges), nombre(l.en_retard), nombre(l.en_retard_semestre), nombre(l.faibles)],
      }),
    ),
    [
      'Un nombre de périmètres, pas de ménages : il est publié dans toutes les éditions. Jugés : périmètres ayant une cible et au moins une attribution ' +
        `comptée en ${n}.`,
    ],
  );

  for (const compte of retards.comptes) {
    if (compte.retards.length === 0) continue;
    const publie = retards.publies.find((l) => l.indicateur === compte.indicateur && l.perimetre_type === compte.perimetre_type);
    const nommes = publie?.retards ?? [];
    const d = dimension(compte.perimetre_type);
    const lignes = nommes.map((x): Ligne => {
      // Numerator, denominator, rate and target of the year as the edition publishes them (decimals agreeing with « atteint »).
      const annuel = ctx.publies.ligne(compte.indicateur as LegalIndicatorId, x.perimetre_type as PerimeterType, x.perimetre_id, String(n));
      const chiffres = cellulesIndicateur(annuel).slice(0, 4);
      return {
        cellules: [
          texte(libellePerimetre(donnees.referentiel, x.perimetre_type as PerimeterType, x.perimetre_id)),
          nombre(x.annee.kind === 'non_atteint' ? x.annee.manquants : 0),
          ...chiffres,
          texte(enMots(x.semestre)),
          texte(enMots(x.glissant)),
        ],
      };
    });
    const caches = compte.retards.length - nommes.length;
    const notes = [
      `${formatEntier(compte.en_retard)} sur ${formatEntier(compte.juges)} sous leur cible en ${n} ; ${formatEntier(compte.en_retard_semestre)} au ${semestre.toLowerCase()}.`,
      ...(caches > 0 ? [`${caches > 1 ? `${formatEntier(caches)} autres` : 'Un autre'} sous la cible, non nommé${caches > 1 ? 's' : ''} : chiffres couverts par le secret statistique.`] : []),
    ];
    const titre = `${titreDe(compte.indicateur)} : ${d?.pluriel ?? compte.perimetre_type} sous leur cible en ${n} ou au ${semestre.toLowerCase()}`;
    // Nobody to name (all masked): the counts in a sentence, no empty table.
    if (lignes.length === 0) {
      r.paragraphe(`${titre} : ${notes.join(' ')}`);
      continue;
    }
    r.tableau(
      `retards-${compte.indicateur}-${compte.perimetre_type}`,
      titre,
      [d?.colonne ?? compte.perimetre_type, `Ménages manquants ${n}`, 'Numérateur', 'Dénominateur', `Taux ${n}`, 'Cible', semestre, glissant],
      lignes,
      notes,
      lignes.length > CITES_DOCUMENT
        ? { lignes: lignes.slice(0, CITES_DOCUMENT).map((_, i) => i), note: `Les ${formatEntier(CITES_DOCUMENT)} premiers sur ${formatEntier(lignes.length)} ; le classeur Excel les donne tous.` }
        : undefined,
    );
  }
}

/** A period's standing in words: « non atteinte : 12,5 % (1 sur 8), 1 manquant ». */
function enMots(s: Statut): string {
  switch (s.kind) {
    case 'sans_objet':
      return '–';
    case 'masque':
      return 's';
    case 'faible_effectif':
      return `faible effectif (${formatEntier(s.numerateur)} sur ${formatEntier(s.denominateur)})`;
    case 'atteint':
      return `atteinte (${formatEntier(s.numerateur)} sur ${formatEntier(s.denominateur)})`;
    case 'non_atteint':
      return `non atteinte : ${formaterTauxContreCible(s.numerateur, s.denominateur, null).taux} (${formatEntier(s.numerateur)} sur ${formatEntier(s.denominateur)}), ${s.manquants} manquant${s.manquants > 1 ? 's' : ''}`;
  }
}
