/** @jsxRuntime automatic @jsxImportSource react */
/**
 * A map of the territory as SVG, the same component for the screen and the bilan: communes as paths (coloured by
 * a value when a choropleth is given), QPV outlines over them, points (residences) coloured by category, the
 * legend, the communes without an outline said in words, and the contours' source. No tile, no network: the
 * outlines are those of the dataset's contours.geojson. Its text alternative is the table `tableauCarte` gives,
 * which the page and the bilan print after it.
 */
import { formatTaux } from '@mixite/core/francais';
import type { ElementLegende, ProprietesCommunes } from '../commun.tsx';
import { Cadre, Legende, SYMBOLES_ECRAN, etiquette, hauteurLegende, r1 } from '../commun.tsx';
import type { Support } from '../palette.ts';
import { couleur } from '../palette.ts';
import { NUANCE_LIMITE, NUANCE_MASQUEE, NUANCE_QPV, NUANCE_SANS_VALEUR, couleurCarte } from './couleurs.ts';
import type { DonneesCarte } from './donnees.ts';
import { classeDe, classesDe, communesDuTerritoire, phraseSansContour, pointsPlaces, resumeCarte, seuilsDe } from './donnees.ts';
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

/** Everything the drawing needs, computed once: projection, paths, points, the lines under the map. */
function mise(d: DonneesCarte, support: Support) {
  const communes = communesDuTerritoire(d).map((c) => ({ ...c, d3: geometrieD3(c.geometrie) }));
  const qpv = (d.qpv ?? []).map((c) => ({ ...c, d3: geometrieD3(c.geometrie) }));
  const geometries = [...communes, ...qpv].map((c) => c.d3);
  const cadrage = geometries.length > 0 ? cadrer(geometries, LARGEUR, MARGE, HAUTEUR_MAX) : null;
  const hauteurCarte = cadrage?.hauteur ?? 40;
  const sansContour = phraseSansContour(d);
  const { places, sansCoordonnees } = pointsPlaces(d.points);
  const notes = [
    ...(geometries.length === 0 ? ['Aucun contour de commune dans le jeu de données : déposez un fichier contours.geojson (voir la documentation de la carte).'] : []),
    ...(sansContour ? [sansContour] : []),
    ...(sansCoordonnees > 0 ? [sansCoordonnees > 1 ? `${sansCoordonnees} points sans coordonnées ne sont pas placés.` : '1 point sans coordonnées n’est pas placé.'] : []),
  ].flatMap((t) => lignesDe(t, CARACTERES_LIGNE));
  const items = legende(d, support);
  const source = lignesDe(`Contours : ${d.source ?? 'fichier contours.geojson du jeu de données'}.`, CARACTERES_LIGNE);
  const yNotes = hauteurCarte + 4;
  const yLegende = yNotes + notes.length * LIGNE_TEXTE + (items.length > 0 ? 14 : 0);
  const ySource = yLegende + (items.length > 0 ? hauteurLegende(items, LARGEUR) : 0) + 6;
  const hauteur = ySource + source.length * LIGNE_TEXTE;
  return { communes, qpv, cadrage, places, notes, items, source, yNotes, yLegende, ySource, hauteur };
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
  const categories = new Map((p.points?.categories ?? []).map((c) => [c.cle, c]));
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
          <path key={c.code} d={m.cadrage?.chemin(c.d3) ?? ''} fill={remplissage(c.code)} data-code={c.code}>
            <title>{choro ? `${c.nom} : ${etiquette(choro.valeurs.get(c.code), format, symboles)}` : c.nom}</title>
          </path>
        ))}
      </g>
      {m.qpv.length > 0 ? (
        <g className="carte-qpv" fill="none" stroke={couleurCarte(NUANCE_QPV, support)} strokeWidth={1.4} strokeDasharray="4 2">
          {m.qpv.map((c) => (
            <path key={c.code} d={m.cadrage?.chemin(c.d3) ?? ''} data-code={c.code}>
              <title>{c.nom}</title>
            </path>
          ))}
        </g>
      ) : null}
      {m.cadrage && m.places.length > 0 ? (
        <g className="carte-points" stroke="#ffffff" strokeWidth={0.6}>
          {m.places.map((pt) => {
            const xy = m.cadrage?.projection([pt.longitude as number, pt.latitude as number]);
            if (!xy) return null;
            const cat = categories.get(pt.categorie);
            return (
              <circle key={pt.id} cx={r1(xy[0])} cy={r1(xy[1])} r={3.2} fill={cat ? couleurCarte(cat.nuance, support) : couleur('texte', support)}>
                <title>{cat ? `${pt.libelle} : ${cat.libelle}` : pt.libelle}</title>
              </circle>
            );
          })}
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
