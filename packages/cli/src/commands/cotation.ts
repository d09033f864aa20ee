import { once } from 'node:events';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ComparaisonGrilles, Grille, ImpactGrille, IndicateurImpact, LigneImpact } from '@mixite/core';
import { INDICATEURS_IMPACT, LIBELLES_INDICATEUR_IMPACT } from '@mixite/core';
import { formatTaux } from '@mixite/core/francais';
import { CSV_POINT_VIRGULE_POINT, tableauCsv } from '@mixite/core/tableau';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, parse, singleSource, wantsHelp } from '../args.ts';
import { lireGrille } from '../grille-fichier.ts';
import { ouvrirBase } from '../store-source.ts';

export const COTATION_HELP = `Usage : mixite cotation (--data DOSSIER | --base FICHIER) --grille FICHIER [--date AAAA-MM-JJ] [--out FICHIER]
       mixite cotation (--data DOSSIER | --base FICHIER) --grille FICHIER --comparer FICHIER2 [--date AAAA-MM-JJ] [--out FICHIER]
       mixite cotation (--data DOSSIER | --base FICHIER) --grille FICHIER --impact [--date AAAA-MM-JJ] [--out FICHIER]

Cote chaque demande active à la date de référence avec la grille (YAML ou JSON, voir docs/cotation.md) et écrit
une ligne par demande : nur;note;rang;nb_similaires;delai_moyen_jours;criteres
  note               somme des points de la grille
  rang               position parmi les demandes actives similaires (1 = la meilleure note ; ex aequo au même rang)
  nb_similaires      nombre de demandes actives similaires (clé « similaires » de la grille)
  delai_moyen_jours  délai moyen, du dépôt à l’attribution, des demandes similaires satisfaites dans les douze
                     mois précédant la date (vide s’il n’y en a aucune)
  criteres           identifiants des critères qui comptent dans la note, séparés par |
CSV UTF-8, séparateur point-virgule, trié par nur.

Options :
  --data DOSSIER      jeu de données au format canonique (cia.yaml compris), validé et chargé en mémoire
  --base FICHIER      base DuckDB déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --grille FICHIER    grille de cotation (obligatoire) ; exemples dans grilles/
  --date AAAA-MM-JJ   date de référence (défaut : la date des données, la plus récente des dates de dépôt et de
                      radiation des demandes)
  --out FICHIER       fichier à écrire (défaut : la sortie standard)
  --impact            au lieu des notes : effet de la grille sur les objectifs de la CIA, par typologie (part du
                      1er quartile, des prioritaires, des mutations et des travailleurs essentiels parmi les demandes
                      les mieux classées, autant que de baux signés dans les douze mois)
  --comparer FICHIER2 comme --impact, pour deux grilles côte à côte (A = --grille, B = FICHIER2)
  -h, --aide          afficher cette aide

Avec --impact ou --comparer, un tableau lisible est affiché ; avec --out, un CSV au format long est écrit.`;

export async function cotationCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    grille: { type: 'string' },
    date: { type: 'string' },
    out: { type: 'string', short: 'o' },
    comparer: { type: 'string' },
    impact: { type: 'boolean' },
  });
  if (wantsHelp(values)) {
    console.log(COTATION_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  if (values.grille === undefined) throw new UsageError('indiquez la grille de cotation avec --grille FICHIER (exemples dans grilles/)');
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`date invalide « ${values.date} » : AAAA-MM-JJ, par exemple 2024-12-31`);

  const grilles: Grille[] = [];
  for (const fichier of [values.grille, ...(values.comparer === undefined ? [] : [values.comparer])]) {
    const grille = lireGrille(fichier);
    if (grille === null) return 1;
    grilles.push(grille);
  }

  const store = await ouvrirBase(values.data, values.base);
  if (store === null) return 1;
  try {
    // Loaded past the help, from its own module (not the data package's barrel): start-up, issue 18.
    const { comparerGrilles, ecrireCotationCsv, impactGrille, resumerCotation } = await import('@mixite/data/cotation');
    const options = values.date === undefined ? {} : { date: values.date };
    const [a, b] = grilles as [Grille, Grille | undefined];
    if (b !== undefined || values.impact) {
      if (b !== undefined) {
        const comparaison = await comparerGrilles(store, a, b, options);
        ecrire(values.out, values.out ? impactCsv([comparaison.a, comparaison.b]) : tableauComparaison(comparaison));
      } else {
        const impact = await impactGrille(store, a, options);
        ecrire(values.out, values.out ? impactCsv([impact]) : tableauImpact(impact));
      }
      return 0;
    }
    const resume = await resumerCotation(store, a, options);
    if (values.out) {
      mkdirSync(dirname(values.out), { recursive: true });
      await ecrireCotationCsv(store, a, values.out, options);
      console.error(`Cotation au ${resume.date} écrite dans ${values.out} : ${resume.demandes} demandes actives, ${resume.groupes_similaires} groupes de demandes similaires.`);
    } else {
      const dossier = mkdtempSync(join(tmpdir(), 'mixite-cotation-'));
      try {
        const fichier = join(dossier, 'cotation.csv');
        await ecrireCotationCsv(store, a, fichier, options);
        for await (const morceau of createReadStream(fichier)) if (!process.stdout.write(morceau)) await once(process.stdout, 'drain');
      } finally {
        rmSync(dossier, { recursive: true, force: true });
      }
    }
    avertir(resume.colonnes_libres_vides, resume.seuil_q1);
    return 0;
  } finally {
    store.close();
  }
}


