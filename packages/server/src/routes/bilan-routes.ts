import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChromiumIntrouvableError, produireBilan } from '@mixite/reports';
import { Hono } from 'hono';
import { exiger } from '../http/authentification.ts';
import type { Deps } from '../http/deps.ts';
import { BadRequestError, HttpError } from '../http/errors.ts';
import type { AppEnv } from '../http/viewer.ts';
import { anneeDuParametre } from '../http/parametres.ts';

const FORMATS = { docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', pdf: 'application/pdf', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } as const;
type Format = keyof typeof FORMATS;

/** The three files of one year's bilan, kept until the data or the settings change (the bilan takes seconds to produce). */
interface Produit {
  readonly version: string;
  readonly fichiers: Readonly<Record<Format, Buffer>>;
}

/**
 * GET /api/bilan/{annee}/{format}: the annual bilan of the CIA for the CIL (issue 5), as Word, PDF or Excel, produced by
 * @mixite/reports with statistical secrecy applied (a published document: every partner account may download it).
 */
export function bilanRoutes(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const produits = new Map<number, Promise<Produit>>();

  /** What the bilan depends on: the last import and the last settings. */
  const versionDesDonnees = async () => {
    const [row] = await deps.store.all<{ v: string }>(
      `SELECT concat((SELECT coalesce(max(id), 0) FROM imports), '/', (SELECT coalesce(max(version), 0) FROM configuration)) AS v`,
    );
    return row?.v ?? '';
  };

  const produire = async (annee: number): Promise<Produit> => {
    const dir = mkdtempSync(join(tmpdir(), 'mixite-bilan-'));
    try {
      // The bilan runs the engine on the store's single connection (temporary tables): alone, like a write.
      return await deps.lock.write(async () => {
        const version = await versionDesDonnees();
        const chemins = await produireBilan(deps.store, { annee, out: dir });
        return { version, fichiers: { docx: readFileSync(chemins.docx), pdf: readFileSync(chemins.pdf), xlsx: readFileSync(chemins.xlsx) } };
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  app.get('/bilan/:annee/:format', exiger('partenaire'), async (c) => {
    const annee = anneeDuParametre(c.req.param('annee'));
    const format = c.req.param('format');
    if (!(format in FORMATS)) throw new BadRequestError(`format inconnu : « ${format} » (attendu : docx, pdf ou xlsx)`);
    let produit = produits.get(annee);
    if (produit && (await produit.catch(() => null))?.version !== (await deps.lock.read(versionDesDonnees))) produit = undefined;
    if (!produit) {
      produit = produire(annee);
      produits.set(annee, produit);
      produit.catch(() => produits.delete(annee));
    }
    let fichiers: Produit['fichiers'];
    try {
      fichiers = (await produit).fichiers;
    } catch (error) {
      if (error instanceof ChromiumIntrouvableError) throw new HttpError(503, 'chromium_absent', error.message);
      throw error;
    }
    const body = fichiers[format as Format];
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': FORMATS[format as Format],
        'content-disposition': `attachment; filename="bilan-${annee}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });
  return app;
}
