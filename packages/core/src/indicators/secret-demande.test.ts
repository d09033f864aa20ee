import { describe, expect, it } from 'vitest';
import type { DemandIndicatorId } from './declarations.ts';
import { MODALITES_MOTIF_REFUS } from './declarations.ts';
import { periodesDeLaDemande } from './periods.ts';
import type { DemandRow } from './results.ts';
import { ligneDemande } from './results.ts';
import { clesAnneeCivile, secretDeLaDemande } from './secret-demande.ts';

/** Rows of one year from per-period values (ids of periodesDeLaDemande: Y, Y-S1, Y-S2, 12m-Y-06-30, 12m-Y-12-31). */
function lignes(annee: number, valeurs: (periode: string) => [DemandIndicatorId, string, number, number | null][]): DemandRow[] {
  return periodesDeLaDemande(annee).flatMap((p) => valeurs(p.id).map(([id, m, num, den]) => ligneDemande(id, p.id, m, num, den)));
}

type Semestres = Record<string, readonly [number, number]>;

/** Refusals by motive: the semesters are given, the year and the twelve-month windows are their sums. */
function refus(annee: number, parMotif: Semestres, avant: Semestres | null, propositions: readonly [number, number], propositionsAvant: readonly [number, number] | null): DemandRow[] {
  const valeur = (periode: string, s: readonly [number, number], prec: readonly [number, number] | null) =>
    periode.endsWith('-S1') ? s[0] : periode.endsWith('-S2') ? s[1] : periode.startsWith('12m-') && periode.endsWith('06-30') ? (prec?.[1] ?? 0) + s[0] : s[0] + s[1];
  return lignes(annee, (p) => {
    // Every motive has its row (zeros included), as the engine writes them.
    const motifs = [...MODALITES_MOTIF_REFUS];
    const total = motifs.reduce((sum, m) => sum + valeur(p, parMotif[m] ?? [0, 0], avant?.[m] ?? null), 0);
    return [
      ['refus_par_motif', '', total, valeur(p, propositions, propositionsAvant)],
      ...motifs.map((m): [DemandIndicatorId, string, number, number | null] => ['refus_par_motif', m, valeur(p, parMotif[m] ?? [0, 0], avant?.[m] ?? null), total]),
    ];
  });
}

