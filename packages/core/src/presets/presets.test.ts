import { describe, expect, it } from 'vitest';
import { montantArrete, reconnaitreArrete, sirenArrete } from './arrete-q1.ts';
import { enFranceMetropolitaine, lambert93VersWgs84 } from './lambert93.ts';
import { normaliserEnTete } from './en-tetes.ts';
import { communesDeLaCellule, reconnaitreQpvListe, restaurerZeros } from './qpv-liste.ts';
import { reconnaitreRpls } from './rpls.ts';

describe('Lambert-93', () => {
  it('gives the projection origin of the EPSG registry back: X 700 000 m, Y 6 600 000 m is 3° E, 46°30′ N', () => {
    const p = lambert93VersWgs84(700000, 6600000);
    // 1e-7 degree is about a centimetre.
    expect(p.longitude).toBeCloseTo(3, 7);
    expect(p.latitude).toBeCloseTo(46.5, 7);
    expect(enFranceMetropolitaine(p)).toBe(true);
  });

  it('says a point with X and Y swapped is not in metropolitan France', () => {
    expect(enFranceMetropolitaine(lambert93VersWgs84(6836164.2, 657961.4))).toBe(false);
  });
});

describe('RPLS headers', () => {
  it('recognises every vintage’s spelling of the commune and the rooms', () => {
    for (const commune of ['DEPCOM', 'DEPCOM_CODE', 'depcom_red', '"Depcom"', ' DEPCOM ']) {
      const roles = reconnaitreRpls([commune, 'NBPIECE', 'SURFHAB', 'FINAN_CODE']);
      // The role names the header as written: the reader finds the column by it.
      expect(roles?.commune).toBe(commune);
    }
    expect(reconnaitreRpls(['depcom_red', 'nbpiece_red', 'construct', 'finan'])?.financement).toBe('finan');
    expect(normaliserEnTete('\uFEFFNbPiece_RED')).toBe('nbpiece');
  });

  it('prefers DEPCOM to DEPCOM_CODE when a file holds both, and refuses a file that merely has a commune column', () => {
    expect(reconnaitreRpls(['DEPCOM_CODE', 'DEPCOM', 'NBPIECE', 'SURFHAB', 'LOCAT'])?.commune).toBe('DEPCOM');
    expect(reconnaitreRpls(['depcom', 'nbpiece'])).toBeNull();
    expect(reconnaitreRpls(['code_insee', 'nb_pieces', 'surface', 'financement'])).toBeNull();
  });
});

describe('QPV list', () => {
  it('reads multi-commune cells and restores the zeros some exports drop', () => {
    expect(communesDeLaCellule('02571; 02691')).toEqual(['02571', '02691']);
    expect(communesDeLaCellule('2571;2691')).toEqual(['02571', '02691']);
    expect(communesDeLaCellule(' 2A004 , 91228 ')).toEqual(['2A004', '91228']);
    expect(restaurerZeros('2', 2)).toBe('02');
    expect(restaurerZeros('971', 2)).toBe('971');
  });

  it('recognises the list by its own header names, not the canonical qpv.csv', () => {
    expect(reconnaitreQpvListe('code_qp;lib_qp;insee_reg;lib_reg;insee_dep;lib_dep;insee_com;lib_com;siren_epci;lib_epci'.split(';'))?.communes).toBe('insee_com');
    expect(reconnaitreQpvListe(['code_qpv', 'nom', 'code_insee', 'assimile'])).toBeNull();
  });
});

describe('arrêté annex', () => {
  it('finds the columns by their words and reads the amounts and SIREN as the annex writes them', () => {
    expect(reconnaitreArrete(['Code département', 'Département', 'Nom de l’EPCI', 'SIRET', 'Montant du seuil (en euros)', 'Seuil Q2', 'Seuil Q3'])).toEqual({
      code_departement: 'Code département',
      departement: 'Département',
      epci: 'Nom de l’EPCI',
      siren: 'SIRET',
      seuil_q1: 'Montant du seuil (en euros)',
      seuil_q2: 'Seuil Q2',
      seuil_q3: 'Seuil Q3',
    });
    expect(reconnaitreArrete(['Département', 'SIRET'])).toBeNull();
    expect([montantArrete('12 083'), montantArrete('12\u202f083 €'), montantArrete('12083,50'), montantArrete('douze')]).toEqual([12083, 12083, 12083.5, null]);
    expect([sirenArrete('200059228'), sirenArrete('20005922800017'), sirenArrete('2000592')]).toEqual(['200059228', '200059228', null]);
  });
});
