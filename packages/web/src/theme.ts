import type { CSSVariablesResolver } from '@mantine/core';
import { createTheme } from '@mantine/core';

/**
 * One theme for the whole application. Shades are chosen for contrast (WCAG AA, checked by axe in the browser
 * tests): primary buttons and links use shade 8 of indigo, never the lighter default shade 6.
 */
export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  defaultRadius: 'sm',
  focusRing: 'always',
});

/** Colours of the charts and badges, named by meaning (Mantine CSS variables, so the theme stays the one source). */
export const COULEURS = {
  atteint: 'var(--mantine-color-teal-9)',
  nonAtteint: 'var(--mantine-color-red-9)',
  barre: 'var(--mantine-color-indigo-7)',
  barreSecondaire: 'var(--mantine-color-gray-5)',
  cible: 'var(--mantine-color-orange-9)',
  grille: 'var(--mantine-color-gray-3)',
  texte: 'var(--mantine-color-text)',
} as const;

export const SERIES = [
  'var(--mantine-color-indigo-7)',
  'var(--mantine-color-teal-8)',
  'var(--mantine-color-orange-8)',
  'var(--mantine-color-grape-7)',
  'var(--mantine-color-cyan-9)',
  'var(--mantine-color-pink-8)',
] as const;

/** The default "dimmed" grey (gray-6, used by input descriptions) is below the AA contrast ratio on white: gray-7. */
export const resolveurVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] ?? '' },
  dark: {},
});
