import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The bilan's one typeface, shipped by npm with the code: Arimo (SIL Open Font License 1.1, the package's
 * LICENSE_FONT), Liberation Sans's own design and Arial's metrics. The PDF and the Word charts use these files only,
 * never the machine's fonts, so a server without any font installed prints the same pages.
 */

export const POLICE = 'Arimo';

const FICHIERS = ['400Regular/Arimo_400Regular.ttf', '700Bold/Arimo_700Bold.ttf', '400Regular_Italic/Arimo_400Regular_Italic.ttf', '700Bold_Italic/Arimo_700Bold_Italic.ttf'];

const dossier = dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/arimo/package.json'));

/** Paths of the four styles (regular, bold, italic, bold italic). */
export const fichiersPolice = (): string[] => FICHIERS.map((f) => join(dossier, f));

let contenus: Buffer[] | null = null;
/** The four files' bytes, read once per process. */
export const policesEnMemoire = (): Buffer[] => (contenus ??= fichiersPolice().map((f) => readFileSync(f)));

/**
 * The chart's SVG with the shipped face first in its font list: @mixite/graphiques names the screen's fonts
 * (« Liberation Sans, Arial, … »), which a server may not have.
 */
export const avecPoliceEmbarquee = (svg: string): string => svg.replace(/font-family="([^"]*)"/, (_, liste: string) => `font-family="${POLICE}, ${liste}"`);
