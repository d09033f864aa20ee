import { describe, expect, it } from 'vitest';
import { EXTRACTIONS, echantillonDe } from './extractions.test-data.ts';
import { formeDe } from './formes.ts';
import { proposerCorrespondance, versCorrespondance } from './proposer.ts';

describe('proposition de correspondance pour une extraction de demandes', () => {
  for (const extraction of EXTRACTIONS) {
    it(`${extraction.nom} : au moins 80 % des en-têtes reçoivent la colonne attendue`, () => {
      const proposition = proposerCorrespondance(echantillonDe(extraction.csv), 'demandes');
      const faux = proposition.colonnes.filter((c) => c.colonne !== extraction.attendu[c.entete]);
      const justes = proposition.colonnes.length - faux.length;
      // Every header of the file is judged, against the reviewer's choice written in the test data.
      expect(proposition.colonnes.map((c) => c.entete)).toEqual(Object.keys(extraction.attendu));
      expect(justes / proposition.colonnes.length, faux.map((f) => `${f.entete} → ${f.colonne ?? '∅'} (attendu ${extraction.attendu[f.entete] ?? '∅'})`).join(' ; ')).toBeGreaterThanOrEqual(0.8);
    });
  }

  it('propose un code pour chaque valeur des colonnes codées', () => {
    const [sne] = EXTRACTIONS;
    const proposition = proposerCorrespondance(echantillonDe(sne?.csv ?? ''), 'demandes');
    expect(proposition.codes['statut']).toEqual({ Satisfaite: 'attribuee', Active: 'active', Radiée: 'radiee' });
    expect(proposition.codes['composition']).toMatchObject({
      'Famille monoparentale': 'monoparentale',
      'Personne seule': 'personne_seule',
      'Couple avec enfant(s)': 'couple_enfants',
      'Couple sans enfant': 'couple',
    });
    expect(proposition.codes['logement_actuel']).toMatchObject({ 'Locataire HLM': 'locataire_social', 'Chez un particulier': 'heberge_tiers' });
  });

  it('reconnaît la forme des valeurs : dates, codes INSEE, montants, numéros uniques', () => {
    expect(formeDe(['15/01/2023', '2024-02-02', ''])).toBe('date');
    expect(formeDe(['91228', '2A004'])).toBe('insee');
    expect(formeDe(['91228|91174', '91174'])).toBe('liste_insee');
    expect(formeDe(['1 500,00', '800,00'])).toBe('montant');
    expect(formeDe(['0912023000001', '0912022000002'])).toBe('nur');
    expect(formeDe(['oui', 'non'])).toBe('booleen');
    expect(formeDe(['Active', 'Radiée'])).toBe('texte');
  });

  it('écrit la correspondance : en-têtes choisis, codes trouvés, rien pour les colonnes laissées libres', () => {
    const proposition = proposerCorrespondance(echantillonDe(EXTRACTIONS[0]?.csv ?? ''), 'demandes');
    const correspondance = versCorrespondance(proposition, 'SNE Essonne', ['extraction_sne*.csv']);
    const demandes = correspondance.fichiers.demandes;
    expect(demandes?.fichiers).toEqual(['extraction_sne*.csv']);
    expect(demandes?.colonnes['Numéro unique départemental']).toBe('nur');
    expect(Object.keys(demandes?.colonnes ?? {})).not.toContain('Guichet enregistreur');
    expect(demandes?.codes['statut']).toEqual({ Satisfaite: 'attribuee', Active: 'active', Radiée: 'radiee' });
  });
});

describe('aperçu des premières lignes telles que l’import les lira', () => {
  it('applique en-têtes et codes, et dit quelle cellule serait refusée', async () => {
    const { apercuCorrespondance } = await import('./apercu.ts');
    const echantillon = echantillonDe(EXTRACTIONS[0]?.csv ?? '');
    const apercu = apercuCorrespondance(
      echantillon,
      { colonnes: { 'Numéro unique départemental': 'nur', 'Date de création de la demande': 'date_depot', 'Situation de la demande': 'statut', 'Nombre de personnes à loger': 'nb_personnes' }, codes: { statut: { Satisfaite: 'attribuee' } } },
      'demandes',
      2,
    );
    expect(apercu.colonnes.map((c) => c.colonne)).toEqual(['nur', 'date_depot', 'statut', 'nb_personnes']);
    // ressources_mensuelles is required and not mapped here.
    expect(apercu.obligatoiresManquantes).toEqual(['ressources_mensuelles']);
    // Row 1: 15/01/2023 read as 2023-01-15, « Satisfaite » mapped to attribuee; row 2: « Active » has no code in this mapping.
    expect(apercu.lignes[0]?.map((c) => c.lu)).toEqual(['0912023000001', '2023-01-15', 'attribuee', '3']);
    expect(apercu.lignes[1]?.[2]).toMatchObject({ brut: 'Active', lu: null });
    expect(apercu.lignes[1]?.[2]?.erreur).toContain('active');
  });
});
