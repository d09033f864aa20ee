import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import { OutilAbsentError } from '@mixite/core';
import { FOND_DOCUMENT } from '@mixite/graphiques';
import { COULEURS, echapperXml } from '../graphiques/svg.ts';

/**
 * Debian's Chromium, driven by playwright-core (no browser download): it prints the HTML of the bilan to PDF
 * and rasterises the SVG charts to PNG for Word. The machine has no network at run time: the flags keep
 * Chromium from trying to reach Google's services at start.
 */

export const CHROMIUM_PAR_DEFAUT = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Thrown when the Chromium executable is missing: the PDF and the Word charts need it. */
export class ChromiumIntrouvableError extends OutilAbsentError {
  constructor(readonly chemin: string) {
    super(`Chromium introuvable (${chemin}) : installez-le (apt-get install -y chromium) ou indiquez son chemin dans MIXITE_CHROMIUM`, { code: 'chromium_absent' });
  }
}

export const cheminChromium = (chemin?: string): string => chemin ?? process.env.MIXITE_CHROMIUM ?? CHROMIUM_PAR_DEFAUT;

export class Navigateur {
  private constructor(private readonly browser: Browser) {}

  static async ouvrir(chemin: string): Promise<Navigateur> {
    if (!existsSync(chemin)) throw new ChromiumIntrouvableError(chemin);
    return new Navigateur(await chromium.launch({ executablePath: chemin, args: ARGS }));
  }

  /**
   * Each SVG as a PNG at twice its size (sharp when printed at its size in Word): all of them stacked on one page
   * as tall as they are, then one clipped screenshot each (no navigation, no scrolling between them).
   */
  async rasteriser(svgs: readonly { svg: string; largeur: number; hauteur: number }[]): Promise<Buffer[]> {
    if (svgs.length === 0) return [];
    const largeur = Math.ceil(Math.max(...svgs.map((g) => g.largeur)));
    const hauteur = Math.ceil(svgs.reduce((h, g) => h + g.hauteur, 0));
    const context = await this.browser.newContext({ deviceScaleFactor: 2, viewport: { width: largeur, height: hauteur } });
    try {
      const page = await context.newPage();
      const corps = svgs.map((g) => `<div style="width:${g.largeur}px;height:${g.hauteur}px;overflow:hidden">${g.svg}</div>`).join('');
      await page.setContent(`<!doctype html><html><body style="margin:0;background:${FOND_DOCUMENT}">${corps}</body></html>`);
      const out: Buffer[] = [];
      let y = 0;
      for (const g of svgs) {
        out.push(await page.screenshot({ type: 'png', clip: { x: 0, y, width: g.largeur, height: g.hauteur } }));
        y += g.hauteur;
      }
      return out;
    } finally {
      await context.close();
    }
  }

  /** Prints the HTML to an A4 PDF, page size from its CSS (landscape pages), page numbers in the footer. */
  async imprimer(html: string, piedDePage: string): Promise<Buffer> {
    const context = await this.browser.newContext();
    try {
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        preferCSSPageSize: true,
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate:
          `<div style="width:100%;font-size:8px;font-family:'Liberation Sans',Arial,sans-serif;color:${COULEURS.secondaire};padding:0 16mm;display:flex;justify-content:space-between">` +
          `<span>${echapperXml(piedDePage)}</span><span>page <span class="pageNumber"></span> sur <span class="totalPages"></span></span></div>`,
        tagged: true,
        outline: true,
      });
    } finally {
      await context.close();
    }
  }

  async fermer(): Promise<void> {
    await this.browser.close();
  }
}
