/** @jsxRuntime automatic @jsxImportSource react */
/**
 * A map of the territory as SVG, the same component for the screen and the bilan: communes as paths (coloured by
 * a value when a choropleth is given), QPV outlines over them, points (residences) coloured by category, the
 * legend, the communes without an outline said in words, and the contours' source. No tile, no network: the
 * outlines are those of the dataset's contours.geojson. Its text alternative is the table `tableauCarte` gives,
 * which the page and the bilan print after it.
 */
import { formatEntier, formatTaux } from '@mixite/core/francais';
import type { ElementLegende, ProprietesCommunes } from '../commun.tsx';
import { Cadre, Legende, SYMBOLES_ECRAN, etiquette, hauteurLegende, r1 } from '../commun.tsx';
import type { Support } from '../palette.ts';
import { couleur } from '../palette.ts';
import { NUANCE_LIMITE, NUANCE_MASQUEE, NUANCE_QPV, NUANCE_SANS_VALEUR, couleurCarte } from './couleurs.ts';
import type { CategoriePoints, DonneesCarte, PointCarte } from './donnees.ts';
import { classeDe, classesDe, communesDuTerritoire, phraseSansContour, pointsPlaces, resumeCarte, seuilsDe } from './donnees.ts';
import type { Cadrage, ContourCarte } from './geometrie.ts';
import { cadrer, geometrieD3 } from './geometrie.ts';

export type ProprietesCarte = ProprietesCommunes & DonneesCarte;

const LARGEUR = 720;
const MARGE = 8;
/** The drawing's height at most (a page of the bilan holds the map, its legend and its caption). */
const HAUTEUR_MAX = 560;
const LIGNE_TEXTE = 16;
/** Characters of a line of text under the map (11 px type at about 6 px a character). */
const CARACTERES_LIGNE = 110;

/** Words cut into lines of at most `n` characters. */
function lignesDe(texte: string, n: number): string[] {
  const lignes: string[] = [];
  let ligne = '';
  for (const mot of texte.split(' ')) {
    if (ligne !== '' && ligne.length + 1 + mot.length > n) {
      lignes.push(ligne);
      ligne = mot;
    } else ligne = ligne === '' ? mot : `${ligne} ${mot}`;
  }
  if (ligne !== '') lignes.push(ligne);
  return lignes;
}

function legende(d: DonneesCarte, support: Support): ElementLegende[] {
  const items: ElementLegende[] = [];
  if (d.choroplethe) {
    for (const c of classesDe(d.choroplethe)) items.push({ couleur: couleurCarte(c.nuance, support), texte: c.texte });
    const valeurs = d.territoire.map((c) => d.choroplethe?.valeurs.get(c.code));
    if (valeurs.some((v) => v === undefined)) items.push({ couleur: couleurCarte(NUANCE_SANS_VALEUR, support), texte: 'sans valeur' });
    if (valeurs.some((v) => v === null)) items.push({ couleur: couleurCarte(NUANCE_MASQUEE, support), texte: 'secret statistique' });
  }
  if (d.qpv && d.qpv.length > 0) items.push({ couleur: couleurCarte(NUANCE_QPV, support), texte: 'quartier prioritaire (QPV)', trait: true, pointille: true });
  if (d.points) {
    // Only the categories the map shows: a category whose points all lack coordinates would explain nothing.
    const presentes = new Set(pointsPlaces(d.points).places.map((p) => p.categorie));
    for (const c of d.points.categories) if (presentes.has(c.cle)) items.push({ couleur: couleurCarte(c.nuance, support), texte: c.libelle });
  }
  return items;
}

/** The outlines projected and their paths: the same for every map of the same contours. */
interface Fond {
  readonly communes: readonly (ContourCarte & { readonly chemin: string })[];
  readonly qpv: readonly (ContourCarte & { readonly chemin: string })[];
  readonly cadrage: Cadrage | null;
}

/**
 * The last outlines projected, by the identity of the arrays they come from: a page with two maps of the same
 * contours (the Parc page) projects them once instead of twice, d3-geo's resampling being the costly part of a
 * map's drawing. A few entries only: a page rarely holds more than two sets of outlines.
 */
