/**
 * The Parc page's two maps drawn by the server into the first paint (issue 14; packages/server/src/rendu-parc.ts):
 * a block over the page's content area, outside #root so that React's first drawing of the layout does not erase
 * it. It stays until the page draws its own maps — removed in that same frame, before the browser paints — or until
 * it will not (another page, the login, an error). No React here: the layout and the page both call it.
 */
const ID = 'parc-serveur';

/** Removes the server's maps (nothing if there are none, or no more). */
export function retirerCartesServeur(): void {
  document.getElementById(ID)?.remove();
}

/**
 * Once the page is drawn beneath it, the block is a picture only: hidden from assistive technologies and out of the
 * keyboard's reach, so that the page's headings and tables are not read twice while both are there.
 */
export function masquerCartesServeur(): void {
  const bloc = document.getElementById(ID);
  if (!bloc) return;
  bloc.setAttribute('aria-hidden', 'true');
  bloc.setAttribute('inert', '');
}
