import { describe, expect, it } from 'vitest';
import { formatEntier, formatPoints, formatTaux, formatVariation } from '../src/contenu/format.ts';
import { dateDuNom } from '../src/donnees/collecte.ts';
import { barresHorizontales, barresVerticales } from '../src/graphiques/svg.ts';

const nb = (s: string) => s.replace(/\u00a0/g, ' ');

describe('French formats', () => {
  it('writes counts, shares, gaps and changes the French way, with no-break spaces', () => {
    expect(nb(formatEntier(1234567))).toBe('1 234 567');
    expect(nb(formatTaux(1 / 3))).toBe('33,3 %');
    expect(nb(formatPoints(-0.0166))).toBe('−1,7 pt');
    expect(nb(formatPoints(0.0833))).toBe('+8,3 pt');
    expect(nb(formatPoints(0))).toBe('0,0 pt');
    expect(nb(formatVariation(12000 / 16800 - 1))).toBe('−28,6 %');
    expect(formatEntier(1234)).not.toContain(' ');
  });
});

describe('extraction date from a file name', () => {
  it('reads ISO and compact dates, and nothing else', () => {
    expect(dateDuNom('extraction_sne_2024-12-31.csv')).toBe('2024-12-31');
    expect(dateDuNom('rpls_20240101.xlsx')).toBe('2024-01-01');
    expect(dateDuNom('demandes.csv')).toBeNull();
    expect(dateDuNom('export_123456789.csv')).toBeNull();
    expect(dateDuNom('bailleur_20241399.csv')).toBeNull();
  });
});

describe('charts', () => {
  it('draw standalone SVG, escape names, print « s » for a masked value and « – » for nothing counted', () => {
    const h = barresHorizontales('Titre <&>', [
      { libelle: 'Commune <A> & B', valeur: 0.4, cible: 0.25, atteint: true },
      { libelle: 'Masquée', valeur: null, cible: 0.25, atteint: null },
    ], formatTaux);
    expect(h.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(h.svg).toContain('Commune &lt;A&gt; &amp; B');
    expect(h.svg).toContain('<title>Titre &lt;&amp;&gt;</title>');
    expect(h.svg).toMatch(/>s<\/text>/);
    const v = barresVerticales('Années', ['2023', '2024'], [{ nom: 'taux', valeurs: [undefined, 0.5] }], { format: formatTaux, max: 1, cible: 0.25 });
    expect(v.svg).toMatch(/>–<\/text>/);
    expect(v.svg).toContain('stroke-dasharray');
    // Axis labels drop a zero decimal, so that a tick never reads like a figure of the tables.
    expect(nb(v.svg)).toContain('>25 %<');
    expect(nb(v.svg)).not.toContain('>25,0 %<');
  });
});
