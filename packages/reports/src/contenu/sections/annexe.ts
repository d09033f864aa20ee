import type { Champ, Critere } from '@mixite/core';
import { DEMAND_INDICATORS, DEMAND_INDICATOR_IDS, LIBELLES_PERIMETRE_TYPE, periodesDeLAnnee } from '@mixite/core';
import type { Contexte } from '../contexte.ts';
import { formatDate, formatDecimal } from '../format.ts';
import { texte } from '../modele.ts';
import { cibleEnMots } from './objectifs.ts';

const CHAMPS: Record<Champ, string> = {
  hors_qpv: 'logements situés hors QPV',
  qpv: 'logements situés en QPV',
  tout: 'tous les logements',
};

const CRITERES: Record<Critere, string> = {
  q1_ou_relogement: 'ménage du premier quartile ou relogé (NPNRU, ORCOD)',
  hors_q1: 'ménage au-dessus du seuil du premier quartile',
  q3_q4: 'ménage au-dessus de la médiane de la demande',
  prioritaire: 'ménage DALO ou prioritaire',
  mutation: 'ménage déjà locataire du parc social',
  travailleur_essentiel: 'ménage de travailleurs essentiels',
};

/** Section « Annexe méthodologique », generated from the indicator declarations and the configuration. */
export function sectionAnnexe(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const config = donnees.configuration;
  r.titre(1, 'Annexe méthodologique');
  r.paragraphe(
    'Les définitions ci-dessous sont celles des déclarations des indicateurs de Mixité : le moteur de calcul, l’application et ce bilan ' +
      'lisent les mêmes. Les chiffres sont recalculés à chaque production à partir des fichiers importés.',
  );

  r.titre(2, 'Objectifs d’attribution');
  for (const d of ctx.declarations) {
    r.tableau(
      `annexe-${d.id}`,
      d.libelle,
      ['Rubrique', 'Règle'],
      [
        { cellules: [texte('Identifiant'), texte(d.id)] },
        { cellules: [texte('Définition'), texte(d.definition)] },
        { cellules: [texte('Compté sur'), texte(d.base === 'baux' ? 'baux signés' : 'propositions (refus compris)')] },
        { cellules: [texte('Date de comptage'), texte(d.date === 'date_bail' ? 'date de signature du bail' : 'date de la CALEOL')] },
        { cellules: [texte('Champ (dénominateur)'), texte(`${CHAMPS[d.champ]} ; ${d.denominateur}`)] },
        { cellules: [texte('Numérateur'), texte(`${CRITERES[d.critere]} ; ${d.numerateur}`)] },
        { cellules: [texte('Cible appliquée'), texte(cibleEnMots(ctx, d))] },
        { cellules: [texte('Périmètres de la cible générale'), texte(d.perimetresCibles.map((t) => LIBELLES_PERIMETRE_TYPE[t].toLowerCase()).join(', '))] },
        { cellules: [texte('Source légale'), texte(d.sourceLegale)] },
      ],
    );
  }

  r.titre(2, 'Indicateurs de la demande');
  r.tableau(
    'annexe-demande',
    'Définitions des indicateurs de la demande',
    ['Indicateur', 'Définition', 'Numérateur', 'Dénominateur'],
    DEMAND_INDICATOR_IDS.map((id) => {
      const d = DEMAND_INDICATORS[id];
      return { cellules: [texte(d.libelle), texte(d.definition), texte(d.numerateur), texte(d.denominateur ?? '–')] };
    }),
  );

  r.titre(2, 'Périodes');
  r.liste(periodesDeLAnnee(n).map((p) => `${p.libelle} : du ${formatDate(p.debut)} au ${formatDate(p.fin)} inclus.`));
  r.paragraphe(
    'Les objectifs se jugent par année civile. Les bailleurs transmettent leurs données chaque semestre ; pour l’objectif hors QPV, un déficit ' +
      'constaté sur six mois permet au préfet de procéder aux attributions jusqu’à ce que le flux des douze mois précédents atteigne l’objectif ' +
      '(art. L441-1 du CCH, loi 3DS du 21 février 2022). Chaque ligne est jugée avec le seuil de l’année de sa date.',
  );

  r.titre(2, 'Quartiles et unités de consommation');
  r.paragraphe(
    `Ressources par unité de consommation : ressources mensuelles déclarées × 12 ÷ UC, avec ${formatDecimal(config.uc.premiere_personne)} UC pour la ` +
      `première personne, ${formatDecimal(config.uc.autre_14_ans_et_plus)} par autre personne de 14 ans ou plus et ` +
      `${formatDecimal(config.uc.moins_14_ans)} par enfant de moins de 14 ans. Un ménage est du premier quartile quand ces ressources sont ` +
      'au plus égales au seuil de l’arrêté de l’année (comparaison exacte, en centimes). La médiane et le troisième quartile sont ceux de ' +
      'l’arrêté quand il les publie (colonnes seuil_q2 et seuil_q3 de seuils.csv), sinon ils sont calculés sur les demandes actives au ' +
      '31 décembre de l’année précédente (interpolation linéaire). Un ménage relogé dans le cadre d’une ' +
      `opération de renouvellement urbain compte pour l’objectif hors QPV quelles que soient ses ressources. Secteurs assimilés comptés comme QPV : ${config.assimiles_comme_qpv ? 'oui' : 'non'}.`,
  );

  r.titre(2, 'Secret statistique');
  const s = config.secret_statistique;
  r.paragraphe(
    `Les tableaux publiés masquent (« s ») toute case qui compte de 1 à ${s - 1} ménages, demandes ou attributions (les zéros sont publiés). ` +
      `Pour un objectif, le numérateur, le taux, l’écart et l’atteinte sont masqués aussi quand le complément (dénominateur − numérateur) compte de 1 à ${s - 1} ménages. ` +
      'Un masquage secondaire masque ensuite d’autres cases pour qu’aucune valeur masquée ne se déduise des totaux : ventilations par ' +
      'commune, bailleur, contingent, type de contingent et QPV sommées au territoire, contingents sommés à leur type, semestres sommés à ' +
      'l’année ; pour la demande, quartiles, typologies, mutations et motifs de refus sommés à leur total, et stock de fin d’année égal au ' +
      'stock de l’année précédente plus les dépôts moins les demandes satisfaites et radiées. Une vérification exacte (élimination de Gauss ' +
      'en nombres entiers) contrôle qu’aucune valeur masquée n’est déterminée par les valeurs publiées. Les taux, parts et délais calculés ' +
      'sur une case masquée sont masqués avec elle.',
  );
  r.paragraphe(
    'Limites : les différences entre objectifs (propositions en QPV aux quartiles 2 à 4 moins celles aux quartiles 3 et 4), les coïncidences ' +
      'entre ventilations (une commune servie par un seul bailleur) et les bornes (un effectif est positif) ne sont pas couvertes ; ' +
      'publier moins de ventilations quand elles comptent.',
    'note',
  );

  const k = donnees.parAnnee.get(n)?.resultats.controles;
  if (k) {
    r.titre(2, 'Contrôles de cohérence');
    r.liste([
      `Attributions dont l’indicateur q1 du fichier contredit le calcul (le calcul est retenu) : ${k.q1_desaccords}.`,
      `Attributions dont le quartile est inconnu (ressources ou composition manquantes ; jamais comptées au premier quartile) : ${k.q1_inconnus}.`,
      `Cibles territorialisées nommant un objectif inconnu : ${k.cibles_inconnues.length === 0 ? 'aucune' : k.cibles_inconnues.join(', ')}.`,
    ]);
  }
}
