/**
 * The presets shipped with the product (docs/presets.md), with what each reads. In a module of their own, without
 * the readers: `mixite import --aide` lists them without loading the importer (start-up, issue 18).
 */
export const PRESETS = {
  rpls: 'fichier RPLS du parc social (ouvert ou « version loi ») → logements.csv et residences.csv',
  qpv: 'liste officielle des QPV 2024 (ANCT) → qpv.csv des communes du territoire',
  'qpv-contours': 'contours des QPV 2024 (ANCT, *WGS84.geojson) → contours de la carte',
  'arrete-q1': 'annexe de l’arrêté annuel des seuils du premier quartile (avec --annee) → seuils.csv',
  'seuils-publies': 'seuils des arrêtés publiés livrés avec Mixité (seuils/arretes-publies.csv) → seuils.csv',
} as const;
export type NomPreset = keyof typeof PRESETS;
export const NOMS_PRESETS = Object.keys(PRESETS) as NomPreset[];
