/** The maps (issue 14, docs/carte.md): one SVG component for the screen and the bilan, its data and its table. */
export * from './geometrie.ts';
export * from './couleurs.ts';
export * from './donnees.ts';
export * from './Carte.tsx';
export * from './parc.ts';
