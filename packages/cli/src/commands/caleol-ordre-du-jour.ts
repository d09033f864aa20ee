import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { FormatOrdreDuJour } from '@mixite/reports';
import { UsageError, formatParmi, parse, singleSource, wantsHelp } from '../args.ts';
import { lireGrille } from '../grille-fichier.ts';
import { ouvrirBase } from '../store-source.ts';

export const ORDRE_DU_JOUR_HELP = `Usage : mixite caleol ordre-du-jour (--data DOSSIER | --base FICHIER) --date AAAA-MM-JJ --logements ID,ID,…
                                   --grille FICHIER --format docx|pdf|xlsx --out FICHIER [--nombre 3]

L’ordre du jour d’une commission d’attribution (CALEOL) : pour chaque logement, dans l’ordre donné, la liste des
candidats (comme mixite caleol : demandes éligibles classées par la note de la grille, règles de la CIA, effets sur
les objectifs), la fragilité de la résidence quand elle est connue et le contingent. En Word, PDF ou Excel.
Le document est nominatif (NUR en clair) : la commande s’adresse à qui tient la base. Méthode : docs/caleol.md.

Options :
  --data DOSSIER        jeu de données au format canonique, chargé en mémoire (la base n’est pas touchée)
  --base FICHIER        base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --date AAAA-MM-JJ     date de la commission
  --logements ID,ID     les logements examinés, séparés par des virgules (colonne id de logements.csv ; 50 au plus)
  --grille FICHIER      grille de cotation de la CIA (exemples dans grilles/)
  --format docx|pdf|xlsx  Word, PDF ou Excel
  --out FICHIER         fichier à écrire
  --nombre N            candidats par logement (défaut : caleol.nombre_candidats de cia.yaml, sinon 3)
  -h, --aide            afficher cette aide`;

const FORMATS: readonly [FormatOrdreDuJour, ...FormatOrdreDuJour[]] = ['docx', 'pdf', 'xlsx'];

export async function ordreDuJourCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    date: { type: 'string' },
    logements: { type: 'string' },
    grille: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    nombre: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(ORDRE_DU_JOUR_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  if (!values.date || !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`indiquez la date de la commission avec --date AAAA-MM-JJ${values.date ? ` (reçu « ${values.date} »)` : ''}`);
  if (!values.logements) throw new UsageError('indiquez les logements avec --logements ID,ID (colonne id de logements.csv)');
  if (!values.grille) throw new UsageError('indiquez la grille de cotation avec --grille FICHIER (exemples dans grilles/)');
  if (!values.format) throw new UsageError('indiquez le format avec --format docx, pdf ou xlsx');
  if (!values.out) throw new UsageError('indiquez le fichier à écrire avec --out FICHIER');
  const format = formatParmi(values.format, FORMATS);
  let nombre: number | undefined;
  if (values.nombre !== undefined) {
    nombre = Number(values.nombre);
    if (!/^\d+$/.test(values.nombre) || nombre < 1 || nombre > 10) throw new UsageError(`--nombre invalide « ${values.nombre} » : un entier de 1 à 10`);
  }
  const logements = values.logements.split(',').map((x) => x.trim());
  const grille = lireGrille(values.grille);
  if (grille === null) return 1;

  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  try {
    // Loaded past the help, from their own modules (start-up, issue 18).
    const [{ nomsOrdreDuJour, ordreDuJour }, { calculerIndicateurs }, { ecartDuContingent }, { documentOrdreDuJour, ecrireOrdreDuJour }] = await Promise.all([
      import('@mixite/data/caleol'),
      import('@mixite/data/indicateurs'),
      import('@mixite/core'),
      import('@mixite/reports'),
    ]);
    const odj = await ordreDuJour(store, { date: values.date, logements, grille, ...(nombre === undefined ? {} : { nombre }) });
    const noms = await nomsOrdreDuJour(store);
    const annee = Number(odj.date.slice(0, 4));
    const indicateurs = (await calculerIndicateurs(store, { annee })).indicateurs;
    const ecarts = new Map(odj.points.map((x) => [x.liste.logement.contingent, ecartDuContingent(indicateurs, x.liste.logement.contingent, annee)]));
    const doc = documentOrdreDuJour(odj, { emetteur: noms.epci, libelle: noms.libelle, nur: (n) => n, pseudonymise: false }, ecarts);
    const contenu = await ecrireOrdreDuJour(doc, format);
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, contenu);
    const candidats = doc.logements.reduce((n, l) => n + l.candidats.length, 0);
    console.error(`Ordre du jour de la commission du ${odj.date} : ${doc.logements.length} logement(s), ${candidats} candidat(s), écrit dans ${values.out}.`);
    return 0;
  } finally {
    store.close();
  }
}
