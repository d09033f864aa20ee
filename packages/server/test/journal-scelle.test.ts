import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, importDataset } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TableauJournal } from '../src/contract.ts';
import { ConfigurationInvalideError } from '../src/securite.ts';
import { startServer } from '../src/start.ts';
import { ACCOUNTS, MINI, MOT_DE_PASSE, createAccounts, scalar, sessionCookie } from './helpers.ts';

/**
 * The audit log against someone who can write the store file but holds neither the key nor the anchors file (kept
 * beside the store here, as by default; MIXITE_CLE_JOURNAL puts them elsewhere). Each attack is made on a copy of a
 * store written by the real server, with plain SQL, then the real server is started on it: its start log and the
 * journal page must say the log was altered, and where.
 */
interface Entry {
  id: number;
  date: string;
  utilisateur_id: number | null;
  utilisateur: string;
  role: string | null;
  action: string;
  objet: string;
  details: string | null;
  precedente: string;
  empreinte: string;
}

const ORIGINE = '0'.repeat(64);
const fields = (e: Entry) => JSON.stringify([e.id, e.date, e.utilisateur_id, e.utilisateur, e.role, e.action, e.objet, e.details]);
/** The hash of the earlier, unkeyed versions (and of anyone without the key): SHA-256 of the previous hash and the fields. */
const sha = (previous: string, e: Entry) => createHash('sha256').update(`${previous}\n${fields(e)}`).digest('hex');
const hmac = (key: Buffer) => (previous: string, e: Entry) => createHmac('sha256', key).update(`${previous}\n${fields(e)}`).digest('hex');

const readEntries = (store: Store) =>
  store.all<Entry>(
    `SELECT id::INTEGER AS id, strftime(date, '%Y-%m-%d %H:%M:%S.%g') AS date, utilisateur_id, utilisateur, role, action, objet,
            details::VARCHAR AS details, precedente, empreinte FROM journal ORDER BY id`,
  );

/** Rewrites every hash from the first entry on, as an attacker would after an edit. */
async function recompute(store: Store, hash: (previous: string, e: Entry) => string): Promise<void> {
  let previous: string | null = null;
  for (const e of await readEntries(store)) {
    const precedente: string = previous ?? e.precedente;
    const empreinte = hash(precedente, e);
    await store.run(`UPDATE journal SET precedente = $1, empreinte = $2 WHERE id = $3`, [precedente, empreinte, e.id]);
    previous = empreinte;
  }
}

