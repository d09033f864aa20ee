import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendrierObligations, situationEcheance } from './calendrier.ts';
import { calendrierIcs, plierLigne } from './ics.ts';
import type { ProgrammeActions } from './modele.ts';

/** A fixture CIA: a convention that ends on 30 September 2024, in a tense zone, with its own CIL and arrêté days. */
const PROGRAMME: ProgrammeActions = {
  convention: { intitule: 'CIA de Test', date_debut: '2022-03-15', date_fin: '2024-09-30', zone_tendue: true, bilan_cil: '06-15', arrete_q1: '04-30' },
  fiches: [
    {
      numero: 1,
      titre: 'Observatoire',
      orientation: 'Orientation 1',
      enjeux: '',
      pilote: { genre: 'epci' },
      partenaires: [],
      indicateurs: [],
      indicateurs_qualitatifs: [],
      etapes: [
        { quand: { genre: 'annee_convention', rang: 1 }, libelle: 'Créer le groupe de travail' },
        { quand: { genre: 'annee_convention', rang: 3 }, libelle: 'Adopter la charte' },
        { quand: { genre: 'annuel' }, libelle: 'Présenter le suivi' },
        { quand: { genre: 'continu' }, libelle: 'Animer le réseau' },
        { quand: { genre: 'date', date: '2024-05-10' }, libelle: 'Réunion de lancement' },
      ],
    },
    {
      numero: 2,
      titre: 'Mutations',
      orientation: 'Orientation 2',
      enjeux: '',
      pilote: { genre: 'bailleur', id: 'B1' },
      partenaires: [],
      indicateurs: [],
      indicateurs_qualitatifs: [],
      etapes: [
        { quand: { genre: 'annee', annee: 2023 }, libelle: 'Recenser les demandes' },
        { quand: { genre: 'annee', annee: 2024 }, libelle: 'Rapport, bilan; suite' },
      ],
    },
  ],
};

