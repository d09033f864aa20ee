import { describe, expect, it } from 'vitest';
import { CIBLES_PAR_DEFAUT, DEFAULT_CIA_CONFIG, TARGET_IDS, validateCiaConfig } from '../config/cia-config.ts';
import { CIBLE_DE_L_IMPACT } from '../cotation/resultats.ts';
import { CIBLES_DECLAREES, LEGAL_DECLARATIONS, declarationDesPropositions, intituleDeLaCible, libelleDeLaCible } from './declarations.ts';

describe('the declarations hold everything said about an indicator', () => {
  it('give cia.yaml its keys and the defaults of DATA-FORMAT.md', () => {
    // Written by hand from DATA-FORMAT.md ("cia.yaml"): the keys, in this order, and their defaults.
    expect(TARGET_IDS).toEqual(['hors_qpv_q1', 'qpv_hors_q1', 'qpv_q3_q4', 'prioritaires', 'etat_prioritaires', 'mutations', 'travailleurs_essentiels']);
    expect(CIBLES_PAR_DEFAUT).toEqual({
      hors_qpv_q1: 0.25,
      qpv_hors_q1: 0.5,
      qpv_q3_q4: null,
      prioritaires: 0.25,
      etat_prioritaires: 1,
      mutations: null,
      travailleurs_essentiels: null,
    });
    expect(DEFAULT_CIA_CONFIG.cibles).toEqual(CIBLES_PAR_DEFAUT);
    // The strict validation still refuses a key no declaration gives.
    const faute = validateCiaConfig({ cibles: { hors_qpv_q2: 0.3 } });
    expect(faute.ok).toBe(false);
    if (!faute.ok) expect(faute.problemes[0]?.message).toContain('clé inconnue « hors_qpv_q2 »');
  });

  it('say where a target is judged, consistently with where it applies', () => {
    for (const d of LEGAL_DECLARATIONS) {
      // Judged per contingent exactly when the default target does not apply to the territory but to contingents.
      const parContingent = !d.perimetresCibles.includes('territoire') && d.perimetresCibles.includes('contingent');
      expect(d.presentation.jugement === 'contingent', d.id).toBe(parContingent);
      for (const t of d.perimetresLegaux) expect(d.perimetresCibles, `${d.id} : manque légal hors des périmètres de la cible`).toContain(t);
      expect(d.courts.titre && d.courts.numerateur && d.courts.denominateur && d.courts.unite).toBeTruthy();
    }
    const parContingent = LEGAL_DECLARATIONS.filter((d) => d.presentation.jugement === 'contingent').map((d) => d.id);
    expect(parContingent).toEqual(['prioritaires']);
    expect(LEGAL_DECLARATIONS.filter((d) => d.presentation.substitutionSemestrielle).map((d) => d.id)).toEqual(['hors_qpv_q1']);
  });

  it('name the targets for the settings screen and the bilan', () => {
    expect(CIBLES_DECLAREES.map((c) => c.cle)).toEqual(TARGET_IDS);
    expect(intituleDeLaCible('etat_prioritaires')).toBe('Contingent préfectoral des publics prioritaires : part des propositions aux ménages prioritaires');
    expect(libelleDeLaCible('etat_prioritaires')).toBe('contingent préfectoral des publics prioritaires');
    expect(intituleDeLaCible('mutations')).toBe('Propositions aux demandeurs de mutation');
    expect(intituleDeLaCible('inconnue')).toBe('inconnue');
  });

  it('let the bilan and the cotation impact find their indicator without naming it', () => {
    expect(declarationDesPropositions()?.id).toBe('prioritaires');
    expect(CIBLE_DE_L_IMPACT).toEqual({ q1: 'hors_qpv_q1', prioritaires: 'prioritaires', mutations: 'mutations', travailleurs_essentiels: 'travailleurs_essentiels' });
  });
});
