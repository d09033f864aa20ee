import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableauMarkdownDesIndicateurs } from './documentation.ts';

/**
 * The table of docs/indicators.md is generated from the declarations: this test fails when they differ.
 * To rewrite it after changing a declaration: MIXITE_DOCS=ecrire npx vitest run packages/core/src/indicators/documentation.test.ts
 */
const DOC = new URL('../../../../docs/indicators.md', import.meta.url);
const DEBUT = '<!-- tableau généré depuis packages/core/src/indicators/declarations.ts : ne pas modifier à la main -->';
const FIN = '<!-- fin du tableau généré -->';

describe('docs/indicators.md', () => {
  it('holds the table of the declarations', () => {
    const texte = readFileSync(DOC, 'utf8');
    const debut = texte.indexOf(DEBUT);
    const fin = texte.indexOf(FIN);
    expect(debut, `marqueur « ${DEBUT} » absent de docs/indicators.md`).toBeGreaterThanOrEqual(0);
    expect(fin).toBeGreaterThan(debut);
    const attendu = `${DEBUT}\n${tableauMarkdownDesIndicateurs()}\n${FIN}`;
    const actuel = texte.slice(debut, fin + FIN.length);
    if (process.env.MIXITE_DOCS === 'ecrire' && actuel !== attendu) writeFileSync(DOC, texte.replace(actuel, attendu));
    else expect(actuel, 'table de docs/indicators.md périmée : MIXITE_DOCS=ecrire npx vitest run packages/core/src/indicators/documentation.test.ts').toBe(attendu);
  });
});
