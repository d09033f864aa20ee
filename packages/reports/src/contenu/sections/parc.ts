import type { CommuneTerritoire, DonneesCarte, Symboles } from '@mixite/graphiques';
import { Carte, communesDuTerritoire, resumeCarte, tableauCarte, tailleCarte } from '@mixite/graphiques';
import { svgStatique } from '@mixite/graphiques/statique';
import { pointsResidencesQpv } from '../../donnees/contours.ts';
import type { Contexte } from '../contexte.ts';
import { territoire as ligneDuTerritoire } from '../contexte.ts';
import { formatEntier, formatTaux, pluriel } from '../format.ts';
import type { Cellule, Ligne } from '../modele.ts';
import { SECRET_SYMBOLE, VIDE, VIDE_SYMBOLE, nombre, taux, texte } from '../modele.ts';

/** The bilan's symbols for a value a map does not colour. */
const SYMBOLES: Symboles = { masque: SECRET_SYMBOLE, vide: VIDE_SYMBOLE };

/** Classes around a target: 10 points below, the target, 10 points above. */
const seuilsAutour = (cible: number): number[] => [...new Set([Math.max(0, cible - 0.1), cible, Math.min(1, cible + 0.1)].map((s) => Math.round(s * 1000) / 1000))];

/**
 * Section « Le territoire en cartes » (issue 14, docs/carte.md): the communes and QPV drawn from the dataset's
 * contours.geojson, the targets counted outside QPV coloured by commune (where the 25 % target is missed first),
 * and the residences placed in QPV or outside. Each map follows the table it draws (its text alternative), with
 * the contours' source; a commune without an outline is said under the map and in the table.
 */
