import { describe, expect, it } from 'vitest';
import { bilanFluxCsv } from './bilan.ts';
import { fluxCsv } from './export.ts';

/**
 * The flux files of the command line and of the API (`mixite flux --format csv`, `mixite flux bilan`, GET /api/flux/bilan
 * as CSV) carry ids read from imported files: a text cell that starts like a formula is written with an apostrophe
 * (format/tableur.ts), a negative balance stays a number.
 */
describe('flux CSV files: formula injection', () => {
  const piege = '=HYPERLINK("http://x")';

  it('neutralises ids of the flux CSV and keeps a negative balance as a number', () => {
    const csv = fluxCsv([
      {
        bailleurId: piege,
        annee: 2024,
        prevision: 10,
        realise: 8,
        droits: [{ bailleurId: piege, reservataireId: '@SUM(A1)', annee: 2024, part: 0.5, droitsPrevisionnels: 5, droits: 4, orientations: 2, report: 0, solde: -2 }],
        parDimension: [{ reservataireId: '+cmd', dimension: 'typologie', modalite: '-T2', part: 0.5, flux: 3, droits: 1.5, orientations: 1 }],
      },
    ]);
    const [, ensemble, dimension] = csv.split('\n');
    // The trap holds quotes: neutralised first ('=…), then quoted with its quotes doubled (RFC 4180).
    expect(ensemble).toBe(`"'=HYPERLINK(""http://x"")";'@SUM(A1);2024;ensemble;ensemble;0.5;10;8;5;4;2;0;-2`);
    expect(dimension).toBe(`"'=HYPERLINK(""http://x"")";'+cmd;2024;typologie;'-T2;0.5;;3;;1.5;1;;`);
  });

  it('neutralises ids of the R441-5-1 bilan CSV, counts unchanged', () => {
    const csv = bilanFluxCsv([{ bailleur_id: 'B1', reservataire_id: '-1+1', dimension: 'commune', modalite: '\t91228', logements_proposes: 3, logements_attribues: 2 }]);
    expect(csv.split('\n')[1]).toBe(`B1;'-1+1;commune;'\t91228;3;2`);
  });
});
