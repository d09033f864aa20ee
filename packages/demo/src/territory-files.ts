/** Writes the small reference files of a territory: communes, QPV, bailleurs, réservataires, thresholds, cia.yaml. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CIBLES_GPS } from './calibration.js';
import { texte, type CsvWriter } from './csv-writer.js';
import type { Territoire } from './model.js';

export interface EcrivainsTerritoire {
  communes: CsvWriter;
  qpv: CsvWriter;
  bailleurs: CsvWriter;
  reservataires: CsvWriter;
  seuils: CsvWriter;
}

export async function ecrireTerritoire(t: Territoire, out: EcrivainsTerritoire): Promise<void> {
  for (const plan of t.epcis) {
    for (const c of plan.communes) {
      if (out.communes.add(`${c.code};${texte(c.nom)};${plan.code};${texte(plan.nom)};${c.zoneAbc};${c.zoneApl}`)) await out.communes.flush();
    }
    for (const q of plan.qpvs) {
      if (out.qpv.add(`${q.code};${texte(q.nom)};${q.codeInsee};${q.assimile ? 1 : 0}`)) await out.qpv.flush();
    }
  }
  for (const b of t.bailleurs) if (out.bailleurs.add(`${b.id};${texte(b.nom)};${b.type}`)) await out.bailleurs.flush();
  for (const r of t.reservataires) {
    if (out.reservataires.add(`${r.id};${texte(r.nom)};${r.type};${r.codeInsee}`)) await out.reservataires.flush();
  }
  for (const s of t.seuils) if (out.seuils.add(`${s.annee};${s.codeEpci};${s.valeur};${texte(s.source)}`)) await out.seuils.flush();
}

const nombre = (x: number): string => String(x);

/** The CIA configuration (DATA-FORMAT.md, "CIA configuration"), with Grand Paris Sud's targets. */
export async function ecrireCia(dir: string, t: Territoire): Promise<void> {
  const lignes = [
    '# Configuration CIA du territoire de démonstration Mixité (données fictives).',
    '# Objectifs de la CIA de Grand Paris Sud (2023) : 25 % hors QPV au 1er quartile ou relogés,',
    '# 81 % en QPV aux quartiles 2 à 4 dont 52 % aux quartiles 3 et 4, 25 % de prioritaires par contingent.',
  ];
  if (t.codeEpciCia !== undefined) lignes.push(`code_epci: "${t.codeEpciCia}"`);
  else lignes.push(`# Jeu multi-EPCI (${t.epcis.length} EPCI) : le territoire se choisit à la requête ; les objectifs sont ceux de Grand Paris Sud.`);
  lignes.push(
    'cibles:',
    ...Object.entries(CIBLES_GPS).map(([k, v]) => `  ${k}: ${nombre(v)}`),
    'cibles_par_perimetre: []',
    'assimiles_comme_qpv: false',
    'uc: { premiere_personne: 1, autre_14_ans_et_plus: 0.5, moins_14_ans: 0.3 }',
    'secret_statistique: 11',
    '',
  );
  await writeFile(join(dir, 'cia.yaml'), lignes.join('\n'), 'utf8');
}