export function sectionParc(ctx: Contexte): void {
  const { r, donnees } = ctx;
  const n = donnees.annee;
  const ref = donnees.referentiel;
  const contours = donnees.contours;
  r.titre(1, 'Le territoire en cartes');
  if (!contours || contours.communes.length === 0) {
    r.paragraphe(
      'Le jeu de données ne contient pas les contours des communes (fichier contours.geojson, voir la documentation de la carte) : ' +
        'les cartes du territoire ne sont pas dessinées. Les taux par commune figurent au chapitre des ventilations.',
    );
    return;
  }
  const territoire: CommuneTerritoire[] = [...ref.communes].map(([code, nom]) => ({ code, nom })).sort((a, b) => a.nom.localeCompare(b.nom, 'fr'));
  const source = `Contours : ${contours.source ?? 'fichier contours.geojson du jeu de données'}.`;
  // Only the territory's QPV: a national QPV file would frame the map on France.
  const qpv = contours.qpv.filter((q) => ref.qpv.has(q.code));
  const base: DonneesCarte = { communes: contours.communes, qpv, territoire, source: contours.source };
  const dessinees = communesDuTerritoire(base).length;
  r.paragraphe(
    `Les cartes dessinent ${pluriel(dessinees, 'commune')}${qpv.length > 0 ? ` et ${pluriel(qpv.length, 'quartier prioritaire', 'quartiers prioritaires')}` : ''} ` +
      `à partir du fichier de contours du jeu de données. ${source} Chaque carte suit le tableau de ses valeurs ; une commune sans contour y est signalée.`,
  );

  // The targets counted on the allocations outside QPV: the map shows where the first quartile is housed outside the QPV.
  for (const decl of ctx.declarations.filter((d) => d.champ === 'hors_qpv')) {
    const lignes = new Map(territoire.map((c) => [c.code, ctx.publies.ligne(decl.id, 'commune', c.code, String(n))]));
    if ([...lignes.values()].every((l) => l === null)) continue;
    const cible = ligneDuTerritoire(ctx, decl.id, String(n))?.cible ?? null;
    const donneesCarte: DonneesCarte = {
      ...base,
      choroplethe: {
        libelle: decl.courts.titre,
        valeurs: new Map([...lignes].map(([code, l]) => [code, l === null ? undefined : l.denominateur === 0 ? undefined : l.taux])),
        ...(cible !== null ? { seuils: seuilsAutour(cible) } : {}),
        format: formatTaux,
      },
    };
    const table = tableauCarte(donneesCarte, SYMBOLES);
    const cellules = (code: string, i: number): Cellule[] => {
      const l = lignes.get(code) ?? null;
      const ligne = table.lignes[i] ?? [];
      return [texte(ligne[0] ?? code), texte(code), l === null || l.denominateur === 0 ? VIDE : taux(l.taux), texte(ligne[3] ?? ''), texte(ligne[4] ?? '')];
    };
    const tableau = r.tableau(
      `carte-${decl.id}`,
      `${decl.courts.titre} par commune, ${n} : valeurs de la carte`,
      ['Commune', 'Code INSEE', 'Taux', 'Classe de la carte', 'Sur la carte'],
      territoire.map((c, i): Ligne => ({ cellules: cellules(c.code, i) })),
      [`${decl.libelle}.${cible !== null ? ` Cible du territoire : ${formatTaux(cible)}.` : ''} « s » : secret statistique ; « – » : aucun bail compté.`, source],
    );
    r.graphique(
      `carte-${decl.id}`,
      `${decl.courts.titre} par commune en ${n}`,
      { svg: svgStatique(Carte, { titre: `${decl.courts.titre} par commune, ${n}`, ...donneesCarte, symboles: SYMBOLES }), ...tailleCarte(donneesCarte) },
      resumeCarte(donneesCarte, SYMBOLES),
      tableau,
    );
  }

  // The stock a first-quartile household can afford after APL, not fragile and outside QPV (dwellings: nothing to mask).
  const parc = contours.parc;
  if ('indisponible' in parc) {
    r.paragraphe(`Le parc abordable au premier quartile n’est pas cartographié : ${parc.indisponible}`, 'note');
  } else if (parc.communes.length > 0) {
    const parCommune = new Map(parc.communes.map((c) => [c.code, c]));
    const part = (code: string) => {
      const c = parCommune.get(code);
      return c && c.logements > 0 ? c.abordablesNonFragilesHorsQpv / c.logements : undefined;
    };
    const libelle = `Part du parc abordable au 1er quartile (taux d’effort ≤ ${formatTaux(parc.hypotheseCentrale)}), non fragile et hors QPV`;
    const donneesCarte: DonneesCarte = { ...base, choroplethe: { libelle, valeurs: new Map(territoire.map((c) => [c.code, part(c.code)])), format: formatTaux } };
    const table = tableauCarte(donneesCarte, SYMBOLES);
    const tableau = r.tableau(
      'carte-parc-abordable',
      `${libelle}, par commune, ${n} : valeurs de la carte`,
      ['Commune', 'Code INSEE', 'Logements', 'Abordables au Q1', 'Abordables, non fragiles, hors QPV', 'Part du parc', 'Classe de la carte', 'Sur la carte'],
      territoire.map((c, i): Ligne => {
        const p = parCommune.get(c.code);
        const v = part(c.code);
        return {
          cellules: [texte(c.nom), texte(c.code), p ? nombre(p.logements) : VIDE, p ? nombre(p.abordables) : VIDE, p ? nombre(p.abordablesNonFragilesHorsQpv) : VIDE, v === undefined ? VIDE : taux(v), texte(table.lignes[i]?.[3] ?? ''), texte(table.lignes[i]?.[4] ?? '')],
        };
      }),
      [
        `Pour chaque logement, le ménage de référence du premier quartile de sa taille, son APL et son taux d’effort (méthode : docs/parc.md). ` +
          `${formatEntier(parc.communes.reduce((s, c) => s + c.abordablesNonFragilesHorsQpv, 0))} logements abordables, non fragiles et hors QPV sur ${formatEntier(parc.communes.reduce((s, c) => s + c.logements, 0))}.`,
        source,
      ],
    );
    r.graphique(
      'carte-parc-abordable',
      `${libelle}, par commune, ${n}`,
      { svg: svgStatique(Carte, { titre: `${libelle}, par commune, ${n}`, ...donneesCarte, symboles: SYMBOLES }), ...tailleCarte(donneesCarte) },
      resumeCarte(donneesCarte, SYMBOLES),
      tableau,
    );
  }

  // The residences, in QPV or outside: where the stock is (issue 14; their fragility comes with the stock's analysis).
  if (contours.residences.length > 0) {
    const donneesCarte: DonneesCarte = {
      ...base,
      points: {
        libelle: 'Résidences',
        categories: [
          { cle: 'qpv', libelle: 'résidence en QPV', nuance: 'grape-9' },
          { cle: 'hors_qpv', libelle: 'résidence hors QPV', nuance: 'teal-9' },
        ],
        points: pointsResidencesQpv(contours.residences),
      },
    };
    const table = tableauCarte(donneesCarte, SYMBOLES);
    const tableau = r.tableau(
      'carte-residences',
      'Résidences par commune, en QPV et hors QPV : valeurs de la carte',
      table.colonnes,
      table.lignes.map((l): Ligne => ({ cellules: l.map(texte) })),
      [`Résidences de residences.csv placées par leur latitude et leur longitude. ${source}`],
    );
    r.graphique(
      'carte-residences',
      'Les résidences du parc social, en QPV et hors QPV',
      { svg: svgStatique(Carte, { titre: 'Résidences du parc social, en QPV et hors QPV', ...donneesCarte, symboles: SYMBOLES }), ...tailleCarte(donneesCarte) },
      resumeCarte(donneesCarte, SYMBOLES),
      tableau,
    );
  }
}
