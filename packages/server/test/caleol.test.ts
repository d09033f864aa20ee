import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ListeCaleol } from '@mixite/contract';
import { decisionsCaleolSchema, listeCaleolSchema, logementsCaleolSchema } from '@mixite/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, TestApp } from './helpers.ts';
import { fingerprint, jsonBody, login, openProductionApp } from './helpers.ts';

/**
 * The CALEOL over HTTP (issue 15), production mode, over the hand-built territory of
 * packages/data/test/fixtures/caleol (figures by hand in packages/data/test/caleol.test.ts): L1 (B1, 91228, not
 * reserved) lists D02, D01, D04; L2 (B1, 91228, QPV, AL); L3 (B2, 91174, ETAT). Each account sees its perimeter;
 * a decision recorded changes the indicators at once; everything is audited without NUR.
 */

const FIXTURE = fileURLToPath(new URL('../../data/test/fixtures/caleol/territoire', import.meta.url));
const GRILLE = readFileSync(new URL('../../data/test/fixtures/caleol/grille.yaml', import.meta.url), 'utf8');
const MAINTENANT = Date.UTC(2026, 0, 15);

describe('the CALEOL over HTTP', () => {
  let t: TestApp;
  const c: Record<string, Client> = {};
  beforeAll(async () => {
    t = await openProductionApp({ dataset: FIXTURE, securite: { maintenant: () => MAINTENANT } });
    for (const who of ['admin', 'epci', 'etat', 'b1', 'b2', 'al', 'prefet', 'evry', 'corbeil', 'lecteur']) c[who] = await login(t.mixite.app, `${who}@mixite.test`);
  }, 120_000);
  afterAll(() => t?.close());

  const liste = (who: string, logement: string, extra: Record<string, unknown> = {}) =>
    (c[who] as Client).request('/api/caleol/liste', jsonBody('POST', { logement_id: logement, date: '2025-06-30', grille: GRILLE, fichier: 'grille.yaml', ...extra }));

  it('gives the EPCI the list of L1 with its effects, the rule and the contingent’s gap', async () => {
    const r = await liste('epci', 'L1');
    expect(r.status, await r.clone().text()).toBe(200);
    const l = listeCaleolSchema.parse(await r.json()) as ListeCaleol;
    expect(l.candidats.map((x) => [x.rang, x.nur, x.note, x.q1, x.effets.hors_qpv_q1, x.effets.prioritaires, x.ajoute_par])).toEqual([
      [1, 'D02', 40, false, false, true, null],
      [2, 'D01', 30, false, false, true, null],
      [3, 'D04', 0, true, true, false, 'q1_hors_qpv'],
    ]);
    expect(l.regles[0]?.message).toContain('D04 remplace D03');
    // non_reserve:B1: 0 priority proposals of 4 in 2025, target 25 %: 2 more needed.
    expect(l.ecart_contingent).toMatchObject({ contingent: 'non_reserve:B1', numerateur: 0, denominateur: 4, cible: 0.25, propositions_prioritaires_manquantes: 2 });
    expect([l.examinees, l.eligibles]).toEqual([7, 5]);
  });

  it('narrows to the perimeter: bailleur its dwellings, réservataire its contingent’s, commune its territory (pseudonyms), lecteur none', async () => {
    expect((await liste('b1', 'L1')).status).toBe(200);
    expect((await liste('b2', 'L1')).status).toBe(403);
    expect((await liste('al', 'L2')).status).toBe(200);
    expect((await liste('al', 'L1')).status).toBe(403);
    expect((await liste('prefet', 'L3')).status).toBe(200);
    expect((await liste('etat', 'L3')).status).toBe(200);
    expect((await liste('corbeil', 'L1')).status).toBe(403);
    expect((await liste('lecteur', 'L1')).status).toBe(403);
    const r = await liste('evry', 'L1');
    expect(r.status).toBe(200);
    const l = listeCaleolSchema.parse(await r.json()) as ListeCaleol;
    expect(l.candidats.every((x) => x.nur.startsWith('PS-'))).toBe(true);
    expect(JSON.stringify(l)).not.toMatch(/"D0\d"|D0\d remplace/);
    const logements = logementsCaleolSchema.parse(await (await (c.b2 as Client).request('/api/caleol/logements')).json());
    expect(logements.logements.map((x) => x.id)).toEqual(['L3']);
    expect(logementsCaleolSchema.parse(await (await (c.epci as Client).request('/api/caleol/logements?recherche=L')).json()).total).toBe(4);
  });

  it('refuses an unknown dwelling, a date before the data, a grid with errors, in French', async () => {
    const inconnu = await liste('epci', 'L99');
    expect(inconnu.status).toBe(404);
    expect(((await inconnu.json()) as { message: string }).message).toContain('logement « L99 » absent de logements.csv');
    const avant = await liste('epci', 'L1', { date: '2019-01-01' });
    expect(avant.status).toBe(400);
    expect(((await avant.json()) as { message: string }).message).toContain('précède les données');
    const grille = await liste('epci', 'L1', { grille: 'nom: X\nversion: 1\ncriteres:\n  - { id: a, libelle: A, points: douze, si: { dalo: true } }\n' });
    expect(grille.status).toBe(422);
    const corps = (await grille.json()) as { details: { ligne?: number }[] };
    expect(corps.details[0]?.ligne).toBe(4);
  });

  it('records a decision: refused to the réservataire and to another bailleur, then the indicators change at once, audited without NUR', async () => {
    const decision = { logement_id: 'L1', date_cal: '2025-06-30', candidats: [{ nur: 'D02', decision: 'attribution', rang: 1 }, { nur: 'D01', decision: 'attribution', rang: 2 }] };
    expect((await (c.al as Client).request('/api/caleol/decisions', jsonBody('POST', decision))).status).toBe(403);
    expect((await (c.b2 as Client).request('/api/caleol/decisions', jsonBody('POST', decision))).status).toBe(403);

    // A bad one (D06 radiated on the day) writes nothing.
    // The warm-up after a write keeps figures and the public edition in the background (issue 18): done first.
    await t.mixite.deps.indicateurs.warmUp();
    const avant = await fingerprint(t.store);
    const mauvaise = await (c.b1 as Client).request('/api/caleol/decisions', jsonBody('POST', { ...decision, candidats: [{ nur: 'D06', decision: 'attribution' }] }));
    expect(mauvaise.status).toBe(400);
    expect(((await mauvaise.json()) as { message: string }).message).toContain('la demande D06 n’est pas active le 2025-06-30');
    expect(await fingerprint(t.store)).toEqual(avant);

    const r = await (c.b1 as Client).request('/api/caleol/decisions', jsonBody('POST', decision));
    expect(r.status, await r.clone().text()).toBe(200);
    const ds = decisionsCaleolSchema.parse(await r.json());
    expect(ds.decisions.map((d) => [d.attribution_id, d.nur, d.issue])).toEqual([
      ['caleol-000001', 'D02', 'en_cours'],
      ['caleol-000002', 'D01', 'non_proposee'],
    ]);
    // D02's proposal (DALO) counts at once: 1 of 5 on non_reserve:B1 (D01, not yet asked, does not).
    const ind = await (c.epci as Client).request('/api/indicateurs?periode=2025&perimetre_type=contingent&indicateur=prioritaires');
    const lignes = (await ind.json()) as { lignes: { perimetre_id: string; numerateur: number; denominateur: number }[] };
    expect(lignes.lignes.find((x) => x.perimetre_id === 'non_reserve:B1')).toMatchObject({ numerateur: 1, denominateur: 5 });

    const bail = await (c.b1 as Client).request('/api/caleol/decisions/caleol-000001/reponse', jsonBody('POST', { issue: 'bail_signe', date_bail: '2025-07-15' }));
    expect(bail.status, await bail.clone().text()).toBe(200);
    const vues = decisionsCaleolSchema.parse(await (await (c.al as Client).request('/api/caleol/decisions')).json());
    expect(vues.decisions).toEqual([]); // L1 is not AL's
    const b1 = decisionsCaleolSchema.parse(await (await (c.b1 as Client).request('/api/caleol/decisions?logement_id=L1')).json());
    expect(b1.decisions.map((d) => [d.nur, d.issue, d.date_bail])).toEqual([
      ['D02', 'bail_signe', '2025-07-15'],
      ['D01', 'non_proposee', null],
    ]);

    const journal = (await (await (c.admin as Client).request('/api/journal?action=decision_caleol')).json()) as { lignes: { objet: string; details: string | null }[] };
    expect(journal.lignes.length).toBe(2);
    expect(JSON.stringify(journal)).not.toMatch(/D0\d/);
  });
});
