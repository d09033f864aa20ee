import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { produireBilan } from '@mixite/reports';
import type { FORMATS_BILAN } from '@mixite/contract';
import { TYPES_MIME, parametresBilanSchema } from '@mixite/contract';
import type { Deps } from '../http/deps.ts';
import { versionDesDonnees as versionDesDonneesDuStore } from '../repositories/etat-donnees-repository.ts';
import { REFUS, erreur, fichier, groupe, operation } from './operation.ts';

type Format = (typeof FORMATS_BILAN)[number];

/** The three files of one year's bilan, kept until the data or the settings change (the bilan takes seconds to produce). */
interface Produit {
  readonly version: string;
  readonly fichiers: Readonly<Record<Format, Buffer>>;
}

/**
 * GET /api/bilan/{annee}/{format}: the annual bilan of the CIA for the CIL (issue 5), as Word, PDF or Excel, produced by
 * @mixite/reports with statistical secrecy applied (a published document: every partner account may download it).
 */
export const routesBilan = {
  bilan: operation('partenaire', {
    method: 'get',
    path: '/bilan/{annee}/{format}',
    summary:
      'Le bilan annuel de la CIA pour la CIL (Word, PDF ou Excel), secret statistique appliqué ; produit à la demande puis gardé jusqu’au prochain import ou changement de paramètres',
    tags: ['Bilan'],
    request: { params: parametresBilanSchema },
    responses: {
      200: fichier('Le fichier du bilan', [TYPES_MIME.pdf, TYPES_MIME.docx, TYPES_MIME.xlsx]),
      400: erreur('Année ou format invalide'),
      503: erreur('Moteur de mise en page absent pour cette machine (npm install) : le bilan ne peut pas être produit'),
      ...REFUS,
    },
  }),
} as const;

export function bilanRoutes(deps: Deps) {
  const app = groupe();
  const produits = new Map<number, Promise<Produit>>();

  /** What the bilan depends on: the last import and the last settings. */
  const versionDesDonnees = () => versionDesDonneesDuStore(deps.store);

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

  app.openapi(routesBilan.bilan, async (c) => {
    const { annee, format } = c.req.valid('param');
    let produit = produits.get(annee);
    if (produit && (await produit.catch(() => null))?.version !== (await deps.lock.read(versionDesDonnees))) produit = undefined;
    if (!produit) {
      produit = produire(annee);
      produits.set(annee, produit);
      produit.catch(() => produits.delete(annee));
    }
    // A renderer with no native binary for this machine is an OutilAbsentError coded `rendu_absent`: a 503 (http/errors.ts).
    const { fichiers } = await produit;
    const body = fichiers[format];
    return new Response(new Uint8Array(body), {
      headers: {
        'content-type': TYPES_MIME[format],
        'content-disposition': `attachment; filename="bilan-${annee}.${format}"`,
        'cache-control': 'no-store',
      },
    });
  });
  return app;
}
