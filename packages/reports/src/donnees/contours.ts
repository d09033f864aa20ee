import type { ContourCarte, GeometrieSurface, PointCarte } from '@mixite/graphiques';
import { MixiteError } from '@mixite/core';
import type { Store } from '@mixite/data';
import { analyserParc, contoursDeLaBase, sql } from '@mixite/data';

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
  /** The stock affordable to the first quartile by commune (data/src/parc), or why it could not be computed. */
  readonly parc: ParcCarte | { readonly indisponible: string };
}

/** Dwellings only (no household): what the map of the affordable stock colours. */
export interface ParcCarte {
  readonly hypotheseCentrale: number;
  readonly communes: readonly { readonly code: string; readonly logements: number; readonly abordables: number; readonly abordablesNonFragilesHorsQpv: number }[];
}

export interface ResidenceCarte {
  readonly id: string;
  readonly nom: string | null;
  readonly codeInsee: string;
  readonly codeQpv: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
}

export async function lireContoursBilan(store: Store, annee: number): Promise<ContoursBilan> {
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
    parc: await parcParCommune(store, annee),
  };
}

/** The stock's analysis of the whole territory (no dwelling, no residence: `logements.csv` may be absent; no APL scale for the year). */
async function parcParCommune(store: Store, annee: number): Promise<ContoursBilan['parc']> {
  try {
    const a = await analyserParc(store, annee, { kind: 'territoire' });
    return {
      hypotheseCentrale: a.hypothese_centrale,
      communes: a.croisement.map((c) => ({ code: c.code_insee, logements: c.logements, abordables: c.abordables, abordablesNonFragilesHorsQpv: c.abordables_non_fragiles_hors_qpv })),
    };
  } catch (error) {
    if (error instanceof MixiteError) return { indisponible: error.message };
    throw error;
  }
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
