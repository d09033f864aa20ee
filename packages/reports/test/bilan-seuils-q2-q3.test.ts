import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bloc, DocumentBilan, Tableau } from '../src/contenu/modele.ts';
import { texteCellule } from '../src/contenu/modele.ts';
import { bilan2024DuJeu } from './bilan-du-jeu.ts';

/**
 * The bilan when seuils.csv publishes the median and Q3 (issue 17, `seuil_q2`/`seuil_q3`): the mini territory
 * (seuils 2023 → 11 000 €, 2024 → 11 379 €) with 2024's line given a median of 17 000 € and a Q3 of 23 000 €.
 */
const MINI = fileURLToPath(new URL('../../data/test/fixtures/mini', import.meta.url));

let dossier: string;
let avec: DocumentBilan;
let sans: DocumentBilan;

const bilan = bilan2024DuJeu;

beforeAll(async () => {
  dossier = mkdtempSync(join(tmpdir(), 'mixite-bilan-q2q3-'));
  const jeu = join(dossier, 'jeu');
  cpSync(MINI, jeu, { recursive: true });
  const [tete, l2023, l2024] = readFileSync(join(jeu, 'seuils.csv'), 'utf8').trimEnd().split('\n');
  writeFileSync(join(jeu, 'seuils.csv'), `${tete};seuil_q2;seuil_q3\n${l2023};;\n${l2024};17000;23000\n`);
  avec = await bilan(jeu);
  sans = await bilan(MINI);
});
afterAll(() => rmSync(dossier, { recursive: true, force: true }));

const tableau = (d: DocumentBilan, id: string) => d.blocs.find((b: Bloc) => b.kind === 'tableau' && b.id === id) as Tableau | undefined;
const lignes = (t: Tableau | undefined) => (t?.lignes ?? []).map((l) => l.cellules.map((c) => texteCellule(c).replace(/[\u00a0\u202f]/g, ' ')));

describe('le bilan et les seuils Q2 et Q3 publiés', () => {
  it('liste la médiane et le troisième quartile publiés, et dit qu’ils s’appliquent', () => {
    expect(lignes(tableau(avec, 'seuils-q2-q3'))).toEqual([['2024', 'tous', '17 000 €', '23 000 €', 'arrêté du 11 mars 2024']]);
    // The demand-side limits of the mini territory (a handful of requests, secrecy 11) are masked in the public
    // edition, published median included: only the note says which apply (the rule is tested in core and data).
    expect(tableau(avec, 'quartiles-limites')?.notes.join(' ')).toMatch(/ceux de l’arrêté quand il les publie/);
  });

  it('sans ces colonnes, ni tableau ni note', () => {
    expect(tableau(sans, 'seuils-q2-q3')).toBeUndefined();
    expect(tableau(sans, 'quartiles-limites')?.notes.join(' ')).not.toMatch(/ceux de l’arrêté/);
  });
});
