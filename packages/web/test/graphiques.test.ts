import { DEFAULT_THEME } from '@mantine/core';
import type { Barre } from '@mixite/graphiques';
import { NUANCES_UTILISEES, PALETTE } from '@mixite/graphiques';
import { svgStatique } from '@mixite/graphiques/statique';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { COMPOSANTS, barresHorizontales, barresVerticales } from '../../reports/src/graphiques/svg.ts';
import { formatTaux as tauxDocument } from '../../reports/src/contenu/format.ts';
import * as graphiquesDeLEcran from '../src/components/charts/index.ts';

// A hand-made dataset; coordinates computed by hand from the layout (bars from x = 270 over 380 px for 0–100 %).
const BARRES: readonly Barre[] = [
  { libelle: 'Évry <nord>', valeur: 0.4, cible: 0.25, atteint: true },
  { libelle: 'Corbeil', valeur: 0.1, cible: 0.25, atteint: false },
  { libelle: 'Masquée', valeur: null, cible: 0.25, atteint: null },
];

const rects = (svg: string) => [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), largeur: Number(m[3]), hauteur: Number(m[4]), fill: m[5] }));
const textes = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => (m[1] ?? '').replace(/[\u00a0\u202f]/g, ' '));

describe('one chart module for the screen and the bilan', () => {
  it('the web and the bilan draw with the very same components', () => {
    expect(graphiquesDeLEcran.BarresHorizontales).toBe(COMPOSANTS.BarresHorizontales);
    expect(graphiquesDeLEcran.BarresVerticales).toBe(COMPOSANTS.BarresVerticales);
    // The bilan's SVG is the component's static markup, nothing added.
    const props = { titre: 'Taux', barres: BARRES, format: tauxDocument, max: BARRES.length, symboles: { masque: 's', vide: '–' }, support: 'document' as const };
    expect(barresHorizontales('Taux', BARRES, tauxDocument).svg).toBe(renderToStaticMarkup(createElement(graphiquesDeLEcran.BarresHorizontales, props)));
  });

  it('draws horizontal bars for a document: title, summary, bars, targets, labels, masked value', () => {
    const g = barresHorizontales('Taux par commune', BARRES, tauxDocument);
    expect(g.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="720"')).toBe(true);
    expect(g.svg).toContain('<title>Taux par commune</title>');
    expect(g.svg).toContain('<desc>3 périmètres ; 1 sur 2 atteignent leur objectif. Les valeurs sont dans le tableau qui suit.</desc>');
    // Two bars (the masked value draws none): 40 % met in indigo-9, 10 % not met in red-9.
    const barres = rects(g.svg).filter((r) => r.hauteur === 16);
    expect(barres).toEqual([
      { x: 270, y: 12, largeur: 152, hauteur: 16, fill: '#364fc7' },
      { x: 270, y: 36, largeur: 38, hauteur: 16, fill: '#c92a2a' },
    ]);
    // Three target ticks at 25 % (270 + 95).
    expect(g.svg.match(/<line x1="365" x2="365" y1="\d+" y2="\d+" stroke="#d9480f" stroke-width="3">/g)).toHaveLength(3);
    const t = textes(g.svg);
    expect(t).toEqual(expect.arrayContaining(['Évry &lt;nord&gt;', 'Corbeil', 'Masquée', '40,0 %', '10,0 %', 's', '0 %', '25 %', '100 %', 'objectif non atteint', 'cible']));
    // 8 (top) + 3 rows × 24 + 30 (axis) + 18 (one legend row) + 6.
    expect(g.hauteur).toBe(134);
    expect(g.svg).toContain('height="134"');
  });

  it('draws grouped vertical bars with a target line, « – » for nothing counted and a grey tick for a masked value', () => {
    const g = barresVerticales('Taux annuel', ['2022', '2023', '2024'], [{ nom: 'taux de l’année', valeurs: [undefined, null, 0.5] }], { format: tauxDocument, max: 1, cible: 0.25 });
    expect(g.svg).toContain('<title>Taux annuel</title>');
    // The plot is 214 px high, its axis at y = 230: 50 % of 100 % is 107 px; a masked value a 3 px grey tick.
    const r = rects(g.svg).filter((x) => x.fill !== '#ffffff' && x.largeur !== 14);
    expect(r.map((x) => [x.hauteur, x.fill])).toEqual([
      [3, '#868e96'],
      [107, '#364fc7'],
    ]);
    expect(g.svg).toMatch(/<line x1="56" x2="704" y1="176.5" y2="176.5" stroke="#d9480f" stroke-width="2" stroke-dasharray="6 4">/);
    expect(textes(g.svg)).toEqual(expect.arrayContaining(['–', 's', '50,0 %', '2022', '2024', 'taux de l’année', 'cible (25,0 %)']));
  });

  it('draws for the screen with the theme’s CSS variables and names the chart by its title and summary', () => {
    const html = renderToStaticMarkup(createElement(graphiquesDeLEcran.BarresHorizontales, { titre: 'Taux', barres: BARRES }));
    expect(html).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="graphique" role="img" aria-labelledby="([^" ]+)-t \1-d"/);
    expect(html).toContain('fill="var(--mantine-color-indigo-9)"');
    expect(html).toContain('fill="var(--mantine-color-red-9)"');
    expect(html).not.toMatch(/#[0-9a-f]{6}/i);
    // The screen prints « — » for a masked value.
    expect(textes(html)).toContain('—');
    expect(html).toMatch(/<desc id="[^"]+-d">3 périmètres/);
  });

  it('draws the trend of each indicator with its target and a legend', () => {
    const html = svgStatique(graphiquesDeLEcran.CourbesTendance, {
      titre: 'Évolution',
      annees: [2022, 2023, 2024],
      series: [{ libelle: 'Baux hors QPV', cible: 0.25, points: [{ annee: 2022, valeur: 0.2 }, { annee: 2023, valeur: null }, { annee: 2024, valeur: 0.3 }] }],
    });
    // x from 50 over 650 px, y from 10 over 220 px (0–100 %): 20 % at y = 186, 30 % at y = 164; 2023 is left out.
    expect(html).toContain('points="50,186 700,164"');
    expect(html).toContain('stroke-dasharray="4 4"');
    expect(textes(html)).toEqual(expect.arrayContaining(['2022', '2023', '2024', 'Baux hors QPV', 'objectif (pointillés)']));
  });

  it('keys the dotted target only when a series has one (a refusal rate has no target)', () => {
    const html = svgStatique(graphiquesDeLEcran.CourbesTendance, {
      titre: 'Taux de refus par année',
      annees: [2023, 2024],
      series: [{ libelle: 'Taux de refus', cible: null, points: [{ annee: 2023, valeur: 0.15 }, { annee: 2024, valeur: 0.17 }] }],
    });
    expect(textes(html)).toContain('Taux de refus');
    expect(textes(html)).not.toContain('objectif (pointillés)');
    expect(html).not.toContain('stroke-dasharray');
  });

  it('takes its colours from Mantine’s palette, one name per meaning', () => {
    for (const [nuance, hex] of Object.entries(NUANCES_UTILISEES)) {
      const [teinte, rang] = nuance.split('-') as [keyof typeof DEFAULT_THEME.colors, string];
      expect(DEFAULT_THEME.colors[teinte]?.[Number(rang)], nuance).toBe(hex);
    }
    expect(Object.keys(PALETTE)).toEqual(['barre', 'nonAtteint', 'cible', 'masque', 'grille', 'axe', 'texte', 'encadre', 'entete', 'bordure', 'secondaire']);
  });
});
