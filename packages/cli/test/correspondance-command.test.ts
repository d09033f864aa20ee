import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, importDataset, loadMapping } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EXTRACTIONS } from '../../core/src/correspondance/extractions.test-data.ts';
import { correspondanceCommand } from '../src/commands/correspondance.ts';

/**
 * `mixite correspondance proposer` on a bailleur's demand export written for the tests (its own labels, `;`,
 * Windows-1252 like a spreadsheet's « CSV » save), then the draft used as is by the importer: save → reuse round trip.
 */
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
const BAILLEUR = EXTRACTIONS[2];
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'mixite-correspondance-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function lancer(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const error = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => {
    stderr += `${m.join(' ')}\n`;
  });
  try {
    return { code: await correspondanceCommand(args), stdout, stderr };
  } finally {
    out.mockRestore();
    error.mockRestore();
  }
}

describe('mixite correspondance proposer', () => {
  it('écrit un brouillon que l’import utilise tel quel : les demandes sont lues comme le format les attend', async () => {
    const source = join(work, 'export_bailleur_2024.csv');
    writeFileSync(source, Buffer.from(BAILLEUR?.csv ?? '', 'latin1'));
    const yaml = join(work, 'bailleur.yaml');
    const { code, stderr } = await lancer('proposer', source, '--nom', 'Export du bailleur', '--out', yaml);
    expect(code).toBe(0);
    // Every header but « Observations » has a column in the reviewer's choice (19 of 20).
    const attendues = Object.values(BAILLEUR?.attendu ?? {}).filter((c) => c !== null).length;
    expect(stderr).toContain(`${attendues} en-tête(s) sur 20`);
    const texte = readFileSync(yaml, 'utf8');
    expect(texte).toContain('"Déposée le": date_depot');
    expect(texte).toContain('# "Observations": ?');

    // Reuse: the saved mapping names the file by its pattern, the importer maps headers and codes.
    const mapping = loadMapping(yaml);
    expect(mapping.nom).toBe('Export du bailleur');
    const jeu = join(work, 'jeu');
    cpSync(MINI, jeu, { recursive: true });
    rmSync(join(jeu, 'demandes.csv'));
    rmSync(join(jeu, 'attributions.csv'));
    cpSync(source, join(jeu, 'export_bailleur_2024.csv'));
    const store = await Store.open(':memory:');
    try {
      const report = await importDataset(store, [jeu], { correspondance: mapping });
      expect(report.statut).toBe('reussi');
      const rows = await store.all<{ nur: string; statut: string; ressources: number; composition: string; logement: string; mutation: boolean }>(
        `SELECT nur, statut, ressources_mensuelles::DOUBLE AS ressources, composition, logement_actuel AS logement, mutation FROM demandes ORDER BY nur`,
      );
      // The five rows of the export: « attribuée » → attribuee, « 1 500,00 » → 1500, « Hébergé chez un tiers » → heberge_tiers.
      expect(rows).toHaveLength(5);
      expect(rows.find((r) => r.nur === '0912023000001')).toEqual({ nur: '0912023000001', statut: 'attribuee', ressources: 1500, composition: 'monoparentale', logement: 'heberge_tiers', mutation: false });
      expect(rows.find((r) => r.nur === '0912024000004')).toMatchObject({ statut: 'radiee', composition: 'couple', logement: 'proprietaire' });
    } finally {
      store.close();
    }
  });

  it('refuse une sous-commande ou un fichier du format inconnus, en français', async () => {
    await expect(lancer('deviner', 'x.csv')).rejects.toThrow('sous-commande inconnue « deviner » : proposer');
    await expect(lancer('proposer', 'x.csv', '--fichier', 'menages')).rejects.toThrow('« menages » n’est pas un fichier du format');
  });
});
