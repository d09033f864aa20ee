import type { PublishedIndicatorRow } from '@mixite/core';
import { Store, importDataset } from '@mixite/data';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { construireBilan } from '../src/contenu/construire.ts';
import type { DocumentBilan } from '../src/contenu/modele.ts';
import { booleen, euros, nombre, points, ratio, taux, texte } from '../src/contenu/modele.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';
import { libellePerimetre } from '../src/donnees/publies.ts';
import { ecrireXlsx } from '../src/rendu/xlsx.ts';
import { ecrireXlsxExceljs } from './xlsx-exceljs-reference.ts';

/**
 * Issue 18: the bilan's workbook is written as plain SpreadsheetML (rendu/classeur-ooxml.ts) instead of exceljs. The
 * content must not change: both writers (the former one kept as the oracle, test/xlsx-exceljs-reference.ts) write
 * the same document, both files are read back by exceljs, and every sheet, row, cell value and type, number
 * format, font, alignment, rule, column width, frozen row, link and filter must be the same.
 */

type Lu = Record<string, unknown>;

/** What a reader sees of a workbook, as plain data. */
async function lire(fichier: Buffer): Promise<Lu> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(new Uint8Array(fichier).buffer);
  const police = (f: Partial<ExcelJS.Font> | undefined) =>
    f ? { gras: f.bold === true, italique: f.italic === true, souligne: Boolean(f.underline), taille: f.size ?? null, couleur: f.color?.argb ?? null } : null;
  const feuilles = wb.worksheets.map((ws) => {
    const lignes: Lu[] = [];
    ws.eachRow({ includeEmpty: false }, (row, n) => {
      const cellules: Lu[] = [];
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        const v = cell.value;
        cellules.push({
          c,
          type: cell.type,
          // An internal link: the same target, whether written as a relationship (#'Feuille'!A1) or not.
          valeur: v !== null && typeof v === 'object' && 'hyperlink' in v ? { texte: v.text, lien: v.hyperlink.replace(/^#/, '') } : v,
          format: cell.numFmt ?? null,
          police: police(cell.font),
          alignement: cell.alignment ? { h: cell.alignment.horizontal ?? null, v: cell.alignment.vertical ?? null, retour: cell.alignment.wrapText === true } : null,
          filet: cell.border?.top?.style ?? null,
        });
      });
      lignes.push({ n, police: police(row.font), cellules });
    });
    const largeurs = Array.from({ length: Math.max(ws.columnCount, 2) }, (_, i) => ws.getColumn(i + 1).width ?? null);
    const vue = ws.views?.[0];
    return { nom: ws.name, lignes, largeurs, figees: vue?.state === 'frozen' ? (vue.ySplit ?? 0) : 0, filtre: ws.autoFilter ?? null };
  });
  return { titre: wb.title, auteur: wb.creator, feuilles };
}

const PIEGE = '=HYPERLINK("http://attaquant.example","Essonne Habitat")';

/** Every kind of cell, totals, masks, decimals, formula-like and spaced text, a one-column table, the attention points. */
const DOCUMENT: DocumentBilan = {
  annee: 2024,
  titre: 'Bilan 2024 de la Convention Intercommunale d’Attribution',
  sousTitre: 'Territoire d’essai : évaluation annuelle',
  mentions: ['Territoire : Essai (EPCI 200000000).', 'Secret statistique : « s ».'],
  blocs: [
    { kind: 'titre', niveau: 1, texte: 'Synthèse' },
    {
      kind: 'tableau',
      id: 'objectifs',
      numero: 1,
      titre: 'Objectifs d’attribution : « hors QPV » [Q1] / relogés ? * \\ territoire',
      colonnes: ['Objectif', 'Baux', 'Part', 'Écart', 'Évolution', 'Loyer', 'Délai', 'Atteint'],
      lignes: [
        { cellules: [texte(PIEGE), nombre(1234), taux(0.2512), points(-0.053), { kind: 'variation', valeur: 0.125 }, euros(10234), ratio(3.25), booleen(true)] },
        { cellules: [texte('-1 logement'), nombre(null), taux(null), points(null, false), { kind: 'variation', valeur: -0.02 }, euros(null), ratio(null), booleen(false)] },
        {
          cellules: [texte(' espace en tête'), nombre(0), { kind: 'taux', valeur: 0.80984, decimales: 2 }, { kind: 'points', valeur: -0.00016, decimales: 2 }, nombre(7), euros(0), ratio(0), booleen(null, false)],
        },
        { cellules: [texte('Total'), nombre(1241), taux(0.25), points(0.01), { kind: 'variation', valeur: 0 }, euros(12000), ratio(1.5), booleen(null)], total: true },
      ],
      notes: ['Source : attributions.csv.', '@ note commençant comme une formule'],
    },
    { kind: 'tableau', id: 'une-colonne', numero: 2, titre: 'Une seule colonne', colonnes: ['Commune'], lignes: [{ cellules: [texte('+33 Évry')] }], notes: [] },
    { kind: 'tableau', id: 'attention-alerte', numero: 3, titre: 'Objectifs non atteints', colonnes: ['Objectif', 'Constat'], lignes: [{ cellules: [texte('Hors QPV'), texte('18 % pour 25 %')] }], notes: [] },
    { kind: 'liste', items: [{ texte: 'Un point à surveiller', niveau: 'vigilance' }, { texte: 'Sans niveau' }, { texte: 'Pour information', niveau: 'information' }] },
    { kind: 'tableau', id: 'vide', numero: 4, titre: 'Sans ligne', colonnes: ['A', 'B'], lignes: [], notes: ['Aucune donnée.'] },
  ],
};

