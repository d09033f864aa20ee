import { closeSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { reconnaitreRpls } from '@mixite/core/presets';
import { detectDelimiter, splitHeader } from '../import/source-file.ts';

/** The presets shipped with the product (docs/presets.md), with what each reads. */
export const PRESETS = {
  rpls: 'fichier RPLS du parc social (ouvert ou « version loi ») → logements.csv et residences.csv',
} as const;
export type NomPreset = keyof typeof PRESETS;
export const NOMS_PRESETS = Object.keys(PRESETS) as NomPreset[];

/** The header line of a file (its first 64 kB), decoded as UTF-8 or, failing that, Windows-1252. */
export function lireEnTetes(chemin: string): string[] {
  const fd = openSync(chemin, 'r');
  try {
    const tampon = Buffer.alloc(65536);
    const n = readSync(fd, tampon, 0, tampon.length, 0);
    const fin = tampon.subarray(0, n).indexOf(0x0a);
    const octets = tampon.subarray(0, fin === -1 ? n : fin);
    const texte = new TextDecoder(isUtf8(octets) ? 'utf-8' : 'windows-1252').decode(octets).replace(/^\uFEFF/, '').replace(/\r$/, '');
    return splitHeader(texte, detectDelimiter(texte));
  } finally {
    closeSync(fd);
  }
}

/** The preset whose header a file has, or null. */
export function reconnaitreFichier(chemin: string): NomPreset | null {
  const entetes = lireEnTetes(chemin);
  if (reconnaitreRpls(entetes)) return 'rpls';
  return null;
}
