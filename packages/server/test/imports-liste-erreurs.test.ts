import { afterEach, describe, expect, it } from 'vitest';
import type { Televersement } from '../src/contract.ts';
import type { TestApp } from './helpers.ts';
import { login, openProductionApp, openTestApp } from './helpers.ts';

/**
 * The full list of located errors (issue 17): a refused verification whose report lists only the first rows of a
 * check gives a token for the CSV of every error, streamed by GET /api/televersements/{jeton}/erreurs.
 */

/** bailleurs.csv with the mini territory's B1 and B2, then 300 bailleurs of unknown type (lines 4 to 303). */
const MAUVAIS = 300;
function bailleurs(): FormData {
  const lignes = ['id;nom;type', 'B1;Essonne Habitat;oph', 'B2;Les Résidences;esh'];
  // Line 4 carries a formula as its type: the list must neutralise it (a leading quote) when it quotes the value.
  for (let i = 0; i < MAUVAIS; i++) lignes.push(`BX${i};Bailleur ${i};${i === 0 ? '=SOMME(A1)' : `type${i}`}`);
  const form = new FormData();
  form.append('fichiers', new File([`${lignes.join('\n')}\n`], 'bailleurs.csv'));
  return form;
}

/** Splits a CSV of our own writing (`;`, quotes doubled, CRLF). */
function lireCsv(texte: string): string[][] {
  const lignes: string[][] = [];
  let cellule = '';
  let ligne: string[] = [];
  let guillemets = false;
  for (let i = 0; i < texte.length; i++) {
    const ch = texte[i] as string;
    if (guillemets) {
      if (ch === '"' && texte[i + 1] === '"') {
        cellule += '"';
        i++;
      } else if (ch === '"') guillemets = false;
      else cellule += ch;
    } else if (ch === '"') guillemets = true;
    else if (ch === ';') {
      ligne.push(cellule);
      cellule = '';
    } else if (ch === '\r' && texte[i + 1] === '\n') {
      ligne.push(cellule);
      lignes.push(ligne);
      ligne = [];
      cellule = '';
      i++;
    } else cellule += ch;
  }
  return lignes;
}

describe('liste complète des erreurs d’une vérification refusée', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('rend toutes les erreurs localisées en CSV quand le rapport n’en liste qu’une partie', async () => {
    t = await openTestApp();
    const reponse = await t.json<Televersement>('/api/televersements', { method: 'POST', body: bailleurs() });
    expect(reponse.jeton).toBeNull();
    expect(reponse.rapport.statut).toBe('echoue');
    // The report lists fewer rows than there are errors (50 per check), and counts the others.
    expect(reponse.rapport.erreurs.length).toBeLessThan(MAUVAIS);
    expect(reponse.rapport.erreurs.length + reponse.rapport.erreursNonListees).toBe(MAUVAIS);
    expect(reponse.listeComplete).toEqual(expect.any(String));

    const csv = await t.request(`/api/televersements/${reponse.listeComplete}/erreurs`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    // Read as bytes: Response.text() would drop the BOM that Excel needs to read UTF-8.
    const octets = new Uint8Array(await csv.arrayBuffer());
    expect([...octets.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const texte = new TextDecoder('utf-8', { ignoreBOM: true }).decode(octets).slice(1);
    expect(texte.startsWith('severite;fichier;ligne;colonne;valeur;message;cause;lignes_de_la_cause\r\n')).toBe(true);
    const [, ...lignes] = lireCsv(texte);
    // Every error: one row per bad line, lines 4 to 303 (header 1, B1 2, B2 3), all on column type.
    expect(lignes).toHaveLength(MAUVAIS);
    expect(lignes.map((l) => l[2])).toEqual(Array.from({ length: MAUVAIS }, (_, i) => String(i + 4)));
    expect(new Set(lignes.map((l) => `${l[0]} ${l[1]} ${l[3]}`))).toEqual(new Set(['erreur bailleurs.csv type']));
    expect(lignes[0]?.[4]).toBe("'=SOMME(A1)");
    expect(lignes[MAUVAIS - 1]?.[4]).toBe(`type${MAUVAIS - 1}`);
    // Nothing was written: the store still holds the mini territory's 2 bailleurs.
    expect(await t.store.all(`SELECT id FROM bailleurs ORDER BY id`)).toEqual([{ id: 'B1' }, { id: 'B2' }]);
  });

  it('ne donne pas de liste quand le rapport liste déjà tout ; un jeton inconnu est un 404', async () => {
    t = await openTestApp();
    const form = new FormData();
    form.append('fichiers', new File(['id;nom;type\nB1;Essonne Habitat;oph\nB2;Les Résidences;inconnu\n'], 'bailleurs.csv'));
    const reponse = await t.json<Televersement>('/api/televersements', { method: 'POST', body: form });
    expect(reponse.rapport.erreurs).toHaveLength(1);
    expect(reponse.listeComplete).toBeUndefined();
    expect((await t.request('/api/televersements/00000000-0000-0000-0000-000000000000/erreurs')).status).toBe(404);
  });

  it('seul le compte qui a déposé les fichiers lit la liste', async () => {
    t = await openProductionApp();
    const admin = await login(t.mixite.app, 'admin@mixite.test');
    const epci = await login(t.mixite.app, 'epci@mixite.test');
    const reponse = (await (await admin.request('/api/televersements', { method: 'POST', body: bailleurs() })).json()) as Televersement;
    expect((await epci.request(`/api/televersements/${reponse.listeComplete}/erreurs`)).status).toBe(404);
    expect((await admin.request(`/api/televersements/${reponse.listeComplete}/erreurs`)).status).toBe(200);
  });
});