const FONDS: { communes: DonneesCarte['communes']; qpv: DonneesCarte['qpv']; territoire: DonneesCarte['territoire']; fond: Fond }[] = [];

function fondDe(d: DonneesCarte): Fond {
  const connu = FONDS.find((f) => f.communes === d.communes && f.qpv === d.qpv && f.territoire === d.territoire);
  if (connu) return connu.fond;
  const communes = communesDuTerritoire(d).map((c) => ({ ...c, d3: geometrieD3(c.geometrie) }));
  const qpv = (d.qpv ?? []).map((c) => ({ ...c, d3: geometrieD3(c.geometrie) }));
  const geometries = [...communes, ...qpv].map((c) => c.d3);
  const cadrage = geometries.length > 0 ? cadrer(geometries, LARGEUR, MARGE, HAUTEUR_MAX) : null;
  const chemin = ({ d3, ...c }: (typeof communes)[number]) => ({ ...c, chemin: cadrage?.chemin(d3) ?? '' });
  const fond: Fond = { communes: communes.map(chemin), qpv: qpv.map(chemin), cadrage };
  FONDS.unshift({ communes: d.communes, qpv: d.qpv, territoire: d.territoire, fond });
  FONDS.length = Math.min(FONDS.length, 4);
  return fond;
}

/** The radius of a point, in the drawing's pixels. */
const RAYON_POINT = 3.2;

/**
 * The points of a category as ONE path of small circles (two arcs each), not an element per point: a map of the
 * demo's 740 residences drew 1 480 elements (a circle and its title) for what the eye reads by colour. What a point
 * is stays in words elsewhere: the map's table counts the points by commune and category, the page lists them.
 */
function cheminPoints(xy: readonly (readonly [number, number])[]): string {
  const r = RAYON_POINT;
  return xy.map(([x, y]) => `M${r1(x - r)},${r1(y)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0`).join('');
}

/** The placed points by category, in the order of the categories (those outside them last, in the text colour). */
function groupesDePoints(d: DonneesCarte, projection: Cadrage['projection'], places: readonly PointCarte[]) {
  const parCategorie = new Map<string, [number, number][]>();
  for (const pt of places) {
    const xy = projection([pt.longitude as number, pt.latitude as number]);
    if (!xy) continue;
    const liste = parCategorie.get(pt.categorie) ?? [];
    liste.push([xy[0], xy[1]]);
    parCategorie.set(pt.categorie, liste);
  }
  const categories = d.points?.categories ?? [];
  const connues = new Set(categories.map((c) => c.cle));
  const groupes: { cle: string; categorie: CategoriePoints | null; xy: [number, number][] }[] = [];
  for (const c of categories) {
    const xy = parCategorie.get(c.cle);
    if (xy) groupes.push({ cle: c.cle, categorie: c, xy });
  }
  for (const [cle, xy] of parCategorie) if (!connues.has(cle)) groupes.push({ cle, categorie: null, xy });
  return groupes;
}

/** Everything the drawing needs, computed once: projection, paths, points, the lines under the map. */
function mise(d: DonneesCarte, support: Support) {
  const { communes, qpv, cadrage } = fondDe(d);
  const hauteurCarte = cadrage?.hauteur ?? 40;
  const sansContour = phraseSansContour(d);
  const { places, sansCoordonnees } = pointsPlaces(d.points);
  const notes = [
    ...(communes.length === 0 && qpv.length === 0 ? ['Aucun contour de commune dans le jeu de données : déposez un fichier contours.geojson (voir la documentation de la carte).'] : []),
    ...(sansContour ? [sansContour] : []),
    ...(sansCoordonnees > 0 ? [sansCoordonnees > 1 ? `${sansCoordonnees} points sans coordonnées ne sont pas placés.` : '1 point sans coordonnées n’est pas placé.'] : []),
  ].flatMap((t) => lignesDe(t, CARACTERES_LIGNE));
  const items = legende(d, support);
  const source = lignesDe(`Contours : ${d.source ?? 'fichier contours.geojson du jeu de données'}.`, CARACTERES_LIGNE);
  const yNotes = hauteurCarte + 4;
  const yLegende = yNotes + notes.length * LIGNE_TEXTE + (items.length > 0 ? 14 : 0);
  const ySource = yLegende + (items.length > 0 ? hauteurLegende(items, LARGEUR) : 0) + 6;
  const hauteur = ySource + source.length * LIGNE_TEXTE;
  const points = cadrage && places.length > 0 ? groupesDePoints(d, cadrage.projection, places) : [];
  return { communes, qpv, cadrage, points, notes, items, source, yNotes, yLegende, ySource, hauteur };
}

