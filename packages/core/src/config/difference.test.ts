import { describe, expect, it } from 'vitest';
import { LEGAL_INDICATORS } from '../indicators/declarations.ts';
import { DEFAULT_CIA_CONFIG, ciaConfigSchema } from './cia-config.ts';
import { modificationsDeConfiguration, texteModification } from './difference.ts';

const N = '\u00a0';

describe('what a version of the settings changed', () => {
  it('lists each changed field, before → after, in French, and nothing for an unchanged one', () => {
    const apres = ciaConfigSchema.parse({
      cibles: { hors_qpv_q1: 0.3, qpv_hors_q1: 0.81 },
      cibles_par_perimetre: [{ indicateur: 'hors_qpv_q1', perimetre_type: 'commune', perimetre_id: '91001', cible: null }],
      effectif_minimum: 15,
      compter_faibles_effectifs: true,
    });
    const hq = LEGAL_INDICATORS.hors_qpv_q1.libelle;
    expect(modificationsDeConfiguration(DEFAULT_CIA_CONFIG, apres).map(texteModification)).toEqual([
      // Defaults: hors_qpv_q1 25 %, qpv_hors_q1 50 %; 0,81 is written 81 % (not 81,00000000000001 %).
      `Objectif « ${hq} » : 25${N}% → 30${N}%`,
      `Objectif « ${LEGAL_INDICATORS.qpv_hors_q1.libelle} » : 50${N}% → 81${N}%`,
      `Objectif « ${hq} », commune 91001 : objectif général → aucun objectif`,
      'Effectif minimum d’un taux jugé : 20 → 15',
      'Faibles effectifs comptés dans les synthèses : non → oui',
    ]);
    expect(modificationsDeConfiguration(apres, apres)).toEqual([]);
  });

  it('says when a per-perimeter target is removed, and the UC weights and secrecy threshold', () => {
    const avant = ciaConfigSchema.parse({ cibles_par_perimetre: [{ indicateur: 'prioritaires', perimetre_type: 'type_contingent', perimetre_id: 'commune', cible: 0.2 }] });
    const apres = ciaConfigSchema.parse({ uc: { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.25 }, secret_statistique: 5 });
    expect(modificationsDeConfiguration(avant, apres).map((m) => [m.champ.split(' »')[1] ?? m.champ, m.avant, m.apres])).toEqual([
      [', type de contingent commune', `20${N}%`, 'objectif général'],
      ['UC : enfant de moins de 14 ans', '0,3', '0,25'],
      ['Seuil du secret statistique', '11', '5'],
    ]);
  });
});
