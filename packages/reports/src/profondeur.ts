/**
 * Years of the bilan's trend, the bilan's year included, when none are asked. In a module of its own, without the
 * document writers: `mixite bilan --aide` shows it without loading them (start-up, issue 18).
 */
export const PROFONDEUR_PAR_DEFAUT = 3;
