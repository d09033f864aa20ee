/**
 * The demo's reservation conventions in flux (`conventions.csv`, issue 13), written once the dwellings are: each
 * bailleur's share of the flow for each réservataire is the share of the bailleur's dwellings on that réservataire's
 * contingent (so the State holds about 25–30 %, then Action Logement, the communes and the EPCI, as the contingents
 * were drawn), rounded down to the thousandth. From 2023 (the flux is mandatory since 24 November 2023) to the last
 * year of data. One bailleur in four grants Action Logement five more points than its stock holds, when the shares
 * leave room: its allocations, which follow the dwellings' contingents, then leave it visibly in debt to Action
 * Logement. A bailleur gets a convention only for the years it has a dwelling in service.
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Territoire } from './model.js';

export const PREMIERE_ANNEE_FLUX = 2023;
const COLONNES_CONVENTIONS = ['bailleur_id', 'reservataire_id', 'annee', 'part', 'departement'] as const;

export async function ecrireConventions(dir: string, t: Territoire): Promise<number> {
  const stock = new Map<string, Map<string, number>>();
  const premiereMiseEnService = new Map<string, number>();
  const lecture = createInterface({ input: createReadStream(join(dir, 'logements.csv'), 'utf8'), crlfDelay: Infinity });
  let entete: string[] | null = null;
  let iBailleur = -1;
  let iContingent = -1;
  let iService = -1;
  let iInsee = -1;
  const departement = new Map<string, string>();
  for await (const ligne of lecture) {
    const cellules = ligne.split(';');
    if (!entete) {
      entete = cellules;
      iBailleur = entete.indexOf('bailleur_id');
      iContingent = entete.indexOf('contingent');
      iService = entete.indexOf('date_mise_en_service');
      iInsee = entete.indexOf('code_insee');
      continue;
    }
    const bailleur = cellules[iBailleur] ?? '';
    const contingent = cellules[iContingent] ?? '';
    const parBailleur = stock.get(bailleur) ?? new Map<string, number>();
    stock.set(bailleur, parBailleur);
    parBailleur.set(contingent, (parBailleur.get(contingent) ?? 0) + 1);
    const service = cellules[iService] ? Number(cellules[iService]?.slice(0, 4)) : 0;
    premiereMiseEnService.set(bailleur, Math.min(premiereMiseEnService.get(bailleur) ?? Number.POSITIVE_INFINITY, service));
    if (!departement.has(bailleur)) departement.set(bailleur, (cellules[iInsee] ?? '').slice(0, 2));
  }
  const derniere = Math.max(PREMIERE_ANNEE_FLUX, ...t.seuils.map((s) => s.annee));
  const typeDe = new Map(t.reservataires.map((r) => [r.id, r.type]));
  const lignes: string[] = [COLONNES_CONVENTIONS.join(';')];
  const bailleurs = t.bailleurs.map((b) => b.id).filter((id) => stock.has(id));
  bailleurs.forEach((bailleur, rang) => {
    const parContingent = stock.get(bailleur) as Map<string, number>;
    const total = [...parContingent.values()].reduce((s, n) => s + n, 0);
    const parts = [...parContingent.entries()]
      .filter(([id]) => id !== '')
      .map(([id, n]) => [id, Math.floor((n / total) * 1000) / 1000] as [string, number])
      .filter(([, p]) => p > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const somme = parts.reduce((s, [, p]) => s + p, 0);
    const al = parts.find(([id]) => typeDe.get(id) === 'action_logement');
    if (rang % 4 === 1 && al && somme + 0.05 <= 1) al[1] = Math.round((al[1] + 0.05) * 1000) / 1000;
    for (let annee = PREMIERE_ANNEE_FLUX; annee <= derniere; annee++) {
      if ((premiereMiseEnService.get(bailleur) ?? Number.POSITIVE_INFINITY) > annee) continue;
      for (const [id, part] of parts) lignes.push(`${bailleur};${id};${annee};${part};${departement.get(bailleur) ?? ''}`);
    }
  });
  await writeFile(join(dir, 'conventions.csv'), `${lignes.join('\n')}\n`, 'utf8');
  return lignes.length - 1;
}
