import type { ComponentType } from 'react';
import { lazy } from 'react';
import { retirerCartesServeur } from './cartes-serveur.ts';

/** The page whose chunk failed to load and was reloaded for (once: a second failure is shown, not looped on). */
const RECHARGEMENT = 'mixite:page-rechargee';

/**
 * A page loaded when its address is first opened (issue 14: each page its own chunk, so the map page does not wait
 * for every other page's code). `nom` names the export: the pages keep their named exports.
 *
 * A chunk can vanish under an open tab: a new version installed since the tab was opened has chunks of other names.
 * The import then fails; the page is reloaded once, which fetches the new version's index and its chunks. If it fails
 * again, the error goes to the nearest error boundary (App's `ErreurDePage`), which says so in French.
 */
export function pageDifferee<K extends string>(charger: () => Promise<Record<K, ComponentType>>, nom: K) {
  return lazy(async () => {
    try {
      const module = await charger();
      if (sessionStorage.getItem(RECHARGEMENT) === window.location.pathname) sessionStorage.removeItem(RECHARGEMENT);
      return { default: module[nom] };
    } catch (error) {
      if (sessionStorage.getItem(RECHARGEMENT) !== window.location.pathname) {
        sessionStorage.setItem(RECHARGEMENT, window.location.pathname);
        window.location.reload();
        // The loading message stays until the reload replaces the page.
        return new Promise<never>(() => undefined);
      }
      // The Parc page's maps drawn by the server (lib/cartes-serveur.ts) would cover the error: the page will not come.
      retirerCartesServeur();
      throw new Error(`La page n’a pas pu être chargée (${error instanceof Error ? error.message : String(error)}). Rechargez la page.`);
    }
  });
}
