/**
 * The bins of the notes' histogram (issue 15 item 5): a few bars a person can read instead of one per distinct note.
 * The width is the smallest of 1, 2, 5, 10, 20, 50… that gives at most `maxBarres` bins; a bin runs from a multiple
 * of the width, inclusive, to the next, exclusive (« 10 à moins de 20 »). A bin holding a masked count (statistical
 * secrecy: null) is masked as a whole — adding the others would not be the truth.
 */
export interface ClasseNote {
  readonly note: number;
  readonly demandes: number | null;
}

export interface Tranche {
  readonly debut: number;
  readonly fin: number;
  readonly libelle: string;
  readonly demandes: number | null;
}

export function largeurDeTranche(min: number, max: number, maxBarres = 20): number {
  const etendue = max - min;
  for (let puissance = 1; ; puissance *= 10) {
    for (const f of [1, 2, 5]) {
      const w = f * puissance;
      if (Math.floor(max / w) - Math.floor(min / w) + 1 <= maxBarres || w > etendue) return w;
    }
  }
}

const nombre = (x: number) => String(x).replace('.', ',').replace('-', '\u2212');

export function tranches(classes: readonly ClasseNote[], maxBarres = 20): Tranche[] {
  if (classes.length === 0) return [];
  const notes = classes.map((c) => c.note);
  const min = Math.min(...notes);
  const max = Math.max(...notes);
  const w = largeurDeTranche(min, max, maxBarres);
  const out: Tranche[] = [];
  for (let debut = Math.floor(min / w) * w; debut <= max; debut += w) {
    const dedans = classes.filter((c) => c.note >= debut && c.note < debut + w);
    const demandes = dedans.some((c) => c.demandes === null) ? null : dedans.reduce((s, c) => s + (c.demandes ?? 0), 0);
    const libelle = w === 1 && Number.isInteger(debut) && dedans.every((c) => Number.isInteger(c.note)) ? nombre(debut) : `${nombre(debut)} à moins de ${nombre(debut + w)}`;
    out.push({ debut, fin: debut + w, libelle, demandes });
  }
  return out;
}
