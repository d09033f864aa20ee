/**
 * Dates as day numbers (days since 1970-01-01, UTC): cheap to draw and compare, and formatted
 * through a lookup table because millions of rows carry two or three dates each.
 */
export type Jour = number;

const MS_PER_DAY = 86_400_000;
const TABLE_START = Date.UTC(1900, 0, 1) / MS_PER_DAY;
const TABLE_END = Date.UTC(2031, 0, 1) / MS_PER_DAY;

let isoTable: string[] | undefined;
let yearTable: Int16Array | undefined;

function buildTables(): void {
  const iso: string[] = new Array<string>(TABLE_END - TABLE_START);
  const years = new Int16Array(TABLE_END - TABLE_START);
  for (let day = TABLE_START; day < TABLE_END; day++) {
    const text = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    iso[day - TABLE_START] = text;
    years[day - TABLE_START] = Number(text.slice(0, 4));
  }
  isoTable = iso;
  yearTable = years;
}

function checkRange(day: Jour): number {
  const index = day - TABLE_START;
  if (index < 0 || index >= TABLE_END - TABLE_START || !Number.isInteger(index)) {
    throw new RangeError(`jour hors de la table des dates : ${day}`);
  }
  return index;
}

export function jour(annee: number, mois: number, jourDuMois: number): Jour {
  return Date.UTC(annee, mois - 1, jourDuMois) / MS_PER_DAY;
}

/** `YYYY-MM-DD`. */
export function isoDate(day: Jour): string {
  if (isoTable === undefined) buildTables();
  return isoTable![checkRange(day)]!;
}

export function anneeDe(day: Jour): number {
  if (yearTable === undefined) buildTables();
  return yearTable![checkRange(day)]!;
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function jourDeSemaine(day: Jour): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Fixed-date public holidays in France (the movable Easter ones are left out: a demo needs no more). */
const FERIES = new Set(['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25']);

/** The same day if it is a working day, else the next one: commissions sit on working days. */
export function jourOuvre(day: Jour): Jour {
  let j = day;
  for (;;) {
    const w = jourDeSemaine(j);
    if (w !== 0 && w !== 6 && !FERIES.has(isoDate(j).slice(5))) return j;
    j++;
  }
}
