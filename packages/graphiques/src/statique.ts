/**
 * A chart as standalone SVG markup, for the documents (the bilan inlines it in the PDF's HTML and rasterises it to
 * PNG for Word): the same React components as the screen, rendered once on the server. Node only (react-dom/server);
 * the web never imports this module.
 */
import { createElement } from 'react';
import type { FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** The markup of `composant` drawn for a document (`support: 'document'`). */
export function svgStatique<P extends object>(composant: FunctionComponent<P>, proprietes: P): string {
  return renderToStaticMarkup(createElement(composant, { ...proprietes, support: 'document' }));
}
