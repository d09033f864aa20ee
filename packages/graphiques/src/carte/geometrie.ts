/**
 * The geometry of a map: outlines (GeoJSON Polygon / MultiPolygon in WGS84, as `contours.geojson` holds them)
 * projected to SVG paths with d3-geo, no tile server and no network. The projection is a conic conformal one
 * with France's Lambert-93 parallels (44° and 49° N), the one French maps use, fitted to the outlines drawn.
 */
import { geoArea, geoConicConformal, geoPath } from 'd3-geo';
import type { GeoPath, GeoProjection } from 'd3-geo';

type Anneau = readonly (readonly number[])[];
/** A surface of a contours file: the only geometries the import accepts. */
export type GeometrieSurface =
  | { readonly type: 'Polygon'; readonly coordinates: readonly Anneau[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly Anneau[])[] };

/** One outline to draw: a commune or a QPV, named by its code. */
export interface ContourCarte {
  readonly code: string;
  readonly nom: string;
  readonly geometrie: GeometrieSurface;
}

interface Polygone {
  type: 'Polygon';
  coordinates: number[][][];
}

/**
 * d3-geo works on the sphere, where a ring's orientation says which side is inside: it expects exterior rings
 * clockwise, while RFC 7946 writes them counter-clockwise. A polygon read the RFC way would cover the whole
 * globe but itself; such a polygon (area above a hemisphere) is turned around.
 */
function polygonesD3(g: GeometrieSurface): Polygone[] {
  const polygones = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polygones.map((anneaux) => {
    const p: Polygone = { type: 'Polygon', coordinates: anneaux.map((a) => a.map((pos) => [pos[0] as number, pos[1] as number])) };
    if (geoArea(p) > 2 * Math.PI) p.coordinates = p.coordinates.map((a) => [...a].reverse());
    return p;
  });
}

/** A geometry in d3's orientation. */
export function geometrieD3(g: GeometrieSurface): { type: 'MultiPolygon'; coordinates: number[][][][] } {
  return { type: 'MultiPolygon', coordinates: polygonesD3(g).map((p) => p.coordinates) };
}

/** The projection of a map and its path generator, fitted to `largeur` and to the outlines given. */
export interface Cadrage {
  readonly projection: GeoProjection;
  readonly chemin: GeoPath;
  /** The drawing's height for that width (the outlines' aspect ratio). */
  readonly hauteur: number;
}

/**
 * Fits the outlines into `largeur` pixels wide with a margin; their height follows, up to `hauteurMax` (a tall
 * territory is then drawn narrower, centred, so that a map fits on a page).
 */
export function cadrer(geometries: readonly { type: 'MultiPolygon'; coordinates: number[][][][] }[], largeur: number, marge: number, hauteurMax: number): Cadrage {
  const collection = { type: 'GeometryCollection' as const, geometries: [...geometries] };
  // No adaptive resampling (`precision(0)`): d3 would cut each edge until its projected curve strays less than half a
  // pixel from a straight line, but an edge of a commune's outline (a few hundred metres, 20 km at most once
  // simplified) strays by less than a hundredth of a pixel even on a map of all France — the demo's 23 paths are the
  // same to the character — while the resampling's recursion, run four times here (two fits, the bounds, the paths),
  // was most of the drawing's time on a page's first, cold, run (issue 14).
  //
  // No antimeridian clipping either (`preclip` passing the stream through): d3 cuts every ring where it crosses the
  // meridian opposite the projection's centre (177° W here), which no outline of a French territory reaches — the
  // overseas departments lie between 62° W and 56° E — while the clipping's ring buffering and rejoining was the
  // largest part of the remaining cold projection (demo: 109 → 65 ms median of three cold runs in Node, the 23 paths
  // identical to the character, bench note in docs/BENCHMARKS.md).
  const projection = geoConicConformal()
    .parallels([44, 49])
    .rotate([-3, 0])
    .precision(0)
    .preclip((flux) => flux);
  projection.fitWidth(largeur - 2 * marge, collection);
  const [[, y0], [, y1]] = geoPath(projection).bounds(collection);
  const utile = Math.min(Math.ceil(y1 - y0), hauteurMax - 2 * marge);
  projection.fitExtent(
    [
      [marge, marge],
      [largeur - marge, marge + utile],
    ],
    collection,
  );
  return { projection, chemin: geoPath(projection).digits(1), hauteur: utile + 2 * marge };
}
