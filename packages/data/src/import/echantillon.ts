import { isUtf8 } from 'node:buffer';
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import type { Echantillon } from '@mixite/core';
import { DonneesInvalidesError } from '@mixite/core';
import { detectDelimiter } from './source-file.ts';
import { xlsxToCsv } from './xlsx.ts';

/** Bytes read from a CSV for a sample: enough for hundreds of rows, whatever the file's size. */
const OCTETS_ECHANTILLON = 1 << 20;

/**
 * The header and first rows of an extraction (CSV in UTF-8 or Windows-1252, `;` `,` or tab; or the first sheet of
 * an XLSX), for the mapping proposer and its preview. Reads a bounded prefix of a CSV: a sample, not the file.
 */
export async function lireEchantillon(chemin: string, lignesMax = 200, nom = basename(chemin)): Promise<Echantillon & { encodage: string; separateur: string }> {
  if (extname(nom).toLowerCase() === '.xlsx') {
    const dossier = mkdtempSync(join(tmpdir(), 'mixite-echantillon-'));
    try {
      const converti = await xlsxToCsv(chemin, dossier, 'echantillon', nom);
      const texte = lirePrefixe(converti.csvPath).texte;
      return { ...decouper(texte, ';', lignesMax, nom), encodage: 'classeur Excel', separateur: `feuille « ${converti.feuille} »` };
    } finally {
      rmSync(dossier, { recursive: true, force: true });
    }
  }
  const { texte, encodage } = lirePrefixe(chemin);
  const premiere = texte.split(/\r?\n/, 1)[0] ?? '';
  const separateur = detectDelimiter(premiere);
  return { ...decouper(texte, separateur, lignesMax, nom), encodage, separateur: separateur === '\t' ? 'tabulation' : separateur };
}

function lirePrefixe(chemin: string): { texte: string; encodage: string } {
  const fd = openSync(chemin, 'r');
  let octets: Buffer;
  try {
    const tampon = Buffer.alloc(OCTETS_ECHANTILLON);
    const n = readSync(fd, tampon, 0, tampon.length, 0);
    octets = tampon.subarray(0, n);
  } finally {
    closeSync(fd);
  }
  // A prefix may cut a multi-byte character: judged on the whole lines only.
  const fin = octets.lastIndexOf(0x0a);
  const entier = fin > 0 && octets.length === OCTETS_ECHANTILLON ? octets.subarray(0, fin + 1) : octets;
  if (isUtf8(entier)) return { texte: entier.toString('utf8').replace(/^\uFEFF/, ''), encodage: 'utf-8' };
  return { texte: new TextDecoder('windows-1252').decode(entier), encodage: 'windows-1252' };
}

/** CSV rows of a text (quotes doubled inside quoted cells, delimiters and line ends inside quotes kept). */
function decouper(texte: string, separateur: string, lignesMax: number, nom: string): Echantillon {
  const lignes: string[][] = [];
  let cellule = '';
  let ligne: string[] = [];
  let guillemets = false;
  for (let i = 0; i < texte.length && lignes.length <= lignesMax; i++) {
    const c = texte[i] as string;
    if (guillemets) {
      if (c === '"' && texte[i + 1] === '"') {
        cellule += '"';
        i++;
      } else if (c === '"') guillemets = false;
      else cellule += c;
    } else if (c === '"' && cellule === '') guillemets = true;
    else if (c === separateur) {
      ligne.push(cellule);
      cellule = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && texte[i + 1] === '\n') i++;
      ligne.push(cellule);
      cellule = '';
      if (ligne.some((x) => x !== '')) lignes.push(ligne);
      ligne = [];
    } else cellule += c;
  }
  if ((cellule !== '' || ligne.length > 0) && lignes.length <= lignesMax) {
    ligne.push(cellule);
    if (ligne.some((x) => x !== '')) lignes.push(ligne);
  }
  const [entetes, ...reste] = lignes;
  if (!entetes || entetes.every((e) => e.trim() === '')) throw new DonneesInvalidesError(`${nom} : fichier vide, ou sans ligne d’en-tête`, { problemes: [{ fichier: nom, message: 'fichier vide, ou sans ligne d’en-tête' }] });
  return { entetes: entetes.map((e) => e.trim()), lignes: reste.slice(0, lignesMax) };
}
