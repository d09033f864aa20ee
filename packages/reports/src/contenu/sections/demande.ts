import { LIBELLES_MODALITE, MODALITES_MOTIF_REFUS, MODALITES_QUARTILE, MODALITES_TYPOLOGIE, declarationDesPropositions } from '@mixite/core';
import { barresVerticales, plafondDesParts } from '../../graphiques/svg.ts';
import { anneesQuartiles, cles, ligneDemande } from '../comptes.ts';
import type { Contexte } from '../contexte.ts';
import { territoire } from '../contexte.ts';
import { formatDate, formatEntier, formatRatio, formatTaux } from '../format.ts';
import type { Cellule, Ligne } from '../modele.ts';
import { VIDE, euros, nombre, ratio, taux, texte } from '../modele.ts';

/** a / b from published counts: masked when either is, « – » when b is 0; 0 of a masked (so positive) count is 0 %. */
function part(a: number | null, b: number | null): Cellule {
  if (b === 0) return VIDE;
  if (a === 0) return taux(0);
  return a === null || b === null ? { kind: 'secret' } : taux(a / b);
}

function quotient(a: number | null, b: number | null): Cellule {
  if (b === 0) return VIDE;
  return a === null || b === null ? { kind: 'secret' } : ratio(a / b);
}

/** Section « La demande »: stock and flows, quartiles (limits against the published threshold), tension by typology. */
export function sectionDemande(ctx: Contexte): void {
  const { r, donnees, comptes: c } = ctx;
  const n = donnees.annee;
  const annees = donnees.annees;
  const v = (cle: string) => c.valeur(cle);
  r.titre(1, 'La demande de logement social');

  r.titre(2, 'Stock et flux de demandes');
  const delai = (y: number): Cellule => {
    const sat = v(cles.satisfaites(y));
    const moyenne = ligneDemande(donnees, y, 'delai_attente_satisfaites')?.valeur ?? null;
    if (sat === 0) return VIDE;
    return sat === null ? { kind: 'secret' } : ratio(moyenne, false);
  };
  const lignes: Ligne[] = [
    { cellules: [texte('Demandes actives au 31 décembre'), ...annees.map((y) => nombre(v(cles.stock(y))))], total: true },
    { cellules: [texte('dont demandes de mutation'), ...annees.map((y) => nombre(v(cles.stockMutation(y))))] },
    { cellules: [texte('dont demandes de premier accès'), ...annees.map((y) => nombre(v(cles.stockPremierAcces(y))))] },
    { cellules: [texte('Part des mutations dans la demande'), ...annees.map((y) => part(v(cles.stockMutation(y)), v(cles.stock(y))))] },
    { cellules: [texte('Demandes déposées dans l’année'), ...annees.map((y) => nombre(v(cles.deposees(y))))] },
    { cellules: [texte('Demandes satisfaites dans l’année'), ...annees.map((y) => nombre(v(cles.satisfaites(y))))] },
    { cellules: [texte('Demandes radiées sans attribution'), ...annees.map((y) => nombre(v(cles.radiees(y))))] },
    { cellules: [texte('Délai moyen d’attente des demandes satisfaites (jours)'), ...annees.map(delai)] },
  ];
  const stock = r.tableau('demande-evolution', 'Évolution de la demande', ['', ...annees.map(String)], lignes, [
    'Demande active le 31 décembre : déposée au plus tard ce jour et non radiée avant le lendemain. Flux datés par le dépôt ou la radiation.',
  ]);
  r.graphique(
    'demande-evolution',
    'Demandes actives au 31 décembre et demandes satisfaites dans l’année',
    barresVerticales(
      'Demandes actives et satisfaites',
      annees.map(String),
      [
        { nom: 'demandes actives au 31/12', valeurs: annees.map((y) => v(cles.stock(y))) },
        { nom: 'demandes satisfaites dans l’année', valeurs: annees.map((y) => v(cles.satisfaites(y))) },
      ],
      { format: formatEntier },
    ),
    'Nombre de demandes actives en fin d’année et de demandes satisfaites, par année.',
    stock,
  );

  r.titre(2, 'Quartiles de ressources');
  const limites = donnees.parAnnee.get(n)?.resultats.limites ?? [];
  r.paragraphe(
    'Les limites des quartiles de l’année N sont calculées sur les ressources par unité de consommation des demandes actives au ' +
      '31 décembre de l’année N−1, comme l’arrêté ; seul le seuil du premier quartile est publié. La médiane sépare les quartiles 2 et 3 ' +
      '(objectif en QPV aux quartiles 3 et 4).',
  );
  const ecartSeuil = (l: (typeof limites)[number]): Cellule =>
    l.seuil_publie === null || l.q1 === null || l.q1 === 0 ? VIDE : { kind: 'variation', valeur: l.seuil_publie / l.q1 - 1 };
  r.tableau(
    'quartiles-limites',
    'Limites des quartiles calculées et seuil publié (€ par UC et par an)',
    ['', ...limites.map((l) => `${l.annee} (demande au ${formatDate(l.date_reference)})`)],
    [
      { cellules: [texte('Limite du 1er quartile calculée'), ...limites.map((l) => euros(l.q1))] },
      { cellules: [texte('Seuil du 1er quartile publié'), ...limites.map((l) => euros(l.seuil_publie))] },
      { cellules: [texte('Écart relatif du seuil publié à la limite calculée'), ...limites.map(ecartSeuil)] },
      { cellules: [texte('Médiane'), ...limites.map((l) => euros(l.mediane))] },
      { cellules: [texte('Limite du 3e quartile'), ...limites.map((l) => euros(l.q3))] },
    ],
    [
      'Écart relatif : seuil publié ÷ limite calculée − 1.',
      ...(donnees.seuils.some((s) => s.seuilQ2 !== null || s.seuilQ3 !== null)
        ? ['Médiane et 3e quartile : ceux de l’arrêté quand il les publie (tableau « Médiane et troisième quartile publiés »), sinon calculés sur la demande.']
        : []),
    ],
  );

  const aq = anneesQuartiles(donnees);
  const colonnesQ = [...aq.flatMap((y) => [`Demandes au 31/12/${y}`, 'Part']), `Baux signés en ${n}`, 'Part', 'Demandes pour un bail'];
  const ligneQ = (q: string, total: boolean): Ligne => {
    const stockQ = (y: number) => v(total ? cles.stock(y) : cles.stockQuartile(y, q));
    const bauxQ = v(total ? cles.baux(n) : cles.bauxQuartile(n, q));
    return {
      total,
      cellules: [
        texte(total ? 'Ensemble' : (LIBELLES_MODALITE[q] ?? q)),
        ...aq.flatMap((y) => [nombre(stockQ(y)), part(stockQ(y), v(cles.stock(y)))]),
        nombre(bauxQ),
        part(bauxQ, v(cles.baux(n))),
        quotient(stockQ(n), bauxQ),
      ],
    };
  };
  const quartiles = r.tableau(
    'quartiles',
    `Demande et baux signés par quartile de ressources`,
    ['Quartile', ...colonnesQ],
    [...MODALITES_QUARTILE.map((q) => ligneQ(q, false)), ligneQ('', true)],
    [
      'Quartile d’une demande : celui de ses ressources par UC au regard des limites de l’année du 31 décembre considéré ; d’un bail : limites de l’année du bail. « Quartile inconnu » : ressources ou composition non renseignées.',
    ],
  );
  r.graphique(
    'quartiles',
    `Répartition par quartile de la demande au 31/12/${n} et des baux signés en ${n}`,
    barresVerticales(
      'Quartiles',
      MODALITES_QUARTILE.filter((q) => q !== 'inconnu').map((q) => LIBELLES_MODALITE[q] ?? q),
      [
        { nom: `demande au 31/12/${n}`, valeurs: MODALITES_QUARTILE.filter((q) => q !== 'inconnu').map((q) => ratioOuNull(v(cles.stockQuartile(n, q)), v(cles.stock(n)))) },
        { nom: `baux signés en ${n}`, valeurs: MODALITES_QUARTILE.filter((q) => q !== 'inconnu').map((q) => ratioOuNull(v(cles.bauxQuartile(n, q)), v(cles.baux(n)))) },
      ],
      { format: (x) => formatTaux(x), max: plafondDesParts(MODALITES_QUARTILE.flatMap((q) => [ratioOuNull(v(cles.stockQuartile(n, q)), v(cles.stock(n))), ratioOuNull(v(cles.bauxQuartile(n, q)), v(cles.baux(n)))])) },
    ),
    'Part de chaque quartile de ressources dans la demande active en fin d’année et dans les baux signés dans l’année.',
    quartiles,
  );

  r.titre(2, 'Tension par typologie');
  const ligneT = (t: string, total: boolean): Ligne => {
    const s = v(total ? cles.stock(n) : cles.stockTypologie(n, t));
    const b = v(total ? cles.baux(n) : cles.bauxTypologie(n, t));
    return { total, cellules: [texte(total ? 'Ensemble' : (LIBELLES_MODALITE[t] ?? t)), nombre(s), nombre(b), quotient(s, b)] };
  };
  const tension = r.tableau(
    'tension-typologie',
    `Tension par typologie en ${n}`,
    ['Typologie', `Demandes actives au 31/12/${n}`, `Baux signés en ${n}`, 'Demandes pour un bail'],
    [...MODALITES_TYPOLOGIE.map((t) => ligneT(t, false)), ligneT('', true)],
    ['Typologie d’une demande : la typologie minimale demandée ; d’un bail : le nombre de pièces du logement.'],
  );
  const typos = MODALITES_TYPOLOGIE.filter((t) => t !== 'inconnue');
  r.graphique(
    'tension-typologie',
    `Demandes actives pour un bail signé, par typologie, en ${n}`,
    barresVerticales(
      'Tension',
      typos.map((t) => LIBELLES_MODALITE[t] ?? t),
      [{ nom: 'demandes pour un bail', valeurs: typos.map((t) => ratioOuNull(v(cles.stockTypologie(n, t)), v(cles.bauxTypologie(n, t)))) }],
      { format: formatRatio },
    ),
    'Nombre de demandes actives au 31 décembre pour un bail signé dans l’année, par typologie.',
    tension,
  );
}

