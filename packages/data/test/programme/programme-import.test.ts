import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Probleme } from '@mixite/core';
import { DonneesInvalidesError } from '@mixite/core';
import { Store, classeurProgramme, importDataset, importerProgramme, lireProgramme } from '@mixite/data';
import { MINI } from '../helpers.ts';

/**
 * The action programme's workbook (issue 19): written here cell by cell with exceljs (not by Mixité's export), read
 * by the import against the mini territory's store (bailleurs B1, B2; réservataires ETAT, AL, C91228).
 */

type Ligne = (string | number | null)[];

const CONVENTION: Ligne[] = [
  ['cle', 'valeur'],
  ['intitule', 'CIA de la CA Test'],
  ['date_debut', '2022-01-01'],
  ['date_fin', '2027-12-31'],
  ['zone_tendue', 'oui'],
  ['bilan_cil', '06-30'],
];

const ENTETE = ['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs'];
const FICHE_1: Ligne = [
  1,
  'Observatoire partagé',
  'Orientation 1 — Connaître',
  'Partager les données',
  'année 1 : Créer le groupe de travail\nannuel : Présenter les chiffres à la CIL',
  'epci',
  'etat\nbailleur:B1\nAORIF',
  'hors_qpv_q1\nprioritaires@contingent:ETAT',
  'Nombre de réunions',
];
const FICHE_2: Ligne = [2, 'Mutations', 'Orientation 2 — Fluidifier', '', '2024 : Bourse d’échange', 'bailleur:B2', 'reservataire:AL', 'mutations', ''];

async function classeur(fiches: Ligne[], convention: Ligne[] = CONVENTION): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const c = wb.addWorksheet('Convention');
  for (const l of convention) c.addRow(l);
  const f = wb.addWorksheet('Fiches');
  f.addRow(ENTETE);
  for (const l of fiches) f.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [MINI]);
});
afterAll(() => store.close());

async function refus(fichier: Buffer): Promise<readonly Probleme[]> {
  const avant = await lireProgramme(store);
  const erreur = await importerProgramme(store, fichier, 'programme.xlsx', { auteur: 'test' }).catch((e: unknown) => e);
  expect(erreur).toBeInstanceOf(DonneesInvalidesError);
  // Nothing loaded: the store holds what it held before.
  expect(await lireProgramme(store)).toEqual(avant);
  return (erreur as DonneesInvalidesError).problemes;
}