describe('tamper-evident audit log (real store, real server)', () => {
  let dir: string;
  let pristine: string;
  let ids: number[];

  const keyOf = (base: string) => base.replace(/\.duckdb$/, '.cle-journal');
  /** A copy of the pristine store with its key and anchors, to attack. */
  const copy = (name: string): string => {
    const base = join(dir, `${name}.duckdb`);
    copyFileSync(pristine, base);
    copyFileSync(keyOf(pristine), keyOf(base));
    chmodSync(keyOf(base), 0o600);
    copyFileSync(`${keyOf(pristine)}.ancres`, `${keyOf(base)}.ancres`);
    return base;
  };
  const tamper = async (base: string, work: (store: Store) => Promise<void>) => {
    const store = await Store.open(base);
    try {
      await work(store);
    } finally {
      store.close();
    }
  };

  /** Starts the real server on `base`; returns its start log and the journal page's verdict as an administrator sees it. */
  async function check(base: string): Promise<{ log: string; integre: boolean; integrite: string }> {
    const messages: string[] = [];
    const server = await startServer({ port: 0, basePath: base, securite: { mode: 'production', conservationMenagesAnnees: null }, webDist: null, log: (m) => messages.push(m) });
    try {
      const login = await fetch(`${server.url}api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@mixite.test', mot_de_passe: MOT_DE_PASSE }) });
      expect(login.status).toBe(200);
      const journal = (await (await fetch(`${server.url}api/journal`, { headers: { cookie: sessionCookie(login) as string } })).json()) as TableauJournal;
      return { log: messages.join('\n'), integre: journal.integre, integrite: journal.integrite };
    } finally {
      await server.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-journal-'));
    pristine = join(dir, 'origine.duckdb');
    const store = await Store.open(pristine);
    await importDataset(store, [MINI], { auteur: 'test' });
    await createAccounts(store, ACCOUNTS.slice(0, 4));
    store.close();
    // Entries written by the server: logins, household-level reads, journal readings.
    const server = await startServer({ port: 0, basePath: pristine, securite: { mode: 'production', conservationMenagesAnnees: null }, webDist: null, log: () => {} });
    for (const email of ['epci@mixite.test', 'b1@mixite.test', 'admin@mixite.test']) {
      const login = await fetch(`${server.url}api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, mot_de_passe: MOT_DE_PASSE }) });
      const cookie = sessionCookie(login) as string;
      await fetch(`${server.url}api/objectifs/prioritaires/attributions?periode=2024`, { headers: { cookie } });
      if (email === 'admin@mixite.test') await fetch(`${server.url}api/journal`, { headers: { cookie } });
    }
    ids = (await server.store.all<{ id: number }>(`SELECT id::INTEGER AS id FROM journal ORDER BY id`)).map((r) => r.id);
    await server.close();
  }, 120_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the key outside the store, readable by its owner only, and verifies an untouched log', async () => {
    expect(statSync(keyOf(pristine)).mode & 0o777).toBe(0o600);
    expect(readFileSync(keyOf(pristine), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(ids.length).toBeGreaterThanOrEqual(10);
    const base = copy('intact');
    const verdict = await check(base);
    expect(verdict.integre).toBe(true);
    expect(verdict.integrite).toMatch(/^intacte \(\d+ entrées, \d+ ancrages\)$/);
    expect(verdict.log).toContain('Journal d’audit vérifié : chaîne intacte');
  });

  it('detects an entry edited and the chain recomputed with the unkeyed algorithm of earlier versions', async () => {
    const base = copy('sha');
    const target = ids[3] as number;
    await tamper(base, async (store) => {
      await store.run(`UPDATE journal SET utilisateur = 'quelqu’un d’autre' WHERE id = $1`, [target]);
      await recompute(store, sha);
      // The chain is consistent again, as far as SHA-256 goes.
      const rows = await readEntries(store);
      for (const [i, e] of rows.entries()) if (i > 0) expect(e.precedente).toBe(rows[i - 1]?.empreinte);
    });
    const verdict = await check(base);
    expect(verdict.integre).toBe(false);
    // The first entry recomputed is the first one the key rejects.
    expect(verdict.integrite).toContain(`rompue à l’entrée n° ${ids[0]} : l’entrée a été modifiée, ou son empreinte recalculée sans la clé`);
    expect(verdict.log).toContain('ALERTE : le journal d’audit a été altéré');
  });

  it('detects an entry edited and the chain recomputed with a key of the attacker’s', async () => {
    const base = copy('autre-cle');
    await tamper(base, async (store) => {
      await store.run(`UPDATE journal SET details = '{"lignes": 0}' WHERE id = $1`, [ids[5] as number]);
      await recompute(store, hmac(randomBytes(32)));
    });
    const verdict = await check(base);
    expect(verdict.integre).toBe(false);
    expect(verdict.integrite).toContain(`rompue à l’entrée n° ${ids[0]}`);
  });

  it('detects an entry edited in place (its hash left as it was)', async () => {
    const base = copy('edition');
    await tamper(base, (store) => store.run(`UPDATE journal SET objet = 'rien' WHERE id = $1`, [ids[4] as number]));
    expect((await check(base)).integrite).toContain(`rompue à l’entrée n° ${ids[4]} : l’entrée a été modifiée`);
  });

  it('detects the newest entries deleted (the head), though what is left still chains', async () => {
    const base = copy('tete');
    const last = ids[ids.length - 1] as number;
    await tamper(base, (store) => store.run(`DELETE FROM journal WHERE id >= $1`, [ids[ids.length - 3] as number]));
    const verdict = await check(base);
    expect(verdict.integre).toBe(false);
    expect(verdict.integrite).toMatch(new RegExp(`rompue à l’entrée n° \\d+ : l’entrée, ancrée le .*, a disparu : les entrées les plus récentes ont été retirées`));
    expect(Number(/n° (\d+)/.exec(verdict.integrite)?.[1])).toBeLessThanOrEqual(last);
  });

  it('detects the oldest entries deleted (the tail) outside a retention purge', async () => {
    const base = copy('queue');
    await tamper(base, (store) => store.run(`DELETE FROM journal WHERE id <= $1`, [ids[1] as number]));
    const verdict = await check(base);
    expect(verdict.integrite).toBe(`rompue à l’entrée n° ${ids[2]} : des entrées plus anciennes ont été retirées hors d’une purge de conservation`);
  });

  it('detects the oldest entries deleted and the new first one rechained to the origin', async () => {
    const base = copy('queue-origine');
    await tamper(base, async (store) => {
      await store.run(`DELETE FROM journal WHERE id <= $1`, [ids[1] as number]);
      await store.run(`UPDATE journal SET precedente = $1 WHERE id = $2`, [ORIGINE, ids[2] as number]);
    });
    expect((await check(base)).integrite).toContain(`rompue à l’entrée n° ${ids[2]} : l’entrée a été modifiée`);
  });

  it('detects two entries swapped (each keeps its id, contents exchanged)', async () => {
    const base = copy('ordre');
    const [a, b] = [ids[2] as number, ids[6] as number];
    await tamper(base, async (store) => {
      const cols = `date, utilisateur_id, utilisateur, role, action, objet, details, precedente, empreinte`;
      await store.run(`CREATE TEMP TABLE x AS SELECT id, ${cols} FROM journal WHERE id IN ($1, $2)`, [a, b]);
      await store.run(`DELETE FROM journal WHERE id IN ($1, $2)`, [a, b]);
      await store.run(`INSERT INTO journal SELECT CASE id WHEN $1 THEN $2 ELSE $1 END, ${cols} FROM x`, [a, b]);
    });
    const verdict = await check(base);
    expect(verdict.integre).toBe(false);
    expect(verdict.integrite).toContain(`rompue à l’entrée n° ${a}`);
  });

  it('detects an entry deleted in the middle', async () => {
    const base = copy('milieu');
    await tamper(base, (store) => store.run(`DELETE FROM journal WHERE id = $1`, [ids[4] as number]));
    expect((await check(base)).integrite).toBe(`rompue à l’entrée n° ${ids[5]} : le chaînage est interrompu : une entrée a été retirée, insérée ou déplacée juste avant`);
  });

  it('detects the whole log emptied, and an anchors file removed or forged', async () => {
    const vide = copy('vide');
    await tamper(vide, (store) => store.run(`DELETE FROM journal`));
    const emptied = await check(vide);
    // Seen empty at start; by the time the page is read, the administrator's login started a new chain.
    expect(emptied.log).toMatch(/ALERTE .* chaîne rompue : le journal a été vidé \(il allait au moins jusqu’à l’entrée n° \d+/);
    expect(emptied.integrite).toMatch(/^rompue à l’entrée n° \d+ : l’entrée, ancrée le .*, a disparu/);

    const sansAncres = copy('sans-ancres');
    unlinkSync(`${keyOf(sansAncres)}.ancres`);
    expect((await check(sansAncres)).integrite).toMatch(/^rompue : le fichier d’ancrage .* a disparu$/);

    const forgee = copy('ancre-forgee');
    appendFileSync(`${keyOf(forgee)}.ancres`, `${JSON.stringify({ date: '2030-01-01T00:00:00.000Z', evenement: 'purge', tete: null, plancher: 'f'.repeat(64), mac: '0'.repeat(64) })}\n`);
    expect((await check(forgee)).integrite).toMatch(/^rompue : la ligne \d+ du fichier d’ancrage .* a été modifiée ou ajoutée sans la clé$/);
  });

  it('refuses to start in production without the key, with a French message saying what to do', async () => {
    const base = copy('sans-cle');
    unlinkSync(keyOf(base));
    const start = startServer({ port: 0, basePath: base, securite: { mode: 'production' }, webDist: null, log: () => {} });
    await expect(start).rejects.toThrow(ConfigurationInvalideError);
    await expect(start).rejects.toThrow(/La clé du journal d’audit est introuvable .*npx mixite journal cle.*restaurez-la depuis votre sauvegarde/);
  });

  it('seals a log written unkeyed by an earlier version once, and still detects edits of its old entries', async () => {
    const base = join(dir, 'ancien.duckdb');
    copyFileSync(pristine, base);
    // The store of an earlier version: no key, no anchors, every hash the unkeyed SHA-256 from the origin.
    await tamper(base, async (store) => {
      const [first] = await readEntries(store);
      await store.run(`UPDATE journal SET precedente = $1 WHERE id = $2`, [ORIGINE, first?.id as number]);
      await recompute(store, sha);
    });
    const cle = join(dir, 'ailleurs', 'journal.cle');
    expect(existsSync(cle)).toBe(false);
    // The key is created by the command line, as on a server upgraded from an earlier version (here at MIXITE_CLE_JOURNAL).
    const { creerCle } = await import('../src/services/scellement-journal.ts');
    creerCle(cle);
    const messages: string[] = [];
    const server = await startServer({ port: 0, basePath: base, cleJournal: cle, securite: { mode: 'production', conservationMenagesAnnees: null }, webDist: null, log: (m) => messages.push(m) });
    const entries = ids.length;
    try {
      expect(messages.join('\n')).toContain(`Journal d’audit vérifié : chaîne intacte (${entries + 1} entrées, 1 ancrage, dont ${entries} antérieures au scellement)`);
      const reprise = await scalar<string>(server.store, `SELECT details::VARCHAR AS v FROM journal WHERE action = 'chaine_reprise'`);
      expect(JSON.parse(reprise)).toEqual({ entrees_anterieures: entries, premiere: ids[0], derniere: ids[entries - 1], verification_anterieure: 'intacte' });
    } finally {
      await server.close();
    }
    // Editing an old (unkeyed) entry and recomputing the unkeyed chain breaks the link the sealing entry's HMAC holds.
    await tamper(base, async (store) => {
      await store.run(`UPDATE journal SET utilisateur = 'x' WHERE id = $1`, [ids[2] as number]);
      let previous = ORIGINE;
      for (const e of await readEntries(store)) {
        if (e.action === 'chaine_reprise') break;
        const empreinte = sha(previous, e);
        await store.run(`UPDATE journal SET precedente = $1, empreinte = $2 WHERE id = $3`, [previous, empreinte, e.id]);
        previous = empreinte;
      }
    });
    const after = await startServer({ port: 0, basePath: base, cleJournal: cle, securite: { mode: 'production', conservationMenagesAnnees: null }, webDist: null, log: (m) => messages.push(m) });
    await after.close();
    expect(messages.at(-1)).toMatch(/^ALERTE : le journal d’audit a été altéré hors de l’application — chaîne rompue à l’entrée n° \d+ : le chaînage est interrompu/);
  });
});
