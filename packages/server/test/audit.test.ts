import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Configuration, TableauJournal, Televersement } from '../src/contract.ts';
import { describeForLog } from '../src/http/errors.ts';
import type { Client, TestApp } from './helpers.ts';
import { MINI, jsonBody, login, openProductionApp, scalar } from './helpers.ts';

const DAY = 24 * 3_600_000;

describe('audit log', () => {
  let t: TestApp;
  let now: number;
  let admin: Client;
  let epci: Client;
  beforeEach(async () => {
    now = Date.parse('2025-03-01T08:00:00Z');
    t = await openProductionApp({ securite: { maintenant: () => now } });
    admin = await login(t.mixite.app, 'admin@mixite.test');
    epci = await login(t.mixite.app, 'epci@mixite.test');
  });
  afterEach(() => t.close());

  const entries = () =>
    t.store.all<{ utilisateur: string; role: string | null; action: string; objet: string; details: string | null }>(
      `SELECT utilisateur, role, action, objet, details::VARCHAR AS details FROM journal ORDER BY id`,
    );

  it('records who viewed household-level rows, when and what, without any NUR', async () => {
    const b1 = await login(t.mixite.app, 'b1@mixite.test');
    await b1.request('/api/objectifs/prioritaires/attributions?periode=2024&perimetre_type=territoire');
    const [entry] = (await entries()).filter((e) => e.action === 'consultation_menages');
    expect(entry).toMatchObject({ utilisateur: 'b1@mixite.test', role: 'bailleur', objet: 'attributions prioritaires 2024' });
    expect(JSON.parse(entry?.details as string)).toEqual({ perimetre_type: 'territoire', lignes: 1, restriction: 'bailleur Essonne Habitat' });
    expect(await scalar<string>(t.store, `SELECT strftime(date, '%Y-%m-%dT%H:%M') AS v FROM journal WHERE action = 'consultation_menages'`)).toBe('2025-03-01T08:00');
    // No household identifier anywhere in the log.
    const nurs = (await t.store.all<{ nur: string }>(`SELECT nur FROM demandes UNION SELECT nur FROM attributions`)).map((r) => r.nur);
    const text = JSON.stringify(await entries());
    for (const nur of nurs) expect(text).not.toContain(nur);
  });

  it('records the imports, their verification and the changes of settings and thresholds', async () => {
    const form = new FormData();
    form.append('fichiers', new File([readFileSync(join(MINI, 'seuils.csv'), 'utf8').replace('2024;;11379;', '2024;;12000;')], 'seuils.csv'));
    const answer = (await (await epci.request('/api/televersements', { method: 'POST', body: form })).json()) as Televersement;
    expect((await epci.request(`/api/televersements/${answer.jeton}/confirmation`, { method: 'POST' })).status).toBe(200);
    const config = (await (await epci.request('/api/configuration')).json()) as Configuration;
    await epci.request('/api/configuration', jsonBody('PUT', { contenu: { ...config.contenu, cibles: { ...config.contenu.cibles, mutations: 0.4 } } }));
    await epci.request('/api/seuils', jsonBody('PUT', { seuils: [{ annee: 2024, code_epci: null, seuil_q1: 11500, source: null }] }));
    const log = (await entries()).filter((e) => e.utilisateur === 'epci@mixite.test' && e.action !== 'connexion');
    expect(log.map((e) => [e.action, e.objet])).toEqual([
      ['verification_import', 'seuils.csv'],
      ['import', 'import n° 2'],
      ['parametres', 'version 2'],
      ['seuils', 'version 3'],
    ]);
    expect(JSON.parse(log[1]?.details as string)).toEqual({ statut: 'reussi', fichiers: ['seuils.csv (2 lignes)'] });
    // The mini territory's cia.yaml sets no target for mutations: none before, 40 % after (a no-break
    // space before the sign, as French typography writes it).
    expect(JSON.parse(log[2]?.details as string)).toEqual({
      champs_modifies: ['cibles'],
      modifications: ['Objectif « Propositions aux demandeurs de mutation » : aucun objectif → 40\u00a0%'],
    });
    expect(JSON.parse(log[3]?.details as string)).toEqual({ avant: ['2024 : 12000', '2023 : 11000'], apres: ['2024 : 11500'] });
  });

  it('is readable by administrators only, with filters, and the reading is itself logged', async () => {
    expect((await epci.request('/api/journal')).status).toBe(403);
    const journal = (await (await admin.request('/api/journal?action=connexion')).json()) as TableauJournal;
    expect(journal.lignes.map((l) => l.utilisateur)).toEqual(['epci@mixite.test', 'admin@mixite.test']);
    expect(journal.lignes[0]).toMatchObject({ action: 'Connexion', code_action: 'connexion', role: 'EPCI (service habitat)' });
    expect(journal.integre).toBe(true);
    expect(journal.integrite).toMatch(/^intacte \(\d+ entrées, \d+ ancrages\)$/);
    const mine = (await (await admin.request('/api/journal?utilisateur=ADMIN@mixite.test&limite=1')).json()) as TableauJournal;
    expect(mine.lignes).toHaveLength(1);
    expect(mine.lignes[0]?.code_action).toBe('consultation_journal');
    expect((await admin.request('/api/journal?action=effacer')).status).toBe(400);
  });

  it('is append-only: an edited or deleted entry breaks the chain of hashes', async () => {
    await epci.request('/api/objectifs/prioritaires/attributions?periode=2024');
    await epci.request('/api/objectifs/mutations/attributions?periode=2024');
    const integrite = async () => ((await (await admin.request('/api/journal')).json()) as TableauJournal).integrite;
    expect(await integrite()).toMatch(/^intacte/);
    const id = await scalar<number>(t.store, `SELECT min(id)::INTEGER AS v FROM journal WHERE action = 'consultation_menages'`);
    await t.store.run(`UPDATE journal SET utilisateur = 'quelqu’un d’autre' WHERE id = ${id}`);
    expect(await integrite()).toBe(`rompue à l’entrée n° ${id} : l’entrée a été modifiée, ou son empreinte recalculée sans la clé du journal`);
    await t.store.run(`DELETE FROM journal WHERE id = ${id}`);
    expect(await integrite()).toBe(`rompue à l’entrée n° ${id + 1} : le chaînage est interrompu : une entrée a été retirée, insérée ou déplacée juste avant`);
  });

  it('keeps the log for the retention period, then purges the oldest entries and says so', async () => {
    await epci.request('/api/objectifs/prioritaires/attributions?periode=2024');
    const before = await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM journal`);
    now += 364 * DAY;
    expect((await t.mixite.deps.conservation.appliquer()).journal).toBe(0);
    now += 2 * DAY;
    // The household rows of 2024 are kept (six years by default).
    expect(await t.mixite.deps.conservation.appliquer()).toEqual({ journal: before, attributions: 0, demandes: 0 });
    const rows = await entries();
    expect(rows.map((r) => r.action)).toEqual(['purge']);
    expect(JSON.parse(rows[0]?.details as string)).toEqual({ entrees: before, conservation_jours: 365 });
    expect((await t.mixite.deps.audit.journal.verifier()).intacte).toBe(true);
  });

  it('deletes household rows past their retention period in production, keeping active requests', async () => {
    const active = await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM demandes WHERE statut = 'active'`);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM attributions`)).toBe(3);
    now = Date.parse('2030-06-01T00:00:00Z');
    expect(t.mixite.deps.conservation.dateLimiteMenages()).toBe('2024-01-01');
    expect((await t.mixite.deps.conservation.appliquer()).attributions).toBe(0);
    now = Date.parse('2031-01-02T00:00:00Z');
    const bilan = await t.mixite.deps.conservation.appliquer();
    expect(bilan.attributions).toBe(3);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM attributions`)).toBe(0);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM demandes WHERE statut = 'active'`)).toBe(active);
    expect(await scalar<number>(t.store, `SELECT count(*)::INTEGER AS v FROM demandes WHERE statut <> 'active' AND date_radiation < '2025-01-01'`)).toBe(0);
    const purge = await scalar<string>(t.store, `SELECT details::VARCHAR AS v FROM journal WHERE action = 'purge' AND objet = 'données des ménages'`);
    expect(JSON.parse(purge)).toMatchObject({ attributions: 3, avant: '2025-01-01', conservation_ans: 6 });
  });

  it('writes no error message to the server’s output, only its kind and where it was thrown', () => {
    const error = new Error('Conversion Error: could not convert « 0912023000001 » for household resources 1 500');
    const text = describeForLog(error, {});
    expect(text).toContain('Error');
    expect(text).toContain('audit.test.ts');
    expect(text).not.toContain('0912023000001');
  });
});
