import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store, creerEngagement, importDataset } from '@mixite/data';
import { calendrierCommand } from '../src/commands/calendrier.ts';

/**
 * `mixite calendrier` dates the partners' commitments of the base (issue 19) besides the law's obligations: on the
 * mini territory without a programme, 2024 holds the three obligations the law dates without a convention
 * (15/01, 28/02, 15/07), then the commitment due on 15/07/2024 — not the one due in 2025, nor the one without a date.
 */
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
let work: string;
let base: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mixite-calendrier-engagements-'));
  base = join(work, 'base.duckdb');
  const store = await Store.open(base);
  await importDataset(store, [MINI]);
  const signe = { auteur: 'test' };
  const engagement = { fiche: null, statut: 'a_tenir', quantifie: null } as const;
  await creerEngagement(store, { ...engagement, partenaire: 'bailleur:B1', libelle: 'Transmettre le tableau des pratiques', echeance: '2024-07-15' }, signe);
  await creerEngagement(store, { ...engagement, partenaire: 'SIAO', libelle: 'Notes sociales', echeance: '2025-01-31' }, signe);
  await creerEngagement(store, { ...engagement, partenaire: 'etat', libelle: 'Sans échéance', echeance: null }, signe);
  store.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mixite calendrier et les engagements des partenaires', () => {
  it('ajoute les engagements dus dans l’année, après les obligations du même jour', async () => {
    let stdout = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await calendrierCommand(['--base', base, '--annee', '2024'])).toBe(0);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const lignes = stdout.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lignes.map((l) => l.split(';').slice(0, 2).join(';'))).toEqual([
      'date;obligation',
      '2024-01-15;Transmission au préfet par chaque bailleur des attributions du second semestre 2023 (données arrêtées au 31/12/2023)',
      '2024-02-28;Bilan 2023 de la gestion en flux : chaque bailleur l’adresse à chaque réservataire',
      '2024-07-15;Transmission au préfet par chaque bailleur des attributions du premier semestre 2024 (données arrêtées au 30/06/2024)',
      '2024-07-15;Engagement de bailleur:B1 — Transmettre le tableau des pratiques',
    ]);
    expect(lignes[4]).toBe('2024-07-15;Engagement de bailleur:B1 — Transmettre le tableau des pratiques;Engagement des partenaires de la convention');
  });
});