describe('secrecy of the demand side (one algorithm for the API and the bilan)', () => {
  // The demo territory's refusals (seed 1, threshold 11): 8 and 10 refusals « autre » in the semesters of 2022.
  const r2021 = { localisation: [82, 73], typologie: [25, 34], autre: [13, 22] } as const;
  const r2022 = { localisation: [60, 70], typologie: [21, 27], autre: [8, 10] } as const;
  const annees = [
    { annee: 2021, demande: refus(2021, r2021, null, [294, 264], null), limites: [] },
    { annee: 2022, demande: refus(2022, r2022, r2021, [203, 278], [294, 264]), limites: [] },
  ];

  it('protects a semester through the twelve months to 30 June, which straddle two years’ tables', () => {
    // Row by row, 2021 has nothing small: the former server rule published all of it, and the twelve months to
    // 30 June 2022 (22 + 8 = 30 « autre ») minus the second semester of 2021 (22) gave the 8 of 2022-S1 back.
    const secret = secretDeLaDemande(annees, 11);
    const masque = (annee: number, periode: string, modalite: string) =>
      secret.annee(annee).demande.find((r) => r.periode === periode && r.modalite === modalite)?.secret ?? null;
    expect(masque(2022, '2022-S1', 'autre')).toBe('primaire');
    expect(masque(2022, '2022-S2', 'autre')).toBe('primaire');
    // Each semester's breakdown: the smallest other motive.
    expect(masque(2022, '2022-S1', 'typologie')).toBe('secondaire');
    expect(masque(2022, '2022-S2', 'typologie')).toBe('secondaire');
    // 12m-2022-06-30 = 2021-S2 + 2022-S1: the semester of 2021 goes, then its breakdown's smallest other, then
    // 2021 = S1 + S2 takes the first semester of 2021 with it.
    expect(masque(2021, '2021-S2', 'autre')).toBe('secondaire');
    expect(masque(2021, '2021-S2', 'typologie')).toBe('secondaire');
    expect(masque(2021, '2021-S1', 'autre')).toBe('secondaire');
    expect(masque(2021, '2021-S1', 'typologie')).toBe('secondaire');
    // The years and the windows stay published: each masked value is one of two unknowns wherever it appears.
    for (const [a, p] of [[2021, '2021'], [2022, '2022'], [2022, '12m-2022-06-30'], [2022, '12m-2022-12-31']] as const) {
      expect(['localisation', 'typologie', 'autre'].map((m) => masque(a, p, m))).toEqual([null, null, null]);
    }
    expect(secret.registre.valeur(clesAnneeCivile.refusMotif(2022, 'autre'))).toBe(18);
    // A masked row says nothing; a published one keeps its share.
    const s1 = secret.annee(2022).demande.find((r) => r.periode === '2022-S1' && r.modalite === 'autre');
    expect(s1).toMatchObject({ numerateur: null, denominateur: null, valeur: null });
    expect(secret.annee(2022).demande.find((r) => r.periode === '2022' && r.modalite === 'autre')).toMatchObject({ numerateur: 18, denominateur: 196, secret: null });
  });

  it('masks a count printed by several rows in all of them, and a row with any masked count', () => {
    // The stock on 31/12 (5) is the count of demandes_actives and the denominator of the share of mutations.
    const rows = lignes(2024, (p) => {
      const fin = p.endsWith('-S1') || p.endsWith('06-30') ? 30 : 5;
      return [
        ['demandes_actives', '', fin, null],
        ['mutations_demande', '', 0, fin],
        ['tension_typologie', '', fin, 40],
      ];
    });
    const secret = secretDeLaDemande([{ annee: 2024, demande: rows, limites: [] }], 11);
    const publiees = secret.annee(2024).demande;
    for (const indicateur of ['demandes_actives', 'mutations_demande', 'tension_typologie']) {
      expect(publiees.find((r) => r.indicateur === indicateur && r.periode === '2024')?.secret, indicateur).toBe('primaire');
      expect(publiees.find((r) => r.indicateur === indicateur && r.periode === '2024-S1')?.secret, indicateur).toBeNull();
    }
    expect(secret.registre.masque(clesAnneeCivile.stock(2024))).toBe('primaire');
    // Zeros count no household: the 0 mutations of the first semester are published.
    expect(publiees.find((r) => r.indicateur === 'mutations_demande' && r.periode === '2024-S1')).toMatchObject({ numerateur: 0, denominateur: 30 });
  });

  it('keeps the flow of requests closed: stock on the eve + filed = stock at the end + satisfied + struck off', () => {
    // 2024 only: S1 from the stock of 31/12/2023 (unknown here), S2 from the stock of 30 June (published).
    const valeurs: Record<string, Record<string, number>> = {
      '2024-S1': { stock: 500, dep: 120, sat: 60, rad: 40 },
      '2024-S2': { stock: 517, dep: 100, sat: 80, rad: 3 },
    };
    const somme = (k: string) => (valeurs['2024-S1']?.[k] ?? 0) + (valeurs['2024-S2']?.[k] ?? 0);
    const rows = lignes(2024, (p) => {
      const v = p.endsWith('-S1') || p.endsWith('-S2') ? (valeurs[p] as Record<string, number>) : p.endsWith('06-30') ? { stock: 500, dep: 230, sat: 110, rad: 70 } : { stock: 517, dep: somme('dep'), sat: somme('sat'), rad: somme('rad') };
      return [
        ['demandes_actives', '', v.stock as number, null],
        ['demandes_deposees', '', v.dep as number, null],
        ['demandes_satisfaites', '', v.sat as number, null],
        ['demandes_radiees', '', v.rad as number, null],
      ];
    });
    const secret = secretDeLaDemande([{ annee: 2024, demande: rows, limites: [] }], 11);
    const masque = (indicateur: string, periode: string) => secret.annee(2024).demande.find((r) => r.indicateur === indicateur && r.periode === periode)?.secret ?? null;
    expect(masque('demandes_radiees', '2024-S2')).toBe('primaire');
    // 500 + 100 = 517 + 80 + 3: the smallest other term of the right side (80 satisfied) is masked…
    expect(masque('demandes_satisfaites', '2024-S2')).toBe('secondaire');
    // …and the year (S1 + S2) then needs the first semester's satisfied and struck off masked too, or 2024 − S1 gives S2 back.
    expect(masque('demandes_satisfaites', '2024-S1')).toBe('secondaire');
    expect(masque('demandes_radiees', '2024-S1')).toBe('secondaire');
    expect([masque('demandes_actives', '2024'), masque('demandes_deposees', '2024'), masque('demandes_satisfaites', '2024'), masque('demandes_radiees', '2024')]).toEqual([null, null, null, null]);
  });

  it('masks the quartile limits computed from fewer requests than the threshold, and nothing at a threshold of 1', () => {
    const limite = { annee: 2024, date_reference: '2023-12-31', demandes: 7, q1: 9000, mediane: 15000, q3: 21000, seuil_publie: null, source_seuil: null, seuil_applique: 9000, origine_seuil: 'calcule' as const };
    const rows = lignes(2024, () => [['demandes_radiees', '', 3, null]]);
    expect(secretDeLaDemande([{ annee: 2024, demande: rows, limites: [limite] }], 11).annee(2024).limites).toEqual([{ ...limite, q1: null, mediane: null, q3: null, seuil_applique: null }]);
    const sans = secretDeLaDemande([{ annee: 2024, demande: rows, limites: [limite] }], 1).annee(2024);
    expect(sans.limites).toEqual([limite]);
    expect(sans.demande.every((r) => r.secret === null && r.numerateur === 3)).toBe(true);
  });
});