function ecrire(out: string | undefined, texte: string): void {
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, texte);
    console.error(`Impact écrit dans ${out}.`);
  } else process.stdout.write(texte);
}

function avertir(colonnesVides: readonly string[], seuil: { annee: number; valeur: number | null; origine: string } | null): void {
  if (colonnesVides.length > 0) {
    console.error(`Attention : la grille lit des colonnes libres qu’aucune demande ne renseigne (${colonnesVides.join(', ')}) : leurs critères ne comptent jamais.`);
  }
  if (seuil?.origine === 'calcule') console.error(`Attention : pas de seuil du 1er quartile publié pour ${seuil.annee} ; seuil calculé sur la demande : ${seuil.valeur} €/UC/an.`);
  if (seuil?.origine === 'absent') console.error(`Attention : aucun seuil du 1er quartile pour ${seuil.annee} : le critère q1 ne compte pour personne.`);
}

// --- Impact output ------------------------------------------------------------------------------------------

/** A share in the terminal tables: « 25,0 % », unknown « — » (the French formats of @mixite/core/francais). */
const pourcent = (x: number | null): string => formatTaux(x);

/** The impact in long CSV: one row per grid × typology × indicator, written by the one CSV writer of tables (text neutralised, fields quoted). */
function impactCsv(impacts: readonly ImpactGrille[]): string {
  const entete = ['grille', 'version', 'typologie', 'baux', 'indicateur', 'cible', 'part_retenues', 'part_attributions', 'part_demande', 'ecart_cible'];
  const lignes: unknown[][] = [];
  for (const impact of impacts) {
    for (const l of impact.lignes) {
      for (const i of INDICATEURS_IMPACT) {
        const cible = impact.cibles.find((c) => c.indicateur === i)?.cible ?? null;
        const part = l.retenues.parts[i];
        const ecart = cible === null || part === null ? null : part - cible;
        lignes.push([impact.grille.nom, String(impact.grille.version), l.typologie, l.baux, i, cible, part, l.attributions.parts[i], l.demande.parts[i], ecart]);
      }
    }
  }
  return tableauCsv(entete, lignes, CSV_POINT_VIRGULE_POINT);
}

const COURTS: Record<IndicateurImpact, string> = { q1: '1er quartile', prioritaires: 'prioritaires', mutations: 'mutations', travailleurs_essentiels: 'trav. essentiels' };

function entete(impact: ImpactGrille): string {
  const cibles = impact.cibles.map((c) => `${COURTS[c.indicateur]} ${c.cible === null ? 'sans cible' : pourcent(c.cible)}`).join(', ');
  return `Impact au ${impact.date} — baux signés du ${impact.periode.debut} au ${impact.periode.fin}
Cibles de la CIA : ${cibles}
(la cible du 1er quartile est celle des baux hors QPV : la comparaison toutes typologies est indicative)
`;
}

function tableauImpact(impact: ImpactGrille): string {
  const tete = ['typologie', 'baux', ...INDICATEURS_IMPACT.flatMap((i) => [`${COURTS[i]} grille`, 'baux', 'demande'])];
  const rows = impact.lignes.map((l: LigneImpact) => [l.typologie, String(l.baux), ...INDICATEURS_IMPACT.flatMap((i) => [pourcent(l.retenues.parts[i]), pourcent(l.attributions.parts[i]), pourcent(l.demande.parts[i])])]);
  return `Grille « ${impact.grille.nom} » (version ${impact.grille.version})\n${entete(impact)}\n${table([tete, ...rows])}\n${legende(true)}`;
}

function tableauComparaison(c: ComparaisonGrilles): string {
  const tete = ['typologie', 'baux', ...INDICATEURS_IMPACT.flatMap((i) => [`${COURTS[i]} A`, 'B', 'baux']), 'retenues par A et B'];
  const rows = c.a.lignes.map((la) => {
    const lb = c.b.lignes.find((l) => l.typologie === la.typologie);
    const r = c.recouvrement.find((x) => x.typologie === la.typologie);
    return [
      la.typologie,
      String(la.baux),
      ...INDICATEURS_IMPACT.flatMap((i) => [pourcent(la.retenues.parts[i]), pourcent(lb?.retenues.parts[i] ?? null), pourcent(la.attributions.parts[i])]),
      pourcent(r?.part ?? null),
    ];
  });
  return `A : « ${c.a.grille.nom} » (version ${c.a.grille.version})
B : « ${c.b.grille.nom} » (version ${c.b.grille.version})
${entete(c.a)}
${table([tete, ...rows])}
${legende(false)}`;
}

const legende = (avecDemande: boolean) =>
  `Parts parmi les demandes les mieux classées de chaque typologie, autant que de baux signés dans les douze mois
(note décroissante, puis ancienneté) ; « baux » : ces baux${avecDemande ? ' ; « demande » : toutes les demandes actives' : ' ; dernière colonne : part des demandes retenues par les deux grilles'}.
${INDICATEURS_IMPACT.map((i) => `${COURTS[i]} : ${LIBELLES_INDICATEUR_IMPACT[i]}`).join(' ; ')}.
`;

function table(rows: readonly (readonly string[])[]): string {
  const largeurs = (rows[0] ?? []).map((_, j) => Math.max(...rows.map((r) => (r[j] ?? '').length)));
  return rows.map((r, k) => r.map((cell, j) => (j === 0 ? cell.padEnd(largeurs[j] ?? 0) : cell.padStart(largeurs[j] ?? 0))).join('  ') + (k === 0 ? `\n${'-'.repeat(largeurs.reduce((s, w) => s + w + 2, -2))}` : '')).join('\n') + '\n';
}
