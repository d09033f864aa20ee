/**
 * The year asked in the address, else the latest year with data: the contract's rule (shared with the server's first
 * paint of the Parc page). Without React (unlike lib/territoire.tsx, which re-exports it), so that the reads started
 * before the application is loaded (lib/prechargement.ts) choose the same year as the page.
 */
export { anneeChoisie } from '@mixite/contract/annee';
