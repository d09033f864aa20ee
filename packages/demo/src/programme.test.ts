import { lireClasseurProgramme, REFERENTIEL_SANS_BASE } from '@mixite/core';
import { Store, chargerJeuProgramme, classeurProgramme, lireFichierProgramme, lireProgramme, listerEngagements, listerInstances, listerReunions, statutsDeLAnnee } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programmeDemo } from './index.js';

/**
 * The demo's action programme (issue 19): the 16 fiches of seed 000 §III, their statuses 2022–2024, the instances
 * of §IV (CIL, its technical committee, the commission de coordination, a commission QPV), meetings and
 * commitments — loaded into a real store as the demonstration's first start does, and a valid programme by the
 * workbook's own rules (exported, then read back by the import).
 */
let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await chargerJeuProgramme(store, programmeDemo(), 'démonstration');
});
afterAll(() => store.close());

describe('the demo’s action programme', () => {
  it('holds the sixteen fiches, numbered 1 to 16, in six orientations', async () => {
    const p = await lireProgramme(store);
    expect(p?.fiches.map((f) => f.numero)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(new Set(p?.fiches.map((f) => f.orientation)).size).toBe(6);
    expect(p?.convention.date_debut).toBe('2023-02-16');
  });

  it('gives every fiche a status for 2022, 2023 and 2024', async () => {
    for (const annee of [2022, 2023, 2024]) expect((await statutsDeLAnnee(store, annee)).size).toBe(16);
    // 2024 by the table of programme.ts: fiches 1, 12 and 15 done, 11 not started, 13 abandoned, the 11 others in progress.
    const s2024 = [...(await statutsDeLAnnee(store, 2024)).values()].map((s) => s.statut);
    expect(s2024.filter((s) => s === 'realisee')).toHaveLength(3);
    expect(s2024.filter((s) => s === 'en_cours')).toHaveLength(11);
  });

  it('holds the instances of seed 000 §IV, meetings each year with decisions on fiches, and commitments', async () => {
    expect((await listerInstances(store)).map((i) => i.genre)).toEqual(['cil', 'comite_technique', 'commission_coordination', 'commission_qpv']);
    for (const [annee, n] of [[2022, 1], [2023, 3], [2024, 4]] as const) expect(await listerReunions(store, annee)).toHaveLength(n);
    const decisions = (await listerReunions(store)).flatMap((r) => r.decisions);
    expect(decisions.length).toBeGreaterThanOrEqual(10);
    expect(decisions.flatMap((d) => d.fiches).every((n) => n >= 1 && n <= 16)).toBe(true);
    const engagements = await listerEngagements(store);
    expect(engagements).toHaveLength(7);
    expect(engagements.filter((e) => e.quantifie !== null).map((e) => e.quantifie?.indicateur)).toEqual(['hors_qpv_q1', 'prioritaires']);
  });

  it('is the same at every generation and a valid programme by the workbook’s rules', async () => {
    expect(programmeDemo()).toEqual(programmeDemo());
    const p = programmeDemo().programme;
    const { classeur, problemes } = await lireFichierProgramme(await classeurProgramme(p), 'demo.xlsx');
    expect(problemes).toEqual([]);
    const lecture = lireClasseurProgramme(classeur, REFERENTIEL_SANS_BASE);
    expect(lecture.ok ? [] : lecture.problemes).toEqual([]);
    expect(lecture.ok ? lecture.programme : null).toEqual(p);
  });
});
