import type { contoursSchema } from '@mixite/contract';
import type { Store } from '@mixite/data';
import { contoursDeLaBase, sql } from '@mixite/data';
import type { z } from 'zod';
import type { Viewer } from '../http/viewer.ts';

type ReponseContours = z.infer<typeof contoursSchema>;
type Geometrie = ReponseContours['communes'][number]['geometrie'];

/**
 * The outlines of the territory (the `contours` table, issue 14) and its communes. Public geography: the same for
 * every account, whatever its perimeter (a commune's map shows its neighbours too), and nothing of a household.
 */
export class ContoursRepository {
  constructor(private readonly store: Store) {}

  async contours(_viewer: Viewer): Promise<ReponseContours> {
    const stockes = await contoursDeLaBase(this.store);
    // Names from the dataset first (communes.csv, qpv.csv): the contours file may be older than a commune's new name.
    const noms = await this.store.all<{ genre: string; code: string; nom: string }>(
      sql`SELECT 'commune' AS genre, code_insee AS code, nom FROM communes UNION ALL SELECT 'qpv', code_qpv, nom FROM qpv`,
    );
    const nomDe = new Map(noms.map((n) => [`${n.genre}:${n.code}`, n.nom]));
    const contours = stockes.map((c) => ({
      genre: c.genre,
      code: c.code,
      nom: nomDe.get(`${c.genre}:${c.code}`) ?? c.nom ?? c.code,
      // Checked at import (import/contours.ts): a Polygon or MultiPolygon of [longitude, latitude] positions.
      geometrie: (JSON.parse(c.entite) as { geometry: Geometrie }).geometry,
    }));
    const sans = ({ code, nom, geometrie }: (typeof contours)[number]) => ({ code, nom, geometrie });
    // Only the territory's communes and QPV when the dataset names them: a département's or France's file stays on the server.
    const duJeu = (genre: string) => {
      const codes = new Set(noms.filter((n) => n.genre === genre).map((n) => n.code));
      return contours.filter((c) => c.genre === genre && (codes.size === 0 || codes.has(c.code))).map(sans);
    };
    return {
      source: stockes[0]?.source ?? null,
      communes: duJeu('commune'),
      qpv: duJeu('qpv'),
      // In French order (« Évry » with the E), which DuckDB's byte order is not.
      territoire: noms
        .filter((n) => n.genre === 'commune')
        .map((n) => ({ code: n.code, nom: n.nom }))
        .sort((a, b) => a.nom.localeCompare(b.nom, 'fr')),
    };
  }
}
