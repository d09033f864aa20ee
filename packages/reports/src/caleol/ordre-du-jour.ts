import type { CelluleXlsx } from '@mixite/core';
import { celluleXlsx } from '@mixite/core';
import { formatBooleen, formatDate, formatDateLongue, formatEuros, formatNombre, formatTaux, pourDocument } from '@mixite/core/francais';
import type { BlocWord } from '../flux/word-simple.ts';
import { documentWord } from '../flux/word-simple.ts';
import { classeurXlsx } from '../flux/classeur-simple.ts';
import { POLICE } from '../rendu/polices.ts';
import { compilerTypst } from '../rendu/pdf.ts';
import { chaine } from '../rendu/typst.ts';
import type { DocumentOrdreDuJour, LogementOrdreDuJour } from './modele-ordre-du-jour.ts';
import { classeEnMots } from './modele-ordre-du-jour.ts';

/**
 * The commission's agenda written out (issue 15 item 2): Word and Excel by the plain writers of the flux bilan
 * (flux/word-simple.ts, flux/classeur-simple.ts: no object per cell, nothing this document needs is missing), PDF
 * by Typst through rendu/pdf.ts `compilerTypst`, like the bilan and the applicant's letter (tagged PDF, shipped
 * font, no browser). The three show the same rows: one section per dwelling (the dwelling, its residence's
 * fragility, its contingent, the CIA's list rules) with its candidates in list order.
 */

export const FORMATS_ORDRE_DU_JOUR = ['docx', 'pdf', 'xlsx'] as const;
export type FormatOrdreDuJour = (typeof FORMATS_ORDRE_DU_JOUR)[number];

export const COLONNES_CANDIDATS = ['Rang', 'NUR', 'Note', 'Dépôt', '1er quartile', 'Prioritaire', 'Mutation', 'Taux d’effort après APL', 'Effets sur les objectifs', 'À vérifier'] as const;

/** The dwelling in one line: typology, commune, QPV, financing, rent, bailleur. */
export function logementEnMots(l: LogementOrdreDuJour): string {
  const loyer = l.loyer === null ? 'loyer inconnu' : `loyer ${formatEuros(l.loyer)}${l.charges === null ? '' : ` + ${formatEuros(l.charges)} de charges`}`;
  return `T${l.nb_pieces} à ${l.commune}, ${l.en_qpv ? `en QPV (${l.code_qpv ?? ''})` : 'hors QPV'}, financement ${l.financement ?? 'inconnu'}, ${loyer} ; bailleur ${l.bailleur}`;
}

export const contexteEnMots = (l: LogementOrdreDuJour): string =>
  `Contingent : ${l.contingent}. Fragilité de la résidence : ${classeEnMots(l.classe_residence)}. ` +
  `${l.examinees} demande(s) active(s) dont les souhaits conviennent, ${l.eligibles} éligible(s) examinée(s).`;

const introduction = (d: DocumentOrdreDuJour): string[] => [
  `Commission du ${formatDateLongue(d.date)} — ${d.logements.length} logement(s). Préparé par ${d.emetteur}.`,
  `Candidats classés par la grille de cotation « ${d.grille} » (à note égale, la demande la plus ancienne), après les règles de la CIA pour les listes. La commission reste souveraine : la note éclaire, elle ne décide pas.`,
  ...(d.pseudonymise ? ['Les NUR sont pseudonymisés pour votre rôle.'] : []),
  'Document nominatif (données des ménages) : à ne diffuser qu’aux membres de la commission.',
];

/** A candidate's cells as text (Word, PDF). */
function cellulesTexte(c: LogementOrdreDuJour['candidats'][number]): string[] {
  return [
    String(c.rang),
    c.nur,
    formatNombre(c.note),
    formatDate(c.date_depot),
    formatBooleen(c.q1),
    formatBooleen(c.prioritaire),
    formatBooleen(c.mutation),
    c.taux_effort === null ? 'non vérifié' : formatTaux(c.taux_effort),
    c.ajoute_par === null ? c.effets : `${c.effets} (entré par la règle « ${c.ajoute_par} »)`,
    c.a_verifier,
  ];
}

