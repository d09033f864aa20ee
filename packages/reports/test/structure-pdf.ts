import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/**
 * An offline reader of a PDF's accessibility marks, written apart from the renderer: every Flate stream inflated
 * (object streams hold the catalog and the structure tree), then the keys a tagged PDF must carry counted in the
 * text. It reads what a PDF says about itself; it does not judge reading order or contrast (what it leaves out is
 * said in docs/decisions/0006-bilan-sans-navigateur.md).
 */
export interface StructurePdf {
  /** The catalog's /StructTreeRoot and /MarkInfo << /Marked true >>. */
  readonly balise: boolean;
  /** Every /Lang value. */
  readonly langues: readonly string[];
  /** Structure elements by type (H1, TH, Table, Figure, L…). */
  readonly elements: ReadonlyMap<string, number>;
  /** The /Alt texts, decoded (UTF-16 hex strings or literal strings). */
  readonly alternatives: readonly string[];
  /** The title of the XMP metadata (dc:title), what a reader shows when /DisplayDocTitle asks it to. */
  readonly titre: string | null;
}

const utf16 = (hex: string): string => {
  const b = Buffer.from(hex, 'hex');
  if (b[0] === 0xfe && b[1] === 0xff) return b.subarray(2).swap16().toString('utf16le');
  return b.toString('latin1');
};
const litterale = (s: string): string => s.replace(/\\([()\\])/g, '$1');

export function lireStructurePdf(chemin: string): StructurePdf {
  const octets = readFileSync(chemin);
  const brut = octets.toString('latin1');
  const morceaux = [brut];
  for (const m of brut.matchAll(/stream\r?\n/g)) {
    const debut = (m.index ?? 0) + m[0].length;
    const fin = brut.indexOf('endstream', debut);
    try {
      morceaux.push(inflateSync(octets.subarray(debut, fin)).toString('latin1'));
    } catch {
      // Not a Flate stream (or an image's): nothing to read there.
    }
  }
  const texte = morceaux.join('\n');
  const elements = new Map<string, number>();
  for (const m of texte.matchAll(/\/S\s*\/([A-Za-z0-9]+)/g)) elements.set(m[1] as string, (elements.get(m[1] as string) ?? 0) + 1);
  const chaine = (m: RegExpMatchArray) => (m[1] !== undefined ? utf16(m[1]) : litterale(m[2] ?? ''));
  const titre = /<dc:title>[\s\S]*?<rdf:li[^>]*>([^<]*)<\/rdf:li>/.exec(texte);
  return {
    balise: /\/StructTreeRoot\s+\d+\s+\d+\s+R/.test(texte) && /\/MarkInfo\s*<<[^>]*\/Marked\s+true/.test(texte),
    langues: [...texte.matchAll(/\/Lang\s*\(([^)]*)\)/g)].map((m) => m[1] as string),
    elements,
    alternatives: [...texte.matchAll(/\/Alt\s*(?:<([0-9A-Fa-f]+)>|\(((?:\\.|[^\\)])*)\))/g)].map(chaine),
    titre: titre ? Buffer.from(titre[1] as string, 'latin1').toString('utf8') : null,
  };
}
