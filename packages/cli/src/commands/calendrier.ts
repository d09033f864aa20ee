import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Engagement, ProgrammeActions } from '@mixite/core';
import { CSV_TABLEUR, tableauCsv } from '@mixite/core/tableau';
import { DEFAULT_STORE_PATH } from '@mixite/data/chemin-par-defaut';
import type { Store } from '@mixite/data/store';
import { UsageError, formatParmi, parse, requiredYear, singleSource, wantsHelp } from '../args.ts';
import { ouvrirBase } from '../store-source.ts';
import { afficherRefusProgramme } from './programme.ts';

export const CALENDRIER_HELP = `Usage : mixite calendrier (--data DOSSIER | --base FICHIER) --annee AAAA [--format csv|ics] [--programme FICHIER] [--out FICHIER]

Le calendrier des obligations d’une année : ce que la loi date (transmissions semestrielles des bailleurs au
15 janvier et au 15 juillet, bilan de la gestion en flux avant le 28 février, arrêté du seuil du premier quartile,
examen triennal de l’occupation par les CALEOL en zone tendue), ce que la convention date (bilan annuel à la CIL,
fin de la convention), les étapes datées des fiches action et les échéances des engagements des partenaires
enregistrés dans la base. Un événement par obligation, par étape et par engagement.

  csv : une ligne par obligation, colonnes date;obligation;source (date AAAA-MM-JJ, classeur français)
  ics : un calendrier iCalendar (RFC 5545) à importer ou à publier dans l’agenda de chacun

Le programme d’actions est celui de la base (mixite programme importer), ou celui du classeur --programme (lu et
vérifié sans rien écrire dans la base). Sans programme, seules les obligations légales sans paramètre sont datées.
Règles et sources : docs/programme.md.

Options :
  --data DOSSIER        jeu de données au format canonique, chargé en mémoire (la base n’est pas touchée)
  --base FICHIER        base déjà importée (défaut : $MIXITE_BASE ou ${DEFAULT_STORE_PATH})
  --annee AAAA          l’année du calendrier
  --format csv|ics      csv (défaut) ou ics
  --programme FICHIER   classeur du programme d’actions (.xlsx) à la place de celui de la base
  --out FICHIER         fichier à écrire (défaut : la sortie standard)
  -h, --aide            afficher cette aide`;

export async function calendrierCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    data: { type: 'string' },
    base: { type: 'string' },
    annee: { type: 'string' },
    format: { type: 'string' },
    programme: { type: 'string' },
    out: { type: 'string', short: 'o' },
  });
  if (wantsHelp(values)) {
    console.log(CALENDRIER_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`argument inattendu : ${positionals[0]}`);
  singleSource(values);
  const annee = requiredYear(values.annee);
  const format = formatParmi(values.format, ['csv', 'ics']);
  const store = await ouvrirBase(values.data, values.base);
  if (!store) return 1;
  let programme: ProgrammeActions | null | undefined;
  let engagements: Engagement[] = [];
  try {
    programme = await programmeDuCalendrier(store, values.programme);
    const { listerEngagements } = await import('@mixite/data/programme');
    engagements = await listerEngagements(store);
  } finally {
    store.close();
  }
  if (programme === undefined) return 1;
  if (programme === null) console.error('Aucun programme d’actions dans la base : seules les obligations légales sans paramètre de la convention sont datées (mixite programme importer).');
  const { calendrierIcs, calendrierObligations, echeancesEngagements } = await import('@mixite/core');
  // The partners' commitments due in the year after the obligations of the same day (a stable sort by date).
  const echeances = [...calendrierObligations(annee, programme), ...echeancesEngagements(annee, engagements)].sort((a, b) => a.date.localeCompare(b.date));
  const texte =
    format === 'csv'
      ? tableauCsv(['date', 'obligation', 'source'], echeances.map((e) => [e.date, e.obligation, e.source]), CSV_TABLEUR)
      : calendrierIcs(echeances, { nom: `Obligations ${annee}${programme ? ` — ${programme.convention.intitule}` : ''}`, horodatage: new Date().toISOString() });
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, texte);
    console.error(`${echeances.length} obligations écrites dans ${values.out}.`);
  } else process.stdout.write(texte);
  return 0;
}

/** The programme: the workbook given (checked against the store, not loaded), else the store's; undefined once refused. */
async function programmeDuCalendrier(store: Store, fichier: string | undefined): Promise<ProgrammeActions | null | undefined> {
  // Loaded past the help, from its own module (not the data package's barrel): start-up, issue 18.
  const { importerProgramme, lireProgramme } = await import('@mixite/data/programme');
  if (!fichier) return lireProgramme(store);
  try {
    return (await importerProgramme(store, readFileSync(fichier), basename(fichier), { auteur: 'calendrier', verifier: true })).programme;
  } catch (error) {
    if (await afficherRefusProgramme(error)) return undefined;
    throw error;
  }
}
