import { z } from 'zod';
import type { Lecture } from './commun.ts';
import { liste } from './commun.ts';

/**
 * The outlines of the territory for its maps (issue 14, GET /api/contours): the communes and QPV of the dataset's
 * optional contours.geojson (WGS84 longitude/latitude), and the communes of the territory, so that a map says which
 * communes have no outline instead of leaving a hole. Public geography (IGN, ANCT): the same for every account.
 */

const position = z.array(z.number()).min(2);
const anneau = liste(position);
export const geometrieSurfaceSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('Polygon'), coordinates: liste(anneau) }).strict(),
    z.object({ type: z.literal('MultiPolygon'), coordinates: liste(liste(anneau)) }).strict(),
  ])
  .meta({ id: 'GeometrieSurface', description: 'Géométrie GeoJSON (RFC 7946) d’un contour : Polygon ou MultiPolygon, positions [longitude, latitude] en degrés WGS84' });

export const contourSchema = z
  .object({
    code: z.string().meta({ description: 'Code INSEE de la commune ou code du QPV' }),
    nom: z.string().meta({ description: 'Nom (celui du jeu de données, sinon celui du fichier de contours, sinon le code)' }),
    geometrie: geometrieSurfaceSchema,
  })
  .strict();

export const contoursSchema = z
  .object({
    source: z.string().nullable().meta({ description: 'Source des contours (membre « source » du fichier), citée sous chaque carte' }),
    communes: liste(contourSchema),
    qpv: liste(contourSchema),
    territoire: liste(z.object({ code: z.string(), nom: z.string() }).strict()).meta({ description: 'Communes du territoire (communes.csv), avec ou sans contour' }),
  })
  .strict()
  .meta({ id: 'Contours', description: 'Contours des communes et des QPV du jeu de données (contours.geojson) et communes du territoire' });
export type Contours = Lecture<z.infer<typeof contoursSchema>>;
export type ContourApi = Contours['communes'][number];
