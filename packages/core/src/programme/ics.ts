import type { Echeance } from './calendrier.ts';

/**
 * A small iCalendar writer (RFC 5545) for the obligations calendar: no installed library writes .ics, and the part
 * needed is small — all-day VEVENTs with escaped text, lines folded at 75 octets, CRLF. The test parses the result
 * back with ical.js (Mozilla). UIDs are stable (date + text), so that a subscribed calendar updates rather than
 * duplicates an event when the file is fetched again.
 */

/** TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11). */
export function texteIcs(texte: string): string {
  return texte.replaceAll('\\', '\\\\').replaceAll(';', '\\;').replaceAll(',', '\\,').replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (§3.1), never inside a UTF-8 character. */
export function plierLigne(ligne: string): string {
  const morceaux: string[] = [];
  let courant = '';
  let octets = 0;
  for (const c of ligne) {
    const n = new TextEncoder().encode(c).length;
    // The first line holds 75 octets; the next ones begin with a space, so 74 of text.
    const max = morceaux.length === 0 ? 75 : 74;
    if (octets + n > max) {
      morceaux.push(courant);
      courant = '';
      octets = 0;
    }
    courant += c;
    octets += n;
  }
  morceaux.push(courant);
  return morceaux.join('\r\n ');
}

/** FNV-1a, 32 bits: a stable short id (not a security hash). */
function empreinte(texte: string): string {
  let h = 0x811c9dc5;
  for (const c of new TextEncoder().encode(texte)) {
    h ^= c;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const jourIcs = (date: string) => date.replaceAll('-', '');

function lendemain(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface OptionsIcs {
  /** The calendar's name, shown by the officer's agenda. */
  readonly nom: string;
  /** DTSTAMP of every event: when the file was produced (an ISO instant). Given, so that the output is reproducible. */
  readonly horodatage: string;
}

export function calendrierIcs(echeances: readonly Echeance[], options: OptionsIcs): string {
  const stamp = `${options.horodatage.replace(/[-:]/g, '').replace(/\.\d+/, '').slice(0, 15)}Z`;
  const lignes = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Mixité//Programme d’actions de la CIA//FR',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${texteIcs(options.nom)}`,
  ];
  const uids = new Map<string, number>();
  for (const e of echeances) {
    const base = `${jourIcs(e.date)}-${empreinte(`${e.date}|${e.obligation}|${e.source}`)}`;
    const n = (uids.get(base) ?? 0) + 1;
    uids.set(base, n);
    lignes.push(
      'BEGIN:VEVENT',
      `UID:${base}${n > 1 ? `-${n}` : ''}@mixite`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${jourIcs(e.date)}`,
      `DTEND;VALUE=DATE:${jourIcs(lendemain(e.date))}`,
      `SUMMARY:${texteIcs(e.obligation)}`,
      `DESCRIPTION:${texteIcs(`Source : ${e.source}`)}`,
      `CATEGORIES:${e.genre === 'loi' ? 'Obligation légale' : e.genre === 'convention' ? 'Convention' : e.genre === 'engagement' ? 'Engagement' : 'Fiche action'}`,
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    );
  }
  lignes.push('END:VCALENDAR');
  return `${lignes.map(plierLigne).join('\r\n')}\r\n`;
}
