import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEME } from '../src/http/viewer.ts';
import type { TestApp } from './helpers.ts';
import { openProductionApp } from './helpers.ts';

/**
 * The audit log's writers and the readers of the store (issue 15, the CALEOL list's tail): an entry is written beside
 * the reads in flight instead of waiting for all of them (a year's indicators computed in the background held a
 * list's entry for seconds), and concurrent entries still form one chain, checked by the log's own verification.
 */
describe('audit log written beside the readers', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await openProductionApp();
  });
  afterEach(() => t.close());

  it('writes entries while a long read holds the store, in one unbroken chain', async () => {
    const { lock, audit } = t.mixite.deps;
    const [{ avant } = { avant: 0 }] = await t.store.all<{ avant: number }>(`SELECT count(*)::INTEGER AS avant FROM journal`);
    let liberer = (): void => undefined;
    const lecture = lock.read(() => new Promise<void>((resolve) => (liberer = resolve)));
    // Six entries and a checkpoint at once, while the reader above has not finished.
    const ecritures = Promise.all([
      ...[1, 2, 3, 4, 5, 6].map((i) => audit.ecrire(SYSTEME, 'consultation_menages', `liste CALEOL n° ${i}`, { candidats: 3 })),
      audit.pointDeControle(),
    ]);
    const issue = await Promise.race([ecritures.then(() => 'écrites'), new Promise((r) => setTimeout(() => r('en attente du lecteur'), 10_000))]);
    liberer();
    await lecture;
    await ecritures;
    expect(issue).toBe('écrites');
    const lignes = await t.store.all<{ objet: string }>(`SELECT objet FROM journal WHERE action = 'consultation_menages' ORDER BY id`);
    expect(lignes.map((l) => l.objet).sort()).toEqual([1, 2, 3, 4, 5, 6].map((i) => `liste CALEOL n° ${i}`));
    const [{ apres } = { apres: 0 }] = await t.store.all<{ apres: number }>(`SELECT count(*)::INTEGER AS apres FROM journal`);
    expect(apres).toBe(avant + 6);
    const verification = await audit.verifier();
    expect(verification).toMatchObject({ intacte: true, entrees: avant + 6 });
  });
});