describe('calendrier des obligations', () => {
  it('2024 pour la CIA de test : la liste faite à la main', () => {
    // By hand: the law's four dates (15/01, 28/02, 15/07, and the tense zone's 31/12), the arrêté on the CIA's 30/04,
    // the 2023 bilan on the CIA's 15/06 (2023 is a year of the convention), its end on 30/09; steps of 2024: « année 3 »
    // = 2022 + 2 and « annuel » and « 2024 » fall on the convention's last day (30/09, before 31/12), the dated one on
    // its day; « année 1 » (2022), « 2023 » and « continu » give nothing.
    const attendu: [string, string][] = [
      ['2024-01-15', 'Transmission au préfet par chaque bailleur des attributions du second semestre 2023 (données arrêtées au 31/12/2023)'],
      ['2024-02-28', 'Bilan 2023 de la gestion en flux : chaque bailleur l’adresse à chaque réservataire'],
      ['2024-04-30', 'Seuil du premier quartile 2024 : vérifier la parution de l’arrêté annuel et saisir le seuil (seuils.csv)'],
      ['2024-05-10', 'Fiche 1 — Réunion de lancement'],
      ['2024-06-15', 'Bilan annuel 2023 de la convention présenté à la Conférence intercommunale du logement'],
      ['2024-07-15', 'Transmission au préfet par chaque bailleur des attributions du premier semestre 2024 (données arrêtées au 30/06/2024)'],
      ['2024-09-30', 'Fin de la convention « CIA de Test » : bilan final et nouvelle convention à soumettre à la CIL'],
      ['2024-09-30', 'Fiche 1 — Adopter la charte'],
      ['2024-09-30', 'Fiche 1 — Présenter le suivi'],
      ['2024-09-30', 'Fiche 2 — Rapport, bilan; suite'],
      ['2024-12-31', 'Examen par les CALEOL des conditions d’occupation des logements dont le bail a été signé en 2021'],
    ];
    const calendrier = calendrierObligations(2024, PROGRAMME);
    expect(calendrier.map((e) => [e.date, e.obligation])).toEqual(attendu);
    expect(calendrier[1]?.source).toBe('Art. R441-5-1 CCH : bilan annuel avant le 28 février');
    expect(calendrier[9]?.source).toBe('Fiche action 2 « Mutations » (pilote : bailleur:B1)');
  });

  it('2022 : la première année de la convention, sans bilan de l’année précédente (2021 est avant la convention)', () => {
    const calendrier = calendrierObligations(2022, PROGRAMME);
    expect(calendrier.map((e) => [e.date, e.genre, e.fiche ?? null])).toEqual([
      ['2022-01-15', 'loi', null],
      ['2022-02-28', 'loi', null],
      ['2022-04-30', 'loi', null],
      ['2022-07-15', 'loi', null],
      ['2022-12-31', 'loi', null],
      ['2022-12-31', 'fiche', 1], // année 1
      ['2022-12-31', 'fiche', 1], // annuel
    ]);
  });

  it('2025 : la convention est finie, restent la loi et le bilan 2024 ; un 29 février de paramètre tombe le 28 en année commune', () => {
    const p = { ...PROGRAMME, convention: { ...PROGRAMME.convention, arrete_q1: '02-29' } };
    expect(calendrierObligations(2025, p).map((e) => e.date)).toEqual(['2025-01-15', '2025-02-28', '2025-02-28', '2025-06-15', '2025-07-15', '2025-12-31']);
    expect(calendrierObligations(2028, p).find((e) => e.obligation.startsWith('Seuil'))?.date).toBe('2028-02-29');
  });

  it('en retard, proche, à venir', () => {
    const e = { date: '2024-07-15', obligation: 'x', source: 'y', genre: 'loi' as const };
    expect(situationEcheance(e, '2024-07-16')).toBe('en_retard');
    expect(situationEcheance(e, '2024-07-15')).toBe('proche');
    expect(situationEcheance(e, '2024-06-15')).toBe('proche'); // 15/06 + 30 days = 15/07
    expect(situationEcheance(e, '2024-06-14')).toBe('a_venir');
  });
});

describe('export iCalendar', () => {
  it('se relit avec ical.js : un événement d’une journée par obligation, textes et dates intacts', () => {
    const calendrier = calendrierObligations(2024, PROGRAMME);
    const ics = calendrierIcs(calendrier, { nom: 'Obligations 2024 — CIA de Test', horodatage: '2024-01-02T03:04:05.000Z' });
    // RFC 5545: CRLF line ends, no line longer than 75 octets.
    expect(ics.endsWith('\r\n')).toBe(true);
    for (const ligne of ics.split('\r\n')) expect(Buffer.byteLength(ligne, 'utf8')).toBeLessThanOrEqual(75);
    const vcal = new ICAL.Component(ICAL.parse(ics));
    expect(vcal.getFirstPropertyValue('version')).toBe('2.0');
    const evenements = vcal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(evenements).toHaveLength(11);
    expect(evenements.map((ev) => [ev.startDate.toString(), ev.summary])).toEqual(calendrier.map((e) => [e.date, e.obligation]));
    // All-day events: DATE values, ending the next day.
    expect(evenements.every((ev) => ev.startDate.isDate)).toBe(true);
    expect(evenements[0]?.endDate.toString()).toBe('2024-01-16');
    expect(evenements[9]?.summary).toBe('Fiche 2 — Rapport, bilan; suite');
    expect(evenements[9]?.description).toBe('Source : Fiche action 2 « Mutations » (pilote : bailleur:B1)');
    expect(new Set(evenements.map((ev) => ev.uid)).size).toBe(11);
  });

  it('plie les lignes longues sans couper un caractère', () => {
    const ligne = `SUMMARY:${'é'.repeat(100)}`;
    const plie = plierLigne(ligne);
    expect(plie.split('\r\n ').join('')).toBe(ligne);
    for (const l of plie.split('\r\n')) expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
  });
});
