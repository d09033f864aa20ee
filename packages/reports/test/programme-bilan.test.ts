import ExcelJS from 'exceljs';
import type { Cellule, Tableau } from '../src/contenu/modele.ts';
import { Store, ajouterCommentaire, calculerIndicateurs, configurationCourante, definirStatut, importDataset, importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { construireBilan } from '../src/contenu/construire.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The bilan's section « Mise en œuvre du programme d’actions » (issue 19) on the bilan's hand-made territory
 * (fixtures/territoire, README.md; secret_statistique 3): fiche 1 links hors_qpv_q1 on the territory and
 * prioritaires on contingent ETAT. Its table must print, year by year, the very rows of the indicator engine.
 * By hand (README): 2023, 12 leases outside QPV of which 3 Q1 (ETAT: 2 in S1, 1 in S2) = 25 %.
 */
const FIXTURE = new URL('./fixtures/territoire/', import.meta.url).pathname;

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
  const wb = new ExcelJS.Workbook();
  const conv = wb.addWorksheet('Convention');
  for (const l of [['cle', 'valeur'], ['intitule', 'CIA du Val'], ['date_debut', '2023-01-01'], ['date_fin', '2028-12-31']]) conv.addRow(l);
  const f = wb.addWorksheet('Fiches');
  f.addRow(['numero', 'titre', 'orientation', 'enjeux', 'etapes', 'pilote', 'partenaires', 'indicateurs', 'indicateurs_qualitatifs']);
  f.addRow([1, 'Loger le premier quartile hors QPV', 'Orientation 1', '', 'annuel : Bilan à la CIL', 'epci', 'bailleur:B2', 'hors_qpv_q1\nprioritaires@contingent:ETAT', 'Réunions tenues']);
  f.addRow([2, 'Commission de coordination', 'Orientation 2', '', '', 'epci', '', '', '']);
  await importerProgramme(store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
  await definirStatut(store, 1, 2024, 'en_cours', { auteur: 'Agent EPCI', role: 'epci', date: '2024-03-01T10:00:00Z' });
  await definirStatut(store, 1, 2024, 'realisee', { auteur: 'Agent EPCI', role: 'epci', date: '2024-11-01T10:00:00Z' });
  await definirStatut(store, 1, 2023, 'non_commencee', { auteur: 'Agent EPCI', role: 'epci', date: '2023-06-01T10:00:00Z' });
  await ajouterCommentaire(store, 1, 2024, 'bailleur:B2', 'Deux relogements hors QPV.', { auteur: 'Mme B', role: 'bailleur', date: '2024-10-02T09:00:00Z' });
  await ajouterCommentaire(store, 1, 2023, 'bailleur:B2', 'Commentaire de 2023.', { auteur: 'Mme B', role: 'bailleur', date: '2023-10-02T09:00:00Z' });
});
afterAll(() => store.close());

const valeur = (c: Cellule | undefined) => (c?.kind === 'nombre' || c?.kind === 'taux' ? c.valeur : c?.kind === 'texte' ? c.texte : c?.kind);

describe('bilan : mise en œuvre du programme d’actions', () => {
  it('prints the linked indicators as the engine computes them, the statuses and the comments of the year', async () => {
    const donnees = await collecterDonnees(store, 2024, 3, () => {}, 'partenaires');
    const bilan = construireBilan(donnees, new Date('2025-03-01T00:00:00Z'));
    const i = bilan.blocs.findIndex((b) => b.kind === 'titre' && 'texte' in b && b.texte === 'Mise en œuvre du programme d’actions');
    expect(i).toBeGreaterThan(0);
    const tableaux = bilan.blocs.filter((b): b is Tableau => b.kind === 'tableau');

    const statuts = tableaux.find((t) => t.id === 'programme-statuts');
    // The last status set for 2024 (« réalisée » on 1 November) is the year's; fiche 2 has none.
    expect(statuts?.lignes.map((l) => l.cellules.map(valeur))).toEqual([
      [1, 'Loger le premier quartile hors QPV', 'Orientation 1', 'epci', 'Réalisée'],
      [2, 'Commission de coordination', 'Orientation 2', 'epci', 'non renseigné'],
    ]);

    const indicateurs = tableaux.find((t) => t.id === 'programme-fiche-1-indicateurs');
    const config = await configurationCourante(store);
    const attendu: unknown[][] = [];
    for (const [indicateur, type, id, libelle] of [
      ['hors_qpv_q1', 'territoire', 'territoire', 'territoire'],
      ['prioritaires', 'contingent', 'ETAT', 'contingent ETAT'],
    ] as const) {
      for (const annee of [2023, 2024]) {
        const row = (await calculerIndicateurs(store, { annee, config })).indicateurs.find(
          (r) => r.indicateur === indicateur && r.perimetre_type === type && r.perimetre_id === id && r.periode === String(annee),
        );
        expect(row).toBeDefined();
        attendu.push([expect.stringContaining(`(${libelle})`), annee, row?.numerateur, row?.denominateur, row?.taux ?? 'vide', row?.cible ?? 'vide']);
      }
    }
    expect(indicateurs?.lignes.map((l) => l.cellules.map(valeur))).toEqual(attendu);
    // And by hand for 2023 on the territory: 3 Q1 leases of 12 outside QPV = 25 %.
    expect(indicateurs?.lignes[0]?.cellules.slice(1, 5).map(valeur)).toEqual([2023, 3, 12, 0.25]);

    const listes = bilan.blocs.slice(i).filter((b) => b.kind === 'liste').flatMap((b) => ('items' in b ? b.items.map((x) => x.texte) : []));
    expect(listes).toContain('bailleur:B2, le 02/10/2024 : Deux relogements hors QPV.');
    expect(listes.some((t) => t.includes('Commentaire de 2023'))).toBe(false);
    // Signed for the partner, never with the person's name.
    expect(JSON.stringify(bilan.blocs.slice(i))).not.toContain('Mme B');
  });

  it('masks the linked indicators in the public edition as the chapter of objectives does', async () => {
    const donnees = await collecterDonnees(store, 2024, 3, () => {}, 'public');
    const bilan = construireBilan(donnees, new Date('2025-03-01T00:00:00Z'));
    const t = bilan.blocs.find((b): b is Tableau => b.kind === 'tableau' && b.id === 'programme-fiche-1-indicateurs');
    const publie = donnees.parAnnee.get(2024)?.publies.find((r) => r.indicateur === 'prioritaires' && r.perimetre_type === 'contingent' && r.perimetre_id === 'ETAT' && r.periode === '2024');
    const ligne = t?.lignes.find((l) => valeur(l.cellules[0])?.toString().includes('contingent ETAT') && valeur(l.cellules[1]) === 2024);
    expect(valeur(ligne?.cellules[2])).toBe(publie?.numerateur === null ? 'secret' : publie?.numerateur);
  });
});