// async: the plain writers may zip asynchronously; callers await either way.
export async function ordreDuJourWord(d: DocumentOrdreDuJour, date = new Date()): Promise<Buffer> {
  const blocs: BlocWord[] = [{ kind: 'titre', texte: d.titre }, ...introduction(d).map((texte) => ({ kind: 'paragraphe' as const, texte }))];
  for (const l of d.logements) {
    blocs.push({ kind: 'titre1', texte: `${l.numero}. Logement ${l.id}` }, { kind: 'paragraphe', texte: logementEnMots(l) }, { kind: 'paragraphe', texte: contexteEnMots(l) });
    if (l.ecart_contingent !== null) blocs.push({ kind: 'paragraphe', texte: l.ecart_contingent });
    for (const r of l.regles) blocs.push({ kind: 'paragraphe', texte: r });
    if (l.candidats.length === 0) blocs.push({ kind: 'paragraphe', texte: 'Aucun candidat éligible.' });
    else
      blocs.push({
        kind: 'tableau',
        entetes: [...COLONNES_CANDIDATS],
        lignes: l.candidats.map(cellulesTexte),
        aDroite: COLONNES_CANDIDATS.map((_, i) => i === 0 || i === 2 || i === 7),
      });
  }
  return documentWord({ titre: `${d.titre} du ${formatDate(d.date)}`, auteur: d.emetteur, langue: 'fr-FR', blocs: blocs.map(sansFines) }, date);
}

/** Word and Typst get ordinary no-break spaces (the fine ones of French formatting are not in every font). */
function sansFines(b: BlocWord): BlocWord {
  if (b.kind === 'tableau') return { ...b, entetes: b.entetes.map(pourDocument), lignes: b.lignes.map((l) => l.map(pourDocument)) };
  return { ...b, texte: pourDocument(b.texte) };
}

