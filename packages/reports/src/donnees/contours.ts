import type { ContourCarte, GeometrieSurface, PointCarte } from '@mixite/graphiques';
import type { Store } from '@mixite/data';
import { contoursDeLaBase, sql } from '@mixite/data';

/**
 * What the bilan's maps read (issue 14, docs/carte.md): the outlines of the dataset's contours.geojson and the
 * residences' coordinates. Buildings and public geography only: nothing of a household, nothing to mask.
 */
export interface ContoursBilan {
  readonly source: string | null;
  readonly communes: readonly ContourCarte[];
  readonly qpv: readonly ContourCarte[];
  /** Residences with their commune and QPV (null outside), placed by their latitude and longitude when known. */
  readonly residences: readonly ResidenceCarte[];
}

export interface ResidenceCarte {
  readonly id: string;
  readonly nom: string | null;
  readonly codeInsee: string;
  readonly codeQpv: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export async function lireContoursBilan(store: Store): Promise<ContoursBilan> {
  const stockes = await contoursDeLaBase(store);
  const contour = (c: (typeof stockes)[number]): ContourCarte => ({
    code: c.code,
    nom: c.nom ?? c.code,
    // Checked at import (data/src/import/contours.ts): a Polygon or MultiPolygon in WGS84.
    geometrie: (JSON.parse(c.entite) as { geometry: GeometrieSurface }).geometry,
  });
  const residences = await store.all<{ id: string; nom: string | null; code_insee: string; code_qpv: string | null; latitude: number | null; longitude: number | null }>(
    sql`SELECT id, nom, code_insee, nullif(code_qpv, '') AS code_qpv, latitude::DOUBLE AS latitude, longitude::DOUBLE AS longitude FROM residences ORDER BY id`,
  );
  return {
    source: stockes[0]?.source ?? null,
    communes: stockes.filter((c) => c.genre === 'commune').map(contour),
    qpv: stockes.filter((c) => c.genre === 'qpv').map(contour),
    residences: residences.map((r) => ({ id: r.id, nom: r.nom, codeInsee: r.code_insee, codeQpv: r.code_qpv, latitude: r.latitude, longitude: r.longitude })),
  };
}

/** The residences as points of a map, in QPV or outside. */
export function pointsResidencesQpv(residences: readonly ResidenceCarte[]): PointCarte[] {
  return residences.map((r) => ({
    id: r.id,
    libelle: r.nom ?? r.id,
    latitude: r.latitude,
    longitude: r.longitude,
    categorie: r.codeQpv !== null ? 'qpv' : 'hors_qpv',
    commune: r.codeInsee,
  }));
}
