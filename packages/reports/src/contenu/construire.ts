import type { LegalIndicatorDeclaration } from '@mixite/core';
import { LEGAL_DECLARATIONS } from '@mixite/core';
import type { BilanDonnees } from '../donnees/collecte.ts';
import { Publies } from '../donnees/publies.ts';
import { registreDesComptes } from './comptes.ts';
import type { Contexte } from './contexte.ts';
import { formatDate } from './format.ts';
import type { DocumentBilan } from './modele.ts';
import { Redacteur } from './redacteur.ts';
import { sectionAnnexe } from './sections/annexe.ts';
import { sectionAttributions, sectionDemande } from './sections/demande.ts';
import { sectionObjectifs, sectionVentilations } from './sections/objectifs.ts';
import { sectionParc } from './sections/parc.ts';
import { sectionSynthese } from './sections/synthese.ts';
import { sectionTerritoire } from './sections/territoire.ts';
import { sectionProgramme } from './programme.ts';
import { sectionSimulation } from './simulation.ts';

/**
 * The bilan of a year as a document, in the order of a CIL file: the synthesis first (what the CIL decides on),
 * then the territory and its sources, the demand, the allocations, each target, the breakdowns, and the
 * methodological annex. Built from the published (masked) figures only. Every legal indicator is presented from
 * its declaration (`declarations`: core's, or those the figures were computed with).
 */
export function construireBilan(donnees: BilanDonnees, dateProduction: Date, declarations: readonly LegalIndicatorDeclaration[] = LEGAL_DECLARATIONS): DocumentBilan {
  const r = new Redacteur();
  const ctx: Contexte = { donnees, publies: new Publies(donnees), comptes: registreDesComptes(donnees), r, declarations };
  sectionSynthese(ctx);
  sectionTerritoire(ctx);
  sectionDemande(ctx);
  sectionAttributions(ctx);
  sectionObjectifs(ctx);
  r.orientation(true);
  sectionVentilations(ctx);
  r.orientation(false);
  sectionParc(ctx);
  sectionProgramme(ctx, donnees.programme);
  sectionSimulation(ctx, donnees.simulation);
  sectionAnnexe(ctx);

  const { referentiel: ref, datesDonnees: d, configuration } = donnees;
  return {
    annee: donnees.annee,
    titre: `Bilan ${donnees.annee} de la Convention Intercommunale d’Attribution`,
    sousTitre: `${ref.nomTerritoire} : évaluation annuelle des objectifs d’attribution présentée à la Conférence Intercommunale du Logement`,
    mentions: [
      `Territoire : ${ref.designation}.`,
      `Données : demandes jusqu’au ${d.demandes ? formatDate(d.demandes) : '–'}, attributions jusqu’au ${d.attributions ? formatDate(d.attributions) : '–'}.`,
      `Secret statistique : les effectifs de 1 à ${configuration.secret_statistique - 1} ménages sont masqués (« s »), ainsi que les cases qui permettraient de les recalculer.`,
      `Document produit par Mixité le ${formatDate(dateProduction.toISOString().slice(0, 10))}.`,
    ],
    blocs: r.blocs,
  };
}