/** Section « Les attributions »: proposals, refusals and leases over the years, refusals by motive. */
export function sectionAttributions(ctx: Contexte): void {
  const { r, donnees, comptes: c } = ctx;
  const n = donnees.annee;
  const annees = donnees.annees;
  const v = (cle: string) => c.valeur(cle);
  // Every proposal: the denominator of an indicator counted on all proposals, published (masked) with it.
  const toutes = declarationDesPropositions(ctx.declarations);
  const propositions = (y: number) => (toutes ? (territoire(ctx, toutes.id, String(y))?.denominateur ?? null) : null);
  r.titre(1, 'Les attributions');
  r.paragraphe(
    'Une proposition est une décision d’attribution de la CALEOL (refus du demandeur compris), datée par la commission ; un bail est une ' +
      'proposition suivie de la signature du bail, datée par la signature. Les objectifs de la loi se comptent tantôt en propositions, tantôt en baux.',
  );
  r.tableau(
    'attributions-evolution',
    'Propositions, refus et baux signés',
    ['', ...annees.map(String)],
    [
      { cellules: [texte('Propositions en CALEOL'), ...annees.map((y) => nombre(propositions(y)))] },
      { cellules: [texte('dont refusées par le demandeur'), ...annees.map((y) => nombre(v(cles.refus(y))))] },
      { cellules: [texte('Part des refus'), ...annees.map((y) => part(v(cles.refus(y)), propositions(y)))] },
      { cellules: [texte('Baux signés'), ...annees.map((y) => nombre(v(cles.baux(y))))], total: true },
      { cellules: [texte('dont ménages en mutation'), ...annees.map((y) => nombre(v(cles.bauxMutation(y))))] },
      { cellules: [texte('dont ménages en premier accès'), ...annees.map((y) => nombre(v(cles.bauxPremierAcces(y))))] },
      { cellules: [texte('Part des mutations dans les baux'), ...annees.map((y) => part(v(cles.bauxMutation(y)), v(cles.baux(y))))] },
    ],
    ['Les baux par quartile de ressources et par typologie sont au chapitre de la demande.'],
  );
  r.tableau(
    'refus-motifs',
    `Refus des demandeurs par motif en ${n}`,
    ['Motif', 'Refus', 'Part'],
    [
      ...MODALITES_MOTIF_REFUS.map((m) => ({
        cellules: [texte(LIBELLES_MODALITE[m] ?? m), nombre(v(cles.refusMotif(n, m))), part(v(cles.refusMotif(n, m)), v(cles.refus(n)))],
      })),
      { total: true, cellules: [texte('Ensemble des refus'), nombre(v(cles.refus(n))), part(v(cles.refus(n)), v(cles.refus(n)))] },
    ],
    ['Propositions refusées par le demandeur, datées par la CALEOL.'],
  );
}

/** a / b for a chart: undefined (« – ») when b is 0, null (« s ») when either is masked; 0 / masked is 0. */
function ratioOuNull(a: number | null, b: number | null): number | null | undefined {
  if (b === 0) return undefined;
  if (a === 0) return 0;
  return a === null || b === null ? null : a / b;
}
