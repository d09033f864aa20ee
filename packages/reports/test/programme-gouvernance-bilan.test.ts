import ExcelJS from 'exceljs';
import type { Cellule, Tableau } from '../src/contenu/modele.ts';
import { Store, creerEngagement, creerInstance, creerReunion, importDataset, importerProgramme } from '@mixite/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { construireBilan } from '../src/contenu/construire.ts';
import { collecterDonnees } from '../src/donnees/collecte.ts';

/**
 * The bilan's section on the programme (issue 19): the meetings held in the year with their decisions, and the
 * partners' commitments with their status — a quantified one against the figure of the year. On the bilan's
 * hand-made territory (fixtures/territoire/README.md): in 2024, hors_qpv_q1 on the territory = (ETAT 4 + B2 not
 * reserved 1 + CA 3) / 24 leases outside QPV = 8 / 24 = 33,3 %.
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
  f.addRow([1, 'Loger le premier quartile hors QPV', 'Orientation 1', '', '', 'epci', 'bailleur:B2', '', '']);
  f.addRow([2, 'Commission de coordination', 'Orientation 2', '', '', 'epci', '', '', '']);
  await importerProgramme(store, Buffer.from(await wb.xlsx.writeBuffer()), 'programme.xlsx', { auteur: 'test' });
  const signe = { auteur: 'Agent EPCI', date: '2024-12-01T10:00:00Z' };
  const cil = await creerInstance(store, { genre: 'cil', nom: 'CIL', membres: ['epci', 'etat', 'bailleur:B2'], frequence: 'une fois par an' });
  const coord = await creerInstance(store, { genre: 'commission_coordination', nom: 'Commission de coordination', membres: ['epci', 'bailleur:B2'], frequence: 'deux fois par an' });
  const reunion = (instance_id: number, date: string, ordre_du_jour: string, decisions: { texte: string; fiches: number[] }[]) =>
    creerReunion(store, { instance_id, date, ordre_du_jour, compte_rendu: 'Présidée par M. Durand.', documents: [], decisions, presents: ['epci'] }, signe);
  // Recorded out of order: the bilan lists them by date, and the 2023 meeting is not of the year.
  await reunion(coord, '2024-09-15', 'Suivi des attributions', []);
  await reunion(cil, '2024-03-28', 'Bilan 2023', [
    { texte: 'Le bilan 2023 est approuvé.', fiches: [] },
    { texte: 'Un groupe de travail sur les relogements hors QPV est créé.', fiches: [1, 2] },
  ]);
  await reunion(cil, '2023-11-10', 'Installation', [{ texte: 'La CIL est installée.', fiches: [] }]);
  await creerEngagement(store, { partenaire: 'SIAO', fiche: null, libelle: 'Notes sociales avant CALEOL', echeance: null, statut: 'en_cours', quantifie: null }, signe);
  await creerEngagement(
    store,
    {
      partenaire: 'bailleur:B2',
      fiche: 1,
      libelle: '25 % des baux hors QPV au premier quartile',
      echeance: '2024-12-31',
      statut: 'tenu',
      quantifie: { indicateur: 'hors_qpv_q1', perimetre_type: 'territoire', perimetre_id: null, cible: 0.25 },
    },
    signe,
  );
});
afterAll(() => store.close());

const valeur = (c: Cellule | undefined) => (c?.kind === 'nombre' || c?.kind === 'taux' ? c.valeur : c?.kind === 'texte' ? c.texte : c?.kind);

describe('bilan : instances, décisions et engagements de l’année', () => {
  it('lists the meetings of the year with their decisions, and the commitments with their status and figure', async () => {
    const donnees = await collecterDonnees(store, 2024, 3, () => {}, 'partenaires');
    const bilan = construireBilan(donnees, new Date('2025-03-01T00:00:00Z'));
    const tableaux = bilan.blocs.filter((b): b is Tableau => b.kind === 'tableau');
    const i = bilan.blocs.findIndex((b) => b.kind === 'titre' && 'texte' in b && b.texte === 'Instances réunies en 2024');
    expect(i).toBeGreaterThan(0);
    // Two meetings in 2024 (28 March, 15 September), 2 + 0 decisions; the 2023 one is left out.
    expect(JSON.stringify(bilan.blocs[i + 1])).toContain('2 réunions d’instance en 2024, 2 décisions prises.');
    expect(tableaux.find((t) => t.id === 'programme-reunions')?.lignes.map((l) => l.cellules.map(valeur))).toEqual([
      ['28/03/2024', 'CIL', 'Bilan 2023', 2],
      ['15/09/2024', 'Commission de coordination', 'Suivi des attributions', 0],
    ]);
    const listes = bilan.blocs.slice(i).filter((b) => b.kind === 'liste').flatMap((b) => ('items' in b ? b.items.map((x) => x.texte) : []));
    // The lists after these two are the annex's.
    expect(listes.slice(0, 2)).toEqual(['CIL, 28/03/2024 : Le bilan 2023 est approuvé.', 'CIL, 28/03/2024 : Un groupe de travail sur les relogements hors QPV est créé. (fiches 1, 2)']);

    // By fiche (the commitment outside any fiche last): B2's, quantified, 8 / 24 against 25 %; the SIAO's, qualitative.
    const engagements = tableaux.find((t) => t.id === 'programme-engagements');
    const lignes = engagements?.lignes.map((l) => l.cellules.map(valeur)) ?? [];
    expect(lignes).toEqual([
      ['bailleur:B2', 1, '25 % des baux hors QPV au premier quartile', '31/12/2024', 'Tenu', expect.any(Number), 0.25],
      ['SIAO', '—', 'Notes sociales avant CALEOL', 'durée de la convention', 'En cours', 'qualitatif', '—'],
    ]);
    expect(lignes[0]?.[5]).toBeCloseTo(8 / 24, 12);
    // Neither minutes nor attendance nor who recorded: the bilan names no one.
    expect(JSON.stringify(bilan.blocs.slice(i))).not.toMatch(/Durand|Agent EPCI/);
  });
});
