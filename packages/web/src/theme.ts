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

// The charts' colours live in the one palette of @mixite/graphiques (palette.ts): Mantine shades named by
// meaning, drawn here as the theme's CSS variables and in the bilan as their hex values.

/** The default "dimmed" grey (gray-6, used by input descriptions) is below the AA contrast ratio on white: gray-7. */
export const resolveurVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7] ?? '' },
  dark: {},
});