function sourceTypst(d: DocumentOrdreDuJour): string {
  const t = (s: string) => chaine(pourDocument(s));
  const sections = d.logements.map((l) => {
    const tableau =
      l.candidats.length === 0
        ? '#par("Aucun candidat éligible.")'
        : `#block(above: 1mm, below: 3mm, text(size: 7.5pt, table(
columns: (0.5fr, 1.4fr, 0.7fr, 1fr, 0.8fr, 0.9fr, 0.8fr, 1fr, 2.6fr, 1fr),
align: (right, left, right, left, left, left, left, right, left, left),
table.header(repeat: true, ${COLONNES_CANDIDATS.map((c) => `table.cell(fill: rgb("#e8eef7"), strong(${t(c)}))`).join(', ')}),
${l.candidats.map((c) => `${cellulesTexte(c).map(t).join(', ')},`).join('\n')}
)))`;
    return `#heading(level: 2, ${t(`${l.numero}. Logement ${l.id}`)})
#par(${t(logementEnMots(l))})
#par(${t(contexteEnMots(l))})
${l.ecart_contingent === null ? '' : `#par(${t(l.ecart_contingent)})`}
${l.regles.map((r) => `#par(${t(r)})`).join('\n')}
${tableau}`;
  });
  return `#set document(title: ${t(`${d.titre} du ${formatDate(d.date)}`)}, author: ${t(d.emetteur)})
#set text(lang: "fr", region: "FR", font: ${chaine(POLICE)}, size: 10pt, hyphenate: false)
#set par(leading: 0.55em, spacing: 0.8em, justify: false)
#set page(paper: "a4", flipped: true, margin: (top: 15mm, bottom: 15mm, left: 15mm, right: 15mm), footer: context align(right, text(size: 8pt, counter(page).display("1 / 1", both: true))))
#set table(stroke: 0.5pt + rgb("#808080"), inset: (x: 1.2mm, y: 0.8mm))
#heading(level: 1, ${t(d.titre)})
${introduction(d).map((x) => `#par(${t(x)})`).join('\n')}
${sections.join('\n')}
`;
}

/** The agenda as a PDF (A4 landscape: the candidates' table has ten columns). */
export function ordreDuJourPdf(d: DocumentOrdreDuJour, date = new Date()): Promise<Buffer> {
  return compilerTypst('/mixite-ordre-du-jour', sourceTypst(d), [], date);
}

export const FEUILLE_CANDIDATS = 'Candidats';
export const FEUILLE_LOGEMENTS = 'Logements';

/**
 * The agenda as a workbook: « Candidats », one row per candidate with its dwelling (a flat table to filter and sort),
 * and « Logements », one row per dwelling. Figures are numbers (the note, the effort rate as a share), text is
 * never a formula (celluleXlsx).
 */
export async function ordreDuJourXlsx(d: DocumentOrdreDuJour, date = new Date()): Promise<Buffer> {
  const c = (v: unknown): CelluleXlsx => celluleXlsx(v);
  const candidats: CelluleXlsx[][] = [
    [`${d.titre} du ${formatDate(d.date)}`],
    [introduction(d).slice(1).join(' ')],
    [],
    ['N°', 'Logement', ...COLONNES_CANDIDATS, 'Entré par la règle'],
  ];
  for (const l of d.logements) {
    for (const x of l.candidats) {
      candidats.push([l.numero, l.id, x.rang, x.nur, x.note, x.date_depot, c(x.q1), c(x.prioritaire), c(x.mutation), x.taux_effort === null ? null : Math.round(x.taux_effort * 10_000) / 10_000, x.effets, x.a_verifier, x.ajoute_par]);
    }
  }
  const logements: CelluleXlsx[][] = [
    ['N°', 'Logement', 'Bailleur', 'Commune', 'Pièces', 'QPV', 'Financement', 'Loyer (€)', 'Charges (€)', 'Contingent', 'Fragilité de la résidence', 'Demandes qui conviennent', 'Éligibles examinées', 'Candidats', 'Règles de la CIA', 'Écart du contingent'],
    ...d.logements.map((l) => [
      l.numero,
      l.id,
      l.bailleur,
      l.commune,
      l.nb_pieces,
      l.en_qpv ? (l.code_qpv ?? 'oui') : 'non',
      l.financement,
      l.loyer,
      l.charges,
      l.contingent,
      classeEnMots(l.classe_residence),
      l.examinees,
      l.eligibles,
      l.candidats.length,
      l.regles.join(' '),
      l.ecart_contingent,
    ]),
  ];
  return classeurXlsx(
    {
      titre: `${d.titre} du ${formatDate(d.date)}`,
      auteur: d.emetteur,
      feuilles: [
        { nom: FEUILLE_CANDIDATS, lignes: candidats.map((l) => l.map((v) => (typeof v === 'string' ? pourDocument(v) : v))), grasses: new Set([0, 3]), largeurs: [5, 12, 6, 18, 7, 11, 11, 11, 10, 12, 50, 18, 28], entete: 3 },
        { nom: FEUILLE_LOGEMENTS, lignes: logements.map((l) => l.map((v) => (typeof v === 'string' ? pourDocument(v) : v))), grasses: new Set([0]), largeurs: [5, 12, 20, 20, 7, 12, 12, 10, 10, 20, 22, 12, 12, 10, 60, 60], entete: 0 },
      ],
    },
    date,
  );
}

export const TYPES_ORDRE_DU_JOUR: Readonly<Record<FormatOrdreDuJour, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The agenda in the format asked. */
export async function ecrireOrdreDuJour(d: DocumentOrdreDuJour, format: FormatOrdreDuJour, date = new Date()): Promise<Buffer> {
  switch (format) {
    case 'docx':
      return ordreDuJourWord(d, date);
    case 'pdf':
      return ordreDuJourPdf(d, date);
    case 'xlsx':
      return ordreDuJourXlsx(d, date);
  }
}

/** The file's name: ordre-du-jour-caleol-2025-06-30.docx. */
export const nomFichierOrdreDuJour = (date: string, format: FormatOrdreDuJour): string => `ordre-du-jour-caleol-${date}.${format}`;
