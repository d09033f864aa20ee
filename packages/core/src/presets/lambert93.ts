import proj4 from 'proj4';

/**
 * Lambert-93 (RGF93, EPSG:2154) → WGS84 longitude and latitude, through proj4 (a well-kept projection library):
 * RPLS gives each dwelling's X and Y in Lambert-93, the map and `residences.csv` want degrees.
 * RGF93 and WGS84 agree within a few centimetres, so no datum shift is applied (towgs84 = 0).
 * The definition is the one of the EPSG registry: conic conformal with standard parallels 44° and 49° N, origin
 * 46°30′ N 3° E at X = 700 000 m, Y = 6 600 000 m, GRS80 ellipsoid.
 */
export const LAMBERT_93 = '+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

const conversion = proj4(LAMBERT_93, 'WGS84');

export interface PointWgs84 {
  readonly longitude: number;
  readonly latitude: number;
}

/** A Lambert-93 point in degrees (longitude, latitude), not rounded. */
export function lambert93VersWgs84(x: number, y: number): PointWgs84 {
  const [longitude, latitude] = conversion.forward([x, y]) as [number, number];
  return { longitude, latitude };
}

/**
 * The box of metropolitan France and Corsica in degrees, with a margin of about 10 km: a point outside it is not a
 * dwelling of the file (a coordinate in another system, swapped X and Y, a missing digit). Overseas dwellings are
 * not in Lambert-93 (their EPSG column says which system): they are not converted.
 */
export const FRANCE_METROPOLITAINE = { longitudeMin: -5.3, longitudeMax: 9.7, latitudeMin: 41.2, latitudeMax: 51.2 } as const;

export const enFranceMetropolitaine = (p: PointWgs84): boolean =>
  Number.isFinite(p.longitude) &&
  Number.isFinite(p.latitude) &&
  p.longitude >= FRANCE_METROPOLITAINE.longitudeMin &&
  p.longitude <= FRANCE_METROPOLITAINE.longitudeMax &&
  p.latitude >= FRANCE_METROPOLITAINE.latitudeMin &&
  p.latitude <= FRANCE_METROPOLITAINE.latitudeMax;
