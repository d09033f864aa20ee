import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FluxResultat } from './flux-engine.ts';
import { bilanFluxCsv } from '@mixite/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFailedError } from '../import/problems.ts';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import { bilanFlux } from './bilan-flux.ts';
import { calculerFlux } from './flux-engine.ts';

/**
 * Golden tests of the gestion en flux on a hand-built territory (packages/data/test/fixtures/flux/territoire),
 * imported through the real importer. Every expected value is computed by hand from the fixture:
 *
 * Dwellings of B1: L1 91001 QPV T2 plai 1960 ETAT (in service 1965) · L2 91001 T3 plus 1980 AL · L3 91002 T1 plus 2010 ·
 * L4 91002 T4 pls 2023, in service 2024-03-01 · L5 91002 T6 plai, no year, hors_flux · L6 91001 T2 plus 1940 COM.
 * B2: L7 91002 T3 plus 2000 AL. Stock of B1 in service on 1 January (hors_flux left out): 2022, 2023, 2024 = L1 L2 L3 L6 = 4;
 * mise en service in 2024: L4 = 1. B2: 1 every year.
 * Leases of B1: 2022 A01 L2, A02 L3 (réalisé 2) · 2023 A03 L1 ETAT, A04 L6 COM, A05 L3 nr, A06 L2 AL internal mutation
 * (D06 current bailleur B1: excluded) → réalisé 3 · 2024 A07 L1 ETAT, A08 L4 (the allocation's contingent ETAT; first
 * letting), A10 L2 AL, A11 L5 (hors flux: excluded), A12 L6 COM (D12 ANRU relocation: excluded), A13 L3 nr (D16 is a
 * mutation from B2: not internal, stays) → 6 leases, réalisé 4, of which 1 first letting.
 * Conventions of B1: 2023 and 2024 ETAT 0.25, AL 0.30, COM 0.10 (own share 0.35); B2 2024 AL 0.5.
 */

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/flux/territoire', import.meta.url));

let store: Store;
let flux: FluxResultat;
beforeAll(async () => {
  store = await Store.open(':memory:');
  await importDataset(store, [FIXTURE]);
  flux = await calculerFlux(store, { annee: 2024 });
});
afterAll(() => store.close());

const b1 = () => flux.bailleurs.find((b) => b.bailleurId === 'B1');
const ligne = (bailleur: string, reservataire: string) => flux.bailleurs.find((b) => b.bailleurId === bailleur)?.droits.find((l) => l.reservataireId === reservataire);

