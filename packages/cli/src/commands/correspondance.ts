import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileName, PropositionCorrespondance } from '@mixite/core';
import { FILE_NAMES, isFileName, proposerCorrespondance } from '@mixite/core';
import { UsageError, parse, wantsHelp } from '../args.ts';

export const CORRESPONDANCE_HELP = `Usage : mixite correspondance proposer FICHIER [--fichier demandes] [--nom NOM] [--out CORRESPONDANCE.yaml]

Propose une correspondance (fichier YAML, voir docs/correspondances.md) pour une extraction dont les en-têtes ne
sont pas ceux du format canonique — typiquement une extraction SNE, dont les en-têtes varient selon le territoire
et la version : pour chaque en-tête, la colonne du format la plus probable (ressemblance du nom, forme des valeurs :
dates, codes INSEE, montants, numéros uniques) et, pour les colonnes codées, le code de chaque valeur rencontrée.
C’est un brouillon à relire : chaque choix porte son degré de confiance ; les en-têtes sans colonne et les valeurs
sans code sont écrits en commentaire, à compléter. L’import l’utilise ensuite : mixite import … --correspondance.

Options :
  --fichier NOM   le fichier du format que l’extraction décrit (défaut : demandes ; ${FILE_NAMES.join(', ')})
  --nom NOM       le nom de la correspondance (défaut : « Extraction <fichier source> »)
  --out FICHIER   fichier YAML à écrire (défaut : la sortie standard)
  --lignes N      lignes lues pour juger des valeurs (défaut : 200)
  -h, --aide      afficher cette aide`;

export async function correspondanceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    fichier: { type: 'string' },
    nom: { type: 'string' },
    out: { type: 'string', short: 'o' },
    lignes: { type: 'string' },
  });
  if (wantsHelp(values)) {
    console.log(CORRESPONDANCE_HELP);
    return 0;
  }
  const [sous, source, ...reste] = positionals;
  if (sous !== 'proposer') throw new UsageError(sous === undefined ? 'sous-commande manquante : proposer FICHIER' : `sous-commande inconnue « ${sous} » : proposer`);
  if (source === undefined) throw new UsageError('fichier manquant : mixite correspondance proposer FICHIER');
  if (reste.length > 0) throw new UsageError(`argument inattendu : ${reste[0]}`);
  const fichier = values.fichier ?? 'demandes';
  if (!isFileName(fichier)) throw new UsageError(`--fichier : « ${fichier} » n’est pas un fichier du format (${FILE_NAMES.join(', ')})`);
  const lignes = values.lignes === undefined ? 200 : Number(values.lignes);
  if (!Number.isInteger(lignes) || lignes < 1 || lignes > 100_000) throw new UsageError(`--lignes : un entier de 1 à 100 000 (reçu « ${values.lignes ?? ''} »)`);

  // Loaded past the help: the sample reader brings the spreadsheet reader (start-up, issue 18).
  const { lireEchantillon } = await import('@mixite/data/echantillon');
  const echantillon = await lireEchantillon(source, lignes);
  const proposition = proposerCorrespondance(echantillon, fichier);
  const yaml = brouillonYaml(proposition, values.nom ?? `Extraction ${basename(source)}`, basename(source), echantillon.lignes.length);
  if (values.out) {
    writeFileSync(values.out, yaml);
    const prises = proposition.colonnes.filter((c) => c.colonne !== null).length;
    console.error(`${values.out} : ${prises} en-tête(s) sur ${proposition.colonnes.length} rattaché(s) à une colonne de ${fichier}.csv ; à relire avant l’import.`);
  } else process.stdout.write(yaml);
  return 0;
}

/** A JSON string is a valid YAML double-quoted scalar: headers with accents, colons or quotes stay exact. */
const q = (s: string) => JSON.stringify(s);

/** The draft mapping as YAML, each choice commented with its confidence and reason; what is left to do as comments. */
export function brouillonYaml(p: PropositionCorrespondance, nom: string, source: string, lignesLues: number): string {
  const fichier: FileName = p.fichier;
  const out: string[] = [
    `# Brouillon de correspondance proposé par « mixite correspondance proposer » pour ${source}`,
    `# (${lignesLues} lignes lues). À relire : chaque en-tête porte la confiance de la proposition (0 à 1) ;`,
    '# en dessous de 0,6, vérifiez d’abord. Les en-têtes sans colonne restent des attributs libres.',
    `nom: ${q(nom)}`,
    'fichiers:',
    `  ${fichier}:`,
    `    fichiers: [${q(source)}]`,
    '    colonnes:',
  ];
  for (const c of p.colonnes) {
    if (c.colonne === null) out.push(`      # ${q(c.entete)}: ?   # ${c.raison}`);
    else out.push(`      ${q(c.entete)}: ${c.colonne}   # confiance ${c.confiance.toFixed(2)} — ${c.raison}`);
  }
  const codes = Object.entries(p.codes);
  out.push(codes.length === 0 ? '    codes: {}' : '    codes:');
  for (const [colonne, table] of codes) {
    out.push(`      ${colonne}:`);
    for (const [valeur, code] of Object.entries(table)) {
      if (code === null) out.push(`        # ${q(valeur)}: ?   # aucun code reconnu : à compléter`);
      else out.push(`        ${q(valeur)}: ${code}`);
    }
  }
  return `${out.join('\n')}\n`;
}
