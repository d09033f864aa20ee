import { prechargerAdresse } from './lib/prechargement.ts';

/**
 * The application's first module, kept small (issue 14): it starts the reads the opened page needs — the session,
 * the territory, the page's code and figures (lib/prechargement.ts) — and only then loads the application itself
 * (React, Mantine, the layout: application.tsx), which finds them on their way or already there, instead of asking
 * for each in turn once it has loaded and drawn. index.html asks for the application's files at the same time as
 * this one (vite.config.ts), so nothing waits for this module but the reads.
 */
prechargerAdresse(window.location.pathname, window.location.search);

// The browser loads its French number data (ICU) on the first Intl.NumberFormat of the page — 30 to 150 ms measured in
// Chromium, the later ones costing nothing. Every page formats numbers (@mixite/core/francais builds its formats when
// loaded): done here, once the reads are sent, it runs while the application's files are still on their way instead
// of between their arrival and the page's first drawing.
setTimeout(() => new Intl.NumberFormat('fr-FR', { style: 'percent' }).format(0), 0);

// Not held back until the page's figures are asked: tried (session 8), the page's two maps came later (1.10 times
// the immediate run, same run, docs/BENCHMARKS.md) — the application's evaluation is longer than the reads' chain.
import('./application.tsx').catch((error: unknown) => {
  // A version installed under the tab renames the application's files: a reload fetches the new ones.
  const racine = document.getElementById('root');
  if (racine) racine.textContent = `Mixité n’a pas pu être chargée (${error instanceof Error ? error.message : String(error)}). Rechargez la page.`;
});
