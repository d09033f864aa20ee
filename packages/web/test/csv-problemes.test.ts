import { describe, expect, it } from 'vitest';
import { csvProblemes } from '../src/pages/donnees/csv-problemes.ts';

describe('liste des problèmes d’un rapport en CSV', () => {
  it('une ligne par problème listé, cause et compte compris ; cellules neutralisées et citées', () => {
    const csv = csvProblemes({
      statut: 'echoue',
      date: '2026-12-01T10:00:00.000Z',
      fichiers: [],
      erreurs: [
        { severite: 'erreur', fichier: 'attributions.csv', ligne: 2, colonne: 'logement_id', valeur: '=HYPERLINK("x")', message: 'référence inconnue', cause: 'logements.csv manquant', nombre: 260 },
        { severite: 'erreur', fichier: 'seuils.csv', ligne: null, colonne: null, valeur: null, message: 'a;b' },
      ],
      avertissements: [],
      erreursNonListees: 259,
      configuration: 'inchangee',
      importId: null,
    });
    const lignes = csv.split('\r\n');
    expect(lignes[0]).toBe('\uFEFFseverite;fichier;ligne;colonne;valeur;message;cause;lignes_de_la_cause');
    // The value starts with « = »: prefixed with an apostrophe (texteCsv), then quoted for its quotes.
    expect(lignes[1]).toBe(`erreur;attributions.csv;2;logement_id;"'=HYPERLINK(""x"")";référence inconnue;logements.csv manquant;260`);
    // No cause of its own: the message is the cause; a « ; » in a cell is quoted.
    expect(lignes[2]).toBe('erreur;seuils.csv;;;;"a;b";"a;b";');
    expect(lignes).toHaveLength(4);
  });
});
