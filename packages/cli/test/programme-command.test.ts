import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Store, importDataset, lireProgramme } from '@mixite/data';
import { calendrierCommand } from '../src/commands/calendrier.ts';
import { programmeCommand } from '../src/commands/programme.ts';

/**
 * `mixite programme importer/exporter` and `mixite calendrier`, in-process, on a base holding the mini territory
 * (bailleurs B1, B2) and a programme workbook written here with exceljs.
 */

const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));
let work: string;
let base: string;

async function lancer(commande: (args: string[]) => Promise<number>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const error = vi.spyOn(console, 'error').mockImplementation((...m: unknown[]) => {
    stderr += `${m.join(' ')}\n`;
  });
  try {
    return { code: await commande(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    error.mockRestore();
  }
}

async function classeur(chemin: string, fiches: (string | number)[][]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const c = wb.addWorksheet('Convention');
  for (const l of [
    ['cle', 'valeur'],
    ['intitule', 'CIA Mini'],
    ['date_debut', '2023-01-01'],
    ['date_fin', '2028-12-31'],
    ['bilan_cil', '05-31'],
  ]) {
    c.addRow(l);
  }
  const f = wb.addWorksheet('Fiches');
  f.addRow(['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs']);
  for (const l of fiches) f.addRow(l);
  writeFileSync(chemin, Buffer.from(await wb.xlsx.writeBuffer()));
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mixite-programme-cli-'));
  base = join(work, 'base.duckdb');
  const store = await Store.open(base);
  await importDataset(store, [MINI]);
  store.close();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mixite programme et mixite calendrier', () => {
  it('un classeur fautif est refusé, erreurs localisées, rien n’est chargé', async () => {
    const fichier = join(work, 'faux.xlsx');
    await classeur(fichier, [
      [1, 'Observatoire', 'O1', '', '2030 : Trop tard', 'epci', '', 'hors_qpv_q1', ''],
      [1, 'Doublon', 'O1', '', '', 'epci', '', '', ''],
    ]);
    const { code, stderr } = await lancer(programmeCommand, 'importer', fichier, '--base', base);
    expect(code).toBe(1);
    expect(stderr).toBe(
      [
        'faux.xlsx, feuille Fiches, ligne 2, colonne etapes : valeur « 2030 : Trop tard » — année 2030 hors de la convention (2023–2028) (attendu : une année de 2023 à 2028)',
        'faux.xlsx, feuille Fiches, ligne 3, colonne numero : valeur « 1 » — numéro de fiche en double : déjà donné ligne 2',
        'Programme d’actions refusé : 2 erreurs. La base n’a pas été modifiée.',
        '',
      ].join('\n'),
    );
    const store = await Store.open(base);
    expect(await lireProgramme(store)).toBeNull();
    store.close();
  });

  it('importe, exporte, le calendrier en csv et en ics', async () => {
    const fichier = join(work, 'programme.xlsx');
    await classeur(fichier, [
      [1, 'Observatoire', 'O1', '', 'année 2 : Publier le premier tableau de bord\n2024-03-15 : Groupe de travail', 'epci', 'bailleur:B1', 'hors_qpv_q1', ''],
      [2, 'Mutations', 'O2', '', 'annuel : Bilan des échanges', 'bailleur:B2', '', '', ''],
    ]);
    expect((await lancer(programmeCommand, 'importer', fichier, '--base', base)).code).toBe(0);

    const export1 = join(work, 'export.xlsx');
    expect((await lancer(programmeCommand, 'exporter', '--out', export1, '--base', base)).code).toBe(0);
    expect((await lancer(programmeCommand, 'importer', export1, '--base', base, '--verifier')).stderr).toMatch(/^Programme valide \(rien n’a été chargé\) : « CIA Mini »/);

    // By hand for 2024 (convention 2023–2028, not in a tense zone, arrêté check at the default 31/03, CIL on 31/05):
    // 15/01 and 15/07 transmissions, 28/02 flux bilan, 15/03 dated step, 31/03 arrêté, 31/05 bilan 2023,
    // 31/12 « année 2 » (2023 + 1) of fiche 1 then the « annuel » step of fiche 2.
    const { code, stdout } = await lancer(calendrierCommand, '--base', base, '--annee', '2024');
    expect(code).toBe(0);
    const lignes = stdout.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lignes.map((l) => l.split(';').slice(0, 2).join(';'))).toEqual([
      'date;obligation',
      '2024-01-15;Transmission au préfet par chaque bailleur des attributions du second semestre 2023 (données arrêtées au 31/12/2023)',
      '2024-02-28;Bilan 2023 de la gestion en flux : chaque bailleur l’adresse à chaque réservataire',
      '2024-03-15;Fiche 1 — Groupe de travail',
      '2024-03-31;Seuil du premier quartile 2024 : vérifier la parution de l’arrêté annuel et saisir le seuil (seuils.csv)',
      '2024-05-31;Bilan annuel 2023 de la convention présenté à la Conférence intercommunale du logement',
      '2024-07-15;Transmission au préfet par chaque bailleur des attributions du premier semestre 2024 (données arrêtées au 30/06/2024)',
      '2024-12-31;Fiche 1 — Publier le premier tableau de bord',
      '2024-12-31;Fiche 2 — Bilan des échanges',
    ]);
    expect(lignes[3]).toBe('2024-03-15;Fiche 1 — Groupe de travail;Fiche action 1 « Observatoire » (pilote : epci)');

    const ics = join(work, 'obligations.ics');
    expect((await lancer(calendrierCommand, '--base', base, '--annee', '2024', '--format', 'ics', '--out', ics)).code).toBe(0);
    const evenements = new ICAL.Component(ICAL.parse(readFileSync(ics, 'utf8'))).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(evenements.map((e) => e.startDate.toString())).toEqual(['2024-01-15', '2024-02-28', '2024-03-15', '2024-03-31', '2024-05-31', '2024-07-15', '2024-12-31', '2024-12-31']);
  });

  it('mauvais format : refusé avec les formats possibles', async () => {
    await expect(lancer(calendrierCommand, '--base', base, '--annee', '2024', '--format', 'pdf')).rejects.toThrow('format inconnu « pdf » : csv ou ics');
  });
});