describe('import du programme d’actions', () => {
  it('un classeur valide est chargé tel qu’écrit', async () => {
    await importerProgramme(store, await classeur([FICHE_2, FICHE_1]), 'programme.xlsx', { auteur: 'test' });
    const p = await lireProgramme(store);
    expect(p?.convention).toEqual({ intitule: 'CIA de la CA Test', date_debut: '2022-01-01', date_fin: '2027-12-31', zone_tendue: true, bilan_cil: '06-30', arrete_q1: '03-31' });
    expect(p?.fiches.map((f) => f.numero)).toEqual([1, 2]);
    expect(p?.fiches[0]).toEqual({
      numero: 1,
      titre: 'Observatoire partagé',
      orientation: 'Orientation 1 — Connaître',
      enjeux: 'Partager les données',
      etapes: [
        { quand: { genre: 'annee_convention', rang: 1 }, libelle: 'Créer le groupe de travail' },
        { quand: { genre: 'annuel' }, libelle: 'Présenter les chiffres à la CIL' },
      ],
      pilote: { genre: 'epci' },
      partenaires: [{ genre: 'etat' }, { genre: 'bailleur', id: 'B1' }, { genre: 'autre', nom: 'AORIF' }],
      indicateurs: [
        { indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: null },
        { indicateur: 'prioritaires', perimetre_type: 'contingent', perimetre_id: 'ETAT' },
      ],
      indicateurs_qualitatifs: ['Nombre de réunions'],
    });
  });

  it('indicateur inconnu : erreur localisée (feuille, ligne, colonne), rien n’est chargé', async () => {
    const bad: Ligne = [...FICHE_2];
    bad[7] = 'mutations\ntaux_magique';
    const problemes = await refus(await classeur([FICHE_1, bad]));
    expect(problemes).toEqual([
      expect.objectContaining({ fichier: 'programme.xlsx, feuille Fiches', ligne: 3, colonne: 'indicateurs', valeur: 'taux_magique', message: 'indicateur inconnu « taux_magique »' }),
    ]);
  });

  it('une année hors de la convention (2022–2027) : 2028, et « année 7 »', async () => {
    const bad: Ligne = [...FICHE_2];
    bad[4] = '2028 : Trop tard\nannée 7 : Encore trop tard';
    const problemes = await refus(await classeur([bad]));
    expect(problemes.map((p) => [p.ligne, p.colonne, p.valeur, p.message])).toEqual([
      [2, 'etapes', '2028 : Trop tard', 'année 2028 hors de la convention (2022–2027)'],
      [2, 'etapes', 'année 7 : Encore trop tard', 'année 7 de la convention : elle n’en compte que 6 (2022–2027)'],
    ]);
  });

  it('numéros de fiche en double : la seconde ligne est désignée, avec la première', async () => {
    const double: Ligne = [...FICHE_2];
    double[0] = 1;
    const problemes = await refus(await classeur([FICHE_1, FICHE_2, double]));
    expect(problemes.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur, p.message])).toEqual([
      ['programme.xlsx, feuille Fiches', 4, 'numero', '1', 'numéro de fiche en double : déjà donné ligne 2'],
    ]);
  });

  it('un bailleur absent de la base, une date de convention illisible : toutes les erreurs d’un coup', async () => {
    const bad: Ligne = [...FICHE_2];
    bad[5] = 'bailleur:B9';
    const convention = CONVENTION.map((l) => (l[0] === 'date_fin' ? ['date_fin', '2027-02-30'] : l));
    const problemes = await refus(await classeur([bad], convention));
    expect(problemes.map((p) => [p.fichier, p.ligne, p.colonne, p.valeur, p.message])).toEqual([
      ['programme.xlsx, feuille Convention', 4, 'valeur', '2027-02-30', 'date illisible'],
      ['programme.xlsx, feuille Fiches', 2, 'pilote', 'bailleur:B9', 'bailleur inconnu : « B9 » n’est pas dans la base (bailleurs.csv, colonne id)'],
    ]);
  });

  it('un fichier qui n’est pas un classeur est refusé', async () => {
    const problemes = await refus(Buffer.from('numero;titre\n1;x\n'));
    expect(problemes[0]?.message).toMatch(/^classeur illisible/);
  });

  it('aller-retour : exporté en Excel puis réimporté, le programme est inchangé', async () => {
    await importerProgramme(store, await classeur([FICHE_1, FICHE_2]), 'programme.xlsx', { auteur: 'test' });
    const avant = await lireProgramme(store);
    const exporte = await classeurProgramme(avant!);
    const autre = await Store.open(':memory:');
    try {
      await importDataset(autre, [MINI]);
      await importerProgramme(autre, exporte, 'export.xlsx', { auteur: 'test' });
      expect(await lireProgramme(autre)).toEqual(avant);
      // And once more: the second export has the same cells as the first.
      const relu = new ExcelJS.Workbook();
      await relu.xlsx.load((await classeurProgramme((await lireProgramme(autre))!)) as unknown as ArrayBuffer);
      const premier = new ExcelJS.Workbook();
      await premier.xlsx.load(exporte as unknown as ArrayBuffer);
      for (const nom of ['Convention', 'Fiches']) {
        const valeurs = (wb: ExcelJS.Workbook) => (wb.getWorksheet(nom)?.getSheetValues() ?? []).map((r) => (Array.isArray(r) ? r.slice(1) : r));
        expect(valeurs(relu)).toEqual(valeurs(premier));
      }
    } finally {
      autre.close();
    }
  });
});