/** The size of the map for these data (the bilan sizes its image with it). */
export function tailleCarte(d: DonneesCarte): { largeur: number; hauteur: number } {
  return { largeur: LARGEUR, hauteur: mise(d, 'document').hauteur };
}

export function Carte(p: ProprietesCarte) {
  const { titre, support = 'ecran', symboles = SYMBOLES_ECRAN } = p;
  const m = mise(p, support);
  const choro = p.choroplethe;
  const seuils = choro ? seuilsDe(choro) : [];
  const classes = choro ? classesDe(choro) : [];
  const format = choro?.format ?? formatTaux;
  const remplissage = (code: string): string => {
    if (!choro) return couleurCarte(NUANCE_SANS_VALEUR, support);
    const v = choro.valeurs.get(code);
    if (v === null) return couleurCarte(NUANCE_MASQUEE, support);
    if (typeof v !== 'number') return couleurCarte(NUANCE_SANS_VALEUR, support);
    return couleurCarte(classes[classeDe(v, seuils)]?.nuance ?? NUANCE_SANS_VALEUR, support);
  };
  return (
    <Cadre titre={titre} resume={resumeCarte(p, symboles)} largeur={LARGEUR} hauteur={m.hauteur} support={support}>
      <g className="carte-communes" stroke={couleurCarte(NUANCE_LIMITE, support)} strokeWidth={0.8} strokeLinejoin="round">
        {m.communes.map((c) => (
          <path key={c.code} d={c.chemin} fill={remplissage(c.code)} data-code={c.code}>
            <title>{choro ? `${c.nom} : ${etiquette(choro.valeurs.get(c.code), format, symboles)}` : c.nom}</title>
          </path>
        ))}
      </g>
      {m.qpv.length > 0 ? (
        <g className="carte-qpv" fill="none" stroke={couleurCarte(NUANCE_QPV, support)} strokeWidth={1.4} strokeDasharray="4 2">
          {m.qpv.map((c) => (
            <path key={c.code} d={c.chemin} data-code={c.code}>
              <title>{c.nom}</title>
            </path>
          ))}
        </g>
      ) : null}
      {m.points.length > 0 ? (
        <g className="carte-points" stroke="#ffffff" strokeWidth={0.6}>
          {m.points.map((g) => (
            <path key={g.cle} d={cheminPoints(g.xy)} fill={g.categorie ? couleurCarte(g.categorie.nuance, support) : couleur('texte', support)} data-categorie={g.cle} data-points={g.xy.length}>
              <title>{`${p.points?.libelle ?? 'Points'}, ${g.categorie?.libelle ?? g.cle} : ${formatEntier(g.xy.length)}`}</title>
            </path>
          ))}
        </g>
      ) : null}
      {m.notes.map((t, i) => (
        <text key={`n${i}`} x={MARGE} y={m.yNotes + (i + 1) * LIGNE_TEXTE - 4} fontSize={11} fill={couleurCarte('red-9', support)} className="carte-note">
          {t}
        </text>
      ))}
      {m.items.length > 0 ? <Legende y={m.yLegende} items={m.items} largeur={LARGEUR} /> : null}
      {m.source.map((t, i) => (
        <text key={`s${i}`} x={MARGE} y={m.ySource + (i + 1) * LIGNE_TEXTE - 4} fontSize={10} fill={couleurCarte('gray-7', support)}>
          {t}
        </text>
      ))}
    </Cadre>
  );
}
