export type { FichiersBilan, OptionsBilan, ProgressionBilan } from './bilan.ts';
export { PROFONDEUR_PAR_DEFAUT, produireBilan } from './bilan.ts';
export { RegistreSecret } from './secret/registre.ts';
export { FEUILLE_INDICATEURS, FEUILLE_SOMMAIRE, FEUILLE_ATTENTION, nomDeFeuille } from './rendu/xlsx.ts';
export type { DocumentBilan, Bloc, Tableau, Graphique, Cellule } from './contenu/modele.ts';
export { ecrireBilansFlux } from './flux/bilan-flux-fichiers.ts';
export type { EditionBilanFlux, OptionsBilanFlux } from './flux/bilan-flux-fichiers.ts';
export { nomFichierBilan } from './secret/edition.ts';