const ligne = (r: Partial<PublishedIndicatorRow>): PublishedIndicatorRow =>
  ({ indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: '200000000', periode: '2024', numerateur: 81, denominateur: 100, taux: 0.81, cible: 0.25, ecart: 0.56, atteint: true, secret: null, ...r }) as PublishedIndicatorRow;

const PUBLIES: PublishedIndicatorRow[] = [
  ligne({}),
  // 80,98 % beside a target of 81 %: two decimals.
  ligne({ perimetre_type: 'bailleur', perimetre_id: '=cmd|calc', numerateur: 8098, denominateur: 10000, taux: 0.8098, cible: 0.81, ecart: -0.0002, atteint: false }),
  ligne({ perimetre_type: 'commune', perimetre_id: '91228', numerateur: null, denominateur: null, taux: null, cible: 0.25, ecart: null, atteint: null, secret: 'primaire' }),
  ligne({ indicateur: 'prioritaires', perimetre_type: 'contingent', perimetre_id: 'etat', periode: '2024-S2', numerateur: 3, denominateur: 12, taux: 0.25, cible: null, ecart: null, atteint: null }),
];

const libelle = (r: PublishedIndicatorRow) => (r.perimetre_id === '91228' ? 'Évry-Courcouronnes' : `Périmètre ${r.perimetre_id}`);

describe('the bilan workbook without exceljs (issue 18)', () => {
  it('writes the same workbook as the former exceljs writer: a document with every kind of cell', async () => {
    const nouveau = await lire(await ecrireXlsx(DOCUMENT, PUBLIES, libelle, 20));
    const ancien = await lire(await ecrireXlsxExceljs(DOCUMENT, PUBLIES, libelle, 20));
    expect(nouveau).toEqual(ancien);
    // And what it is, read by hand: the trap stays text, a gap of -0,053 is -5,3 points, 80,98 % keeps two decimals.
    const feuilles = nouveau.feuilles as { nom: string; lignes: { n: number; cellules: { c: number; type: number; valeur: unknown; format: string | null }[] }[] }[];
    const t01 = feuilles.find((f) => f.nom.startsWith('T01 ')) as (typeof feuilles)[number];
    // « T01 » and the title cut at Excel's 31 characters.
    expect(t01.nom).toBe('T01 Objectifs d’attribution « h');
    const a4 = t01.lignes.find((l) => l.n === 4)?.cellules ?? [];
    expect(a4[0]).toMatchObject({ type: ExcelJS.ValueType.String, valeur: PIEGE });
    expect(a4[3]).toMatchObject({ valeur: -5.3, format: '+0.0" pt";-0.0" pt";0.0" pt"' });
    const indicateurs = feuilles.find((f) => f.nom === 'indicateurs') as (typeof feuilles)[number];
    expect(indicateurs.lignes[2]?.cellules[6]).toMatchObject({ valeur: 0.8098, format: '0.00%' });
    expect(indicateurs.lignes[2]?.cellules[2]).toMatchObject({ type: ExcelJS.ValueType.String, valeur: '=cmd|calc' });
  });

  it('writes the same workbook as the former exceljs writer: the bilan of the hand-built territory', async () => {
    const store = await Store.open(':memory:');
    try {
      await importDataset(store, [new URL('./fixtures/territoire', import.meta.url).pathname]);
      const donnees = await collecterDonnees(store, 2024, 3, () => undefined);
      const document = construireBilan(donnees, new Date('2025-02-15T10:00:00Z'));
      const publies = donnees.parAnnee.get(2024)?.publies ?? [];
      expect(publies.length).toBeGreaterThan(0);
      const nom = (r: PublishedIndicatorRow) => libellePerimetre(donnees.referentiel, r.perimetre_type, r.perimetre_id);
      const min = donnees.configuration.effectif_minimum;
      const nouveau = await lire(await ecrireXlsx(document, publies, nom, min));
      expect(nouveau).toEqual(await lire(await ecrireXlsxExceljs(document, publies, nom, min)));
    } finally {
      store.close();
    }
  });
});