describe('flux of a hand-built territory (2024)', () => {
  it('counts the réalisé with the exclusions', () => {
    expect(b1()?.baux).toBe(6);
    expect(b1()?.realise).toBe(4);
    expect(b1()?.exclus).toEqual({ mutations_internes: 0, relogements_anru: 1, logements_hors_flux: 1 });
  });

  it('forecasts from the previous years, the stock and the first lettings', () => {
    const p = b1()?.prevision;
    // 2021 has no lease anywhere: left out. Relettings 2022 = 2, 2023 = 3 → mean 2.5; stock 4 / mean 4 = 1; + 1 mise en service = 3.5.
    expect(p?.anneesObservees.map((a) => [a.annee, a.realise, a.premieresLocations, a.stockDebut])).toEqual([
      [2022, 2, 0, 4],
      [2023, 3, 0, 4],
    ]);
    expect(p?.valeur).toBeCloseTo(3.5, 10);
    expect(p?.methode).toContain('2022, 2023 = 2,5');
    // B2: 2022 0, 2023 1 → 0.5 × 1 + 0.
    expect(flux.bailleurs.find((b) => b.bailleurId === 'B2')?.prevision.valeur).toBeCloseTo(0.5, 10);
  });

  it('computes rights, orientations and balances carried from 2023', () => {
    // 2023 (réalisé 3): ETAT 1 − 0.75 = 0.25 · AL 0 − 0.9 = −0.9 · COM 1 − 0.3 = 0.7 · own 1 − 1.05 = −0.05.
    // 2024 (réalisé 4, forecast 3.5): rights = part × 4; balance = orientations − rights + report.
    const attendu = {
      AL: { part: 0.3, prev: 1.05, droits: 1.2, orientations: 1, report: -0.9, solde: -1.1 },
      COM: { part: 0.1, prev: 0.35, droits: 0.4, orientations: 0, report: 0.7, solde: 0.3 },
      ETAT: { part: 0.25, prev: 0.875, droits: 1, orientations: 2, report: 0.25, solde: 1.25 },
      'non_reserve:B1': { part: 0.35, prev: 1.225, droits: 1.4, orientations: 1, report: -0.05, solde: -0.45 },
    };
    expect(b1()?.droits.map((l) => l.reservataireId)).toEqual(Object.keys(attendu));
    for (const [id, a] of Object.entries(attendu)) {
      const l = ligne('B1', id);
      expect([id, l?.part, l?.orientations]).toEqual([id, a.part, a.orientations]);
      expect(l?.droitsPrevisionnels).toBeCloseTo(a.prev, 10);
      expect(l?.droits).toBeCloseTo(a.droits, 10);
      expect(l?.report).toBeCloseTo(a.report, 10);
      expect(l?.solde).toBeCloseTo(a.solde, 10);
    }
    // B2 has no lease in 2024: AL's rights 0.5 × 0 = 0, balance 0; its first convention year is 2024, nothing carried.
    expect([ligne('B2', 'AL')?.droits, ligne('B2', 'AL')?.solde, ligne('B2', 'non_reserve:B2')?.part]).toEqual([0, 0, 0.5]);
  });

  it('breaks orientations and rights down by typology, QPV and financing', () => {
    const d = (r: string, dimension: string, modalite: string) => b1()?.parDimension.find((x) => x.reservataireId === r && x.dimension === dimension && x.modalite === modalite);
    // Flow 2024: A07 L1 T2 QPV plai ETAT · A08 L4 T4 pls ETAT · A10 L2 T3 plus AL · A13 L3 T1 plus nr.
    expect([d('ETAT', 'typologie', 'T2')?.orientations, d('ETAT', 'typologie', 'T2')?.flux, d('ETAT', 'typologie', 'T2')?.droits]).toEqual([1, 1, 0.25]);
    expect([d('ETAT', 'qpv', 'qpv')?.orientations, d('AL', 'qpv', 'qpv')?.orientations, d('AL', 'qpv', 'hors_qpv')?.flux]).toEqual([1, 0, 3]);
    expect([d('AL', 'financement', 'plus')?.orientations, d('non_reserve:B1', 'financement', 'plus')?.orientations, d('AL', 'financement', 'plus')?.flux]).toEqual([1, 1, 2]);
  });

  it('gives the orientations month by month', () => {
    expect(b1()?.mensuel).toEqual([
      { reservataireId: 'AL', mois: 6, orientations: 1 },
      { reservataireId: 'ETAT', mois: 2, orientations: 1 },
      { reservataireId: 'ETAT', mois: 4, orientations: 1 },
      { reservataireId: 'non_reserve:B1', mois: 9, orientations: 1 },
    ]);
  });

  it('writes the R441-5-1 bilan, every cell by hand', async () => {
    // Rows of 2024 that are proposals (A17 non_proposee and A18 non_attribution are not), every lease counted (no exclusion):
    // ETAT: L1 (A07 lease, A15 proposed again in December: one dwelling), L4 (A08) → 2 proposed, 2 allocated.
    // AL: L2 (A09 refused, A10 lease), A14 without dwelling (B1 91001 QPV T3 plus, en cours) → 2 proposed, 1 allocated.
    // COM: L6 (A12) → 1/1. Own stock: L5 (A11, T6, no construction year), L3 (A13) → 2/2. B2: AL convention, nothing → 0/0.
    const attendu = `bailleur_id;reservataire_id;dimension;modalite;logements_proposes;logements_attribues
B1;AL;ensemble;ensemble;2;1
B1;AL;typologie;T3;2;1
B1;AL;financement;plus;2;1
B1;AL;qpv;hors_qpv;1;1
B1;AL;qpv;qpv;1;0
B1;AL;commune;91001;2;1
B1;AL;periode_construction;1975_1989;1;1
B1;AL;periode_construction;inconnue;1;0
B1;COM;ensemble;ensemble;1;1
B1;COM;typologie;T2;1;1
B1;COM;financement;plus;1;1
B1;COM;qpv;hors_qpv;1;1
B1;COM;commune;91001;1;1
B1;COM;periode_construction;avant_1949;1;1
B1;ETAT;ensemble;ensemble;2;2
B1;ETAT;typologie;T2;1;1
B1;ETAT;typologie;T4;1;1
B1;ETAT;financement;plai;1;1
B1;ETAT;financement;pls;1;1
B1;ETAT;qpv;hors_qpv;1;1
B1;ETAT;qpv;qpv;1;1
B1;ETAT;commune;91001;1;1
B1;ETAT;commune;91002;1;1
B1;ETAT;periode_construction;1949_1974;1;1
B1;ETAT;periode_construction;2015_et_apres;1;1
B1;non_reserve:B1;ensemble;ensemble;2;2
B1;non_reserve:B1;typologie;T1;1;1
B1;non_reserve:B1;typologie;T6+;1;1
B1;non_reserve:B1;financement;plai;1;1
B1;non_reserve:B1;financement;plus;1;1
B1;non_reserve:B1;qpv;hors_qpv;2;2
B1;non_reserve:B1;commune;91002;2;2
B1;non_reserve:B1;periode_construction;2005_2014;1;1
B1;non_reserve:B1;periode_construction;inconnue;1;1
B2;AL;ensemble;ensemble;0;0
`;
    expect(bilanFluxCsv(await bilanFlux(store, { annee: 2024 }))).toBe(attendu);
    const seul = await bilanFlux(store, { annee: 2024, bailleur: 'B2' });
    expect(seul).toEqual([{ bailleur_id: 'B2', reservataire_id: 'AL', dimension: 'ensemble', modalite: 'ensemble', logements_proposes: 0, logements_attribues: 0 }]);
  });

  it('reads the construction bands and the exclusions from cia.yaml', async () => {
    const dir = copie();
    writeFileSync(join(dir, 'cia.yaml'), 'flux:\n  exclusions: [mutations_internes]\n  annees_prevision: 1\n  periodes_construction: [1975]\n');
    const s = await Store.open(':memory:');
    try {
      await importDataset(s, [dir]);
      const f = await calculerFlux(s, { annee: 2024 });
      const b = f.bailleurs.find((x) => x.bailleurId === 'B1');
      // Only internal mutations excluded: the 6 leases of 2024 stay; K = 1: 2023's 3 relettings × 4/4 + 1.
      expect([b?.realise, b?.prevision.valeur]).toEqual([6, 4]);
      const etat = (await bilanFlux(s, { annee: 2024, bailleur: 'B1' })).filter((l) => l.reservataire_id === 'ETAT' && l.dimension === 'periode_construction');
      expect(etat.map((l) => l.modalite)).toEqual(['1975_et_apres', 'avant_1975']);
    } finally {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const copie = () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixite-flux-'));
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
};

/** Imports the fixture with another conventions.csv into a fresh store. */
async function importerConventions(contenu: string): Promise<{ erreur: ImportFailedError | null; avertissements: readonly string[]; conventions: number; logements: number }> {
  const dir = copie();
  writeFileSync(join(dir, 'conventions.csv'), contenu);
  const s = await Store.open(':memory:');
  try {
    try {
      const r = await importDataset(s, [dir]);
      const [c] = await s.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM conventions`);
      return { erreur: null, avertissements: r.avertissements.map((p) => `${p.fichier}:${p.ligne}:${p.colonne} ${p.message}`), conventions: c?.n ?? 0, logements: -1 };
    } catch (error) {
      if (!(error instanceof ImportFailedError)) throw error;
      const [c] = await s.all<{ n: number }>(`SELECT (SELECT count(*) FROM conventions)::INTEGER + (SELECT count(*) FROM logements)::INTEGER AS n`);
      return { erreur: error, avertissements: [], conventions: c?.n ?? 0, logements: c?.n ?? 0 };
    }
  } finally {
    s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ENTETE = 'bailleur_id;reservataire_id;annee;part;departement\n';
const lignes = (e: ImportFailedError) => e.report.erreurs.map((p) => `${p.fichier}:${p.ligne}:${p.colonne} ${p.message}`);

describe('bad conventions.csv', () => {
  it('refuses shares of a bailleur and year above 1, on the last line of that bailleur-year, and loads nothing', async () => {
    // 0.5 + 0.4 + 0.2 = 1.1 > 1 (lines 2–4).
    const r = await importerConventions(`${ENTETE}B1;ETAT;2024;0.2;91\nB1;AL;2024;0.5;91\nB1;COM;2024;0.4;91\n`);
    expect(lignes(r.erreur as ImportFailedError)).toEqual([
      'conventions.csv:4:part les parts des conventions du bailleur B1 pour 2024 totalisent 110,0\u00a0% du flux : au plus 100 % (la part du bailleur est le reste)',
    ]);
    expect(r.logements).toBe(0);
  });

  it('refuses unknown bailleurs and réservataires with their line', async () => {
    const r = await importerConventions(`${ENTETE}B9;ETAT;2024;0.2;91\nB1;XX;2024;0.2;91\n`);
    expect(lignes(r.erreur as ImportFailedError)).toEqual([
      'conventions.csv:2:bailleur_id référence inconnue : absent de bailleurs.csv (colonne id)',
      'conventions.csv:3:reservataire_id référence inconnue : absent de reservataires.csv (colonne id)',
    ]);
    expect(r.logements).toBe(0);
  });

  it('refuses a duplicate bailleur × réservataire × year', async () => {
    const r = await importerConventions(`${ENTETE}B1;ETAT;2024;0.2;91\nB1;ETAT;2024;0.1;91\n`);
    const messages = lignes(r.erreur as ImportFailedError);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^conventions\.csv:3:/);
    expect(r.logements).toBe(0);
  });

  it('refuses a year when the bailleur has no dwelling in service', async () => {
    // B3 is in bailleurs.csv but owns no dwelling of logements.csv: its convention shares no flow.
    const dir = copie();
    writeFileSync(join(dir, 'bailleurs.csv'), 'id;nom;type\nB1;Office Un;oph\nB2;Entreprise Deux;esh\nB3;Sans parc;coop\n');
    writeFileSync(join(dir, 'conventions.csv'), `${ENTETE}B3;AL;2024;0.3;91\n`);
    const s = await Store.open(':memory:');
    try {
      const error = await importDataset(s, [dir]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ImportFailedError);
      expect(lignes(error as ImportFailedError)).toEqual([
        'conventions.csv:2:annee le bailleur B3 n’a aucun logement en service en 2024 dans logements.csv : une convention sur un parc vide ne porte sur aucun flux',
      ]);
      const [c] = await s.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM bailleurs`);
      expect(c?.n).toBe(0);
    } finally {
      s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a share outside 0–1 with the expected form', async () => {
    const r = await importerConventions(`${ENTETE}B1;ETAT;2024;1.5;91\n`);
    const messages = lignes(r.erreur as ImportFailedError);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^conventions\.csv:2:part /);
  });

  it('warns, with the article, when the State exceeds 30 % or its agents 5 %, and still loads', async () => {
    // ETAT 0.28 + AG 0.06 = 0.34 > 0.30; AG 0.06 > 0.05 (lines 2–3, reported on line 3).
    const r = await importerConventions(`${ENTETE}B1;ETAT;2024;0.28;91\nB1;AG;2024;0.06;91\n`);
    expect(r.erreur).toBeNull();
    expect(r.conventions).toBe(2);
    expect(r.avertissements.filter((a) => a.startsWith('conventions.csv'))).toEqual([
      'conventions.csv:3:part la part de l’État dans le flux du bailleur B1 en 2024 est de 34,0\u00a0% : l’article R441-5 du CCH la limite à 30 % (une convention antérieure peut encore s’appliquer pendant la transition)',
      'conventions.csv:3:part la part des agents de l’État dans le flux du bailleur B1 en 2024 est de 6,0\u00a0% : l’article R441-5 du CCH la limite à 5 % (dans les 30 % de l’État)',
    ]);
  });
});
