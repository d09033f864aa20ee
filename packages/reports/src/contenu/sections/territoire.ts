import { LIBELLES_PERIMETRE_TYPE, libelleDeLaCible } from '@mixite/core';
import { libellePerimetre } from '../../donnees/publies.ts';
import type { Contexte } from '../contexte.ts';
import { formatDate, formatDecimal, formatEntier, pluriel } from '../format.ts';
import type { Ligne } from '../modele.ts';
import { VIDE, euros, nombre, taux, texte } from '../modele.ts';

/** Section « Territoire et sources »: what the territory is, where the figures come from, which thresholds applied. */
export function sectionTerritoire(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const { referentiel: ref, configuration: config } = donnees;
  r.titre(1, 'Territoire et sources');
  const assimiles = [...ref.qpv.values()].filter((q) => q.assimile).length;
  r.paragraphe(
    `Le territoire de la convention, ${ref.designation}, compte ` +
      `${pluriel(ref.communes.size, 'commune')}, ${pluriel(ref.qpv.size - assimiles, 'quartier prioritaire', 'quartiers prioritaires')}` +
      `${assimiles > 0 ? ` et ${pluriel(assimiles, 'secteur assimilé', 'secteurs assimilés')}` : ''}, ` +
      `${pluriel(ref.bailleurs.size, 'bailleur')} et ${pluriel(ref.reservataires.size, 'réservataire')}. ` +
      `Le parc décrit compte ${pluriel(ref.logements.total, 'logement social', 'logements sociaux')}, dont ` +
      `${formatEntier(ref.logements.enQpv)} en QPV${ref.logements.enSecteurAssimile > 0 ? ` et ${formatEntier(ref.logements.enSecteurAssimile)} en secteur assimilé` : ''}.`,
  );

  r.titre(2, 'Sources des données');
  const d = donnees.datesDonnees;
  r.paragraphe(
    `Les chiffres sont calculés sur les fichiers importés dans Mixité au format canonique. Les données couvrent ` +
      `les demandes jusqu’au ${d.demandes ? formatDate(d.demandes) : '(aucune demande)'} et les décisions d’attribution jusqu’au ` +
      `${d.attributions ? formatDate(d.attributions) : '(aucune attribution)'}.`,
  );
  const sources: Ligne[] = donnees.sources.map((s) => ({
    cellules: [
      texte(`${s.table}.csv`),
      texte(s.fichier),
      s.dateExtraction ? texte(formatDate(s.dateExtraction)) : VIDE,
      texte(formatDate(s.dateImport)),
      s.lignes === null ? VIDE : nombre(s.lignes),
    ],
  }));
  r.tableau('sources', 'Fichiers source de la base', ['Table', 'Fichier importé', 'Date d’extraction', 'Importé le', 'Lignes'], sources, [
    'Date d’extraction : celle qu’indique le nom du fichier, quand il en porte une. Un import remplace les tables des fichiers qu’il apporte : chaque table vient de son dernier import.',
  ]);

  r.titre(2, 'Seuils et paramètres appliqués');
  const seuils: Ligne[] = [];
  for (const a of donnees.annees) {
    const limite = donnees.parAnnee.get(a)?.resultats.limites.find((l) => l.annee === a);
    if (!limite) continue;
    seuils.push({
      cellules: [
        texte(String(a)),
        euros(limite.seuil_publie),
        texte(limite.source_seuil ?? (limite.origine_seuil === 'publie' ? '' : 'aucun seuil publié')),
        euros(limite.seuil_applique),
        texte(limite.origine_seuil === 'publie' ? 'seuil publié' : limite.origine_seuil === 'calcule' ? 'limite calculée sur la demande' : 'aucun'),
      ],
    });
  }
  r.tableau('seuils', 'Seuils du premier quartile appliqués', ['Année', 'Seuil publié (€/UC/an)', 'Arrêté', 'Seuil appliqué (€/UC/an)', 'Origine'], seuils, [
    'L’arrêté de l’année N s’applique aux attributions de l’année N (date du bail pour les baux, de la CALEOL pour les propositions). Sans seuil publié, Mixité applique la limite du premier quartile calculée sur les demandes actives au 31 décembre de l’année précédente.',
  ]);
  // The median and Q3 of an arrêté that publishes them (seuils.csv seuil_q2/seuil_q3) replace the computed ones.
  const q2q3 = donnees.seuils.filter((s) => donnees.annees.includes(s.annee) && (s.seuilQ2 !== null || s.seuilQ3 !== null));
  if (q2q3.length > 0) {
    r.tableau(
      'seuils-q2-q3',
      'Médiane et troisième quartile publiés',
      ['Année', 'EPCI', 'Médiane publiée (€/UC/an)', '3e quartile publié (€/UC/an)', 'Arrêté'],
      q2q3.map((s) => ({
        cellules: [texte(String(s.annee)), texte(s.codeEpci ?? 'tous'), euros(s.seuilQ2), euros(s.seuilQ3), s.source ? texte(s.source) : VIDE],
      })),
      ['Quand l’arrêté publie la médiane ou le troisième quartile, Mixité les applique pour situer les ménages dans les quartiles 2 à 4 ; sinon il les calcule sur les demandes actives au 31 décembre de l’année précédente.'],
    );
  }

  const uc = config.uc;
  const parametres: Ligne[] = [
    { cellules: [texte('Secret statistique'), texte(`effectifs de 1 à ${config.secret_statistique - 1} ménages masqués`)] },
    { cellules: [texte('Secteurs assimilés comptés comme QPV'), texte(config.assimiles_comme_qpv ? 'oui' : 'non')] },
    {
      cellules: [
        texte('Unités de consommation'),
        texte(`${formatDecimal(uc.premiere_personne)} pour la première personne, ${formatDecimal(uc.autre_14_ans_et_plus)} par personne de 14 ans ou plus, ${formatDecimal(uc.moins_14_ans)} par enfant de moins de 14 ans`),
      ],
    },
    ...Object.entries(config.cibles).map(([id, cible]) => ({
      cellules: [texte(`Cible « ${libelleDeLaCible(id)} »`), cible === null ? texte('pas d’objectif') : taux(cible)],
    })),
  ];
  r.tableau('parametres', 'Objectifs et paramètres de la CIA', ['Paramètre', 'Valeur'], parametres, [
    `Cibles de la configuration de la CIA (cia.yaml ou écran Paramètres).${ctx.declarations
      .filter((d) => d.presentation.jugement === 'contingent')
      .map(
        (d) =>
          ` La cible « ${d.id} » s’applique à chaque contingent et au stock non réservé de chaque bailleur` +
          `${Object.values(d.ciblesParTypeContingent).map((c) => ` ; celle du ${c.libelle} est à part`).join('')}.`,
      )
      .join('')}`,
  ]);
  const surcharges = config.cibles_par_perimetre;
  if (surcharges.length > 0) {
    r.tableau(
      'cibles-territorialisees',
      'Objectifs territorialisés',
      ['Objectif', 'Périmètre', 'Cible'],
      surcharges.map((o) => ({
        cellules: [
          texte(ctx.declarations.find((d) => d.id === o.indicateur)?.libelle ?? o.indicateur),
          texte(`${LIBELLES_PERIMETRE_TYPE[o.perimetre_type]} : ${libellePerimetre(ref, o.perimetre_type, o.perimetre_id)}`),
          o.cible === null ? texte('pas d’objectif') : taux(o.cible),
        ],
      })),
      ['Cibles fixées par la CIA pour un périmètre (cibles_par_perimetre) ; elles remplacent la cible générale sur ce périmètre.'],
    );
  }
}

