import { writeFileSync } from 'node:fs';

/** A small canonical CSV (`;`, RFC 4180 quoting, UTF-8) written by a preset: the QPV list, the arrêté's thresholds. */
export function ecrireCsv(chemin: string, colonnes: readonly string[], lignes: readonly (readonly (string | number | null)[])[]): void {
  const champ = (v: string | number | null) => {
    const t = v === null ? '' : String(v);
    return /[;"\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  };
  writeFileSync(chemin, [colonnes, ...lignes].map((l) => l.map(champ).join(';')).join('\n') + '\n', 'utf8');
}
