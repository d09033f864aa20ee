import { closeSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { reconnaitreArrete, reconnaitreQpvListe, reconnaitreRpls, reconnaitreSeuilsPublies } from '@mixite/core/presets';
import { estContoursAnct } from './qpv-contours.ts';
import { detectDelimiter, splitHeader } from '../import/source-file.ts';
import type { NomPreset } from './noms.ts';

export type { NomPreset } from './noms.ts';
export { NOMS_PRESETS, PRESETS } from './noms.ts';

/** The first 64 kB of a file. */
function debut(chemin: string): Buffer {
  const fd = openSync(chemin, 'r');
  try {
    const tampon = Buffer.alloc(65536);
    return tampon.subarray(0, readSync(fd, tampon, 0, tampon.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** The header line of a file, decoded as UTF-8 or, failing that, Windows-1252. */
export function lireEnTetes(chemin: string): string[] {
  const octets = debut(chemin);
  const fin = octets.indexOf(0x0a);
  const ligne = octets.subarray(0, fin === -1 ? octets.length : fin);
  const texte = new TextDecoder(isUtf8(ligne) ? 'utf-8' : 'windows-1252').decode(ligne).replace(/^\uFEFF/, '').replace(/\r$/, '');
  return splitHeader(texte, detectDelimiter(texte));
}

/** The preset whose header a file has, or null. */
export function reconnaitreFichier(chemin: string): NomPreset | null {
  if (chemin.toLowerCase().endsWith('.geojson')) return estContoursAnct(debut(chemin).toString('utf8')) ? 'qpv-contours' : null;
  const entetes = lireEnTetes(chemin);
  if (reconnaitreRpls(entetes)) return 'rpls';
  if (reconnaitreQpvListe(entetes)) return 'qpv';
  if (reconnaitreSeuilsPublies(entetes)) return 'seuils-publies';
  if (reconnaitreArrete(entetes)) return 'arrete-q1';
  return null;
}
