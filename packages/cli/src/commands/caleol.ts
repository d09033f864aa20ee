import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatTaux } from '@mixite/core/francais';
import type { ResultatListe } from '@mixite/data/caleol';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import { UsageError, formatParmi, parse, singleSource, wantsHelp } from '../args.ts';
import { lireGrille } from '../grille-fichier.ts';
import { ouvrirBase } from '../store-source.ts';

export const CALEOL_HELP = `Usage : mixite caleol (--data DOSSIER | --base FICHIER) --logement ID --date AAAA-MM-JJ --grille FICHIER
                     [--nombre 3] [--format csv|json] [--out FICHIER]

La liste des candidats d’un logement vacant pour la CALEOL : les demandes actives à la date dont les souhaits
conviennent au logement (typologie, commune, accessibilité), sous le plafond de ressources de son financement et
sous le taux d’effort maximal après APL estimée, classées par la note de la grille (à note égale, la plus ancienne
d’abord), puis les règles de la CIA (au moins un candidat du premier quartile hors QPV, un prioritaire sur le
contingent de l’État : cia.yaml, clé caleol) : une liste qui manque une règle le dit et prend le meilleur candidat
éligible qui la remplit.
Colonnes : rang;nur;note;q1;prioritaire;mutation;effet_hors_qpv_q1;effet_qpv_hors_q1;effet_prioritaires
(0/1 ; q1 vide si le quartile est inconnu). Les règles et l’écart du contingent sont écrits sur la sortie d’erreur.
Méthode et sources : docs/caleol.md.
L’ordre du jour d’une commission (plusieurs logements, Word, PDF ou Excel) : mixite caleol ordre-du-jour --aide.

Options :
  --data DOSSIER     jeu de données au format canonique, chargé en mémoire (la base n’est pas touchée)
  --base FICHIER     base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --logement ID      identifiant du logement (colonne id de logements.csv)
  --date AAAA-MM-JJ  date de la commission (défaut : la date des données)
  --grille FICHIER   grille de cotation de la CIA (exemples dans grilles/)
  --nombre N         nombre de candidats (défaut : caleol.nombre_candidats de cia.yaml, sinon 3)
  --format csv|json  csv (défaut, séparateur point-virgule) ou json (la liste détaillée)
  --out FICHIER      fichier à écrire (défaut : la sortie standard)
  -h, --aide         afficher cette aide`;

export const COLONNES_CALEOL = ['rang', 'nur', 'note', 'q1', 'prioritaire', 'mutation', 'effet_hors_qpv_q1', 'effet_qpv_hors_q1', 'effet_prioritaires'] as const;

const b = (v: boolean | null) => (v === null ? '' : v ? '1' : '0');

/** The CSV of the columns; notes without useless zeros (12, 12.5). */
export function caleolCsv(r: ResultatListe): string {
  const lignes = r.liste.candidats.map((c) =>
    [c.rang, c.demande.nur, String(Math.round(c.demande.note * 100) / 100), b(c.examen.q1), b(c.demande.dalo || c.demande.prioritaire), b(c.demande.mutation), b(c.effets.hors_qpv_q1), b(c.effets.qpv_hors_q1), b(c.effets.prioritaires)].join(';'),
  );
  return `${[COLONNES_CALEOL.join(';'), ...lignes].join('\n')}\n`;
}

export async function caleolCommand(args: string[]): Promise<number> {
  // « mixite caleol ordre-du-jour … »: the agenda of a commission (caleol-ordre-du-jour.ts).
  if (args[0] === 'ordre-du-jour') return (await import('./caleol-ordre-du-jour.ts')).ordreDuJourCommand(args.slice(1));
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    logement: { type: 'string' },
    date: { type: 'string' },
    grille: { type: 'string' },
    nombre: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (wantsHelp(values)) {
    console.log(CALEOL_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  if (!values.logement) throw new UsageError('indiquez le logement avec --logement ID (colonne id de logements.csv)');
  if (!values.grille) throw new UsageError('indiquez la grille de cotation avec --grille FICHIER (exemples dans grilles/)');
  if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date invalide « ${values.date} » : AAAA-MM-JJ`);
  let nombre: number | undefined;
  if (values.nombre !== undefined) {
    nombre = Number(values.nombre);
    if (!/^\d+$/.test(values.nombre) || nombre < 1 || nombre > 10) throw new UsageError(`--nombre invalide « ${values.nombre} » : un entier de 1 à 10`);
  }
  const format = formatParmi(values.format, ['csv', 'json']);
  const grille = lireGrille(values.grille);
  if (grille === null) return 1;

  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  try {
    // Loaded past the help, from its own module (not the data package's barrel): start-up, issue 18.
    const [{ listeCaleol }, { calculerIndicateurs }, { ecartDuContingent }] = await Promise.all([import('@mixite/data/caleol'), import('@mixite/data/indicateurs'), import('@mixite/core')]);
    const r = await listeCaleol(store, { logement: values.logement, grille, ...(values.date ? { date: values.date } : {}), ...(nombre ? { nombre } : {}) });
    const annee = Number(r.date.slice(0, 4));
    const ecart = ecartDuContingent((await calculerIndicateurs(store, { annee })).indicateurs, r.logement.contingent, annee);
    const texte = format === 'csv' ? caleolCsv(r) : `${JSON.stringify({ ...r, ecart_contingent: ecart }, null, 2)}\n`;
    if (values.out) {
      mkdirSync(dirname(values.out), { recursive: true });
      writeFileSync(values.out, texte);
      console.error(`Liste de ${r.liste.candidats.length} candidat(s) écrite dans ${values.out}.`);
    } else process.stdout.write(texte);
    console.error(
      `Logement ${r.logement.id} au ${r.date} : ${r.liste.examinees} demande(s) active(s) dont les souhaits conviennent, ${r.liste.eligibles} éligible(s) parmi les ${r.lues} premières.`,
    );
    for (const regle of r.liste.regles) console.error(regle.message);
    console.error(
      `Contingent ${ecart.contingent}, ${ecart.periode} : ${ecart.numerateur} proposition(s) à des prioritaires sur ${ecart.denominateur}` +
        (ecart.taux === null ? '' : ` (${formatTaux(ecart.taux)})`) +
        (ecart.cible === null ? ', sans objectif.' : `, objectif ${formatTaux(ecart.cible)} : ${ecart.propositions_prioritaires_manquantes} proposition(s) prioritaire(s) manquante(s).`),
    );
    return 0;
  } finally {
    store.close();
  }
}
