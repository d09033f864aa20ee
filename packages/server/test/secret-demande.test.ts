import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemandIndicatorId } from '@mixite/core';
import { MODALITES_MOTIF_REFUS, MODALITES_QUARTILE, MODALITES_TYPOLOGIE } from '@mixite/core';
import { generateDemo } from '@mixite/demo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The bilan's own reading of the store and of its count tables (what its Word, PDF and Excel files print).
import { cles, registreDesComptes } from '../../reports/src/contenu/comptes.ts';
import { collecterDonnees } from '../../reports/src/donnees/collecte.ts';
import type { Demande, Territoire } from '../src/contract.ts';
import type { Client, TestApp } from './helpers.ts';
import { login, openProductionApp, scalar } from './helpers.ts';

/**
 * Issue 11, item 3: the demand side has one secrecy (core/src/indicators/secret-demande.ts). On the demo territory,
 * with a threshold high enough to mask figures of whole years (40 households), every demand figure the bilan prints
 * is masked by the API for the lecteur exactly when the bilan masks it, and published with the same value otherwise.
 */
const SEUIL = 40;

/** A figure of the bilan and the API row that prints it (calendar year Y: periode `Y`). */
interface Figure {
  readonly cle: string;
  readonly indicateur: DemandIndicatorId;
  readonly modalite: string;
  readonly champ: 'numerateur' | 'denominateur';
  /** The API row prints only this count (a plain count): masked exactly when it is. */
  readonly seule: boolean;
}

function figures(y: number): Figure[] {
  const f = (cle: string, indicateur: DemandIndicatorId, champ: Figure['champ'], modalite = '', seule = false): Figure => ({ cle, indicateur, modalite, champ, seule });
  return [
    f(cles.stock(y), 'demandes_actives', 'numerateur', '', true),
    f(cles.deposees(y), 'demandes_deposees', 'numerateur', '', true),
    f(cles.satisfaites(y), 'demandes_satisfaites', 'numerateur', '', true),
    f(cles.radiees(y), 'demandes_radiees', 'numerateur', '', true),
    f(cles.stockMutation(y), 'mutations_demande', 'numerateur'),
    f(cles.baux(y), 'mutations_attributions', 'denominateur'),
    f(cles.bauxMutation(y), 'mutations_attributions', 'numerateur'),
    f(cles.refus(y), 'refus_par_motif', 'numerateur'),
    ...MODALITES_QUARTILE.map((q) => f(cles.stockQuartile(y, q), 'quartile_demande', 'numerateur', q)),
    ...MODALITES_QUARTILE.map((q) => f(cles.bauxQuartile(y, q), 'quartile_attributions', 'numerateur', q)),
    ...MODALITES_TYPOLOGIE.map((t) => f(cles.stockTypologie(y, t), 'tension_typologie', 'numerateur', t)),
    ...MODALITES_TYPOLOGIE.map((t) => f(cles.bauxTypologie(y, t), 'tension_typologie', 'denominateur', t)),
    ...MODALITES_MOTIF_REFUS.map((m) => f(cles.refusMotif(y, m), 'refus_par_motif', 'numerateur', m)),
  ];
}

describe('demand-side secrecy: the web API and the bilan mask alike (demo territory)', () => {
  let t: TestApp;
  let dir: string;
  let lecteur: Client;
  let epci: Client;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mixite-secret-demande-'));
    await generateDemo({ out: dir, echelle: 'epci', graine: 1 });
    const cia = join(dir, 'cia.yaml');
    writeFileSync(cia, readFileSync(cia, 'utf8').replace(/secret_statistique: \d+/, `secret_statistique: ${SEUIL}`));
    t = await openProductionApp({ dataset: dir });
    lecteur = await login(t.mixite.app, 'lecteur@mixite.test');
    epci = await login(t.mixite.app, 'epci@mixite.test');
  }, 180_000);
  afterAll(() => {
    t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('masks every printed figure in both or in neither, with the same published value', async () => {
    const { annees } = (await (await lecteur.request('/api/territoire')).json()) as Territoire;
    const annee = annees.at(-1) as number;
    const donnees = await collecterDonnees(t.store, annee, annees.length, () => undefined);
    const comptes = registreDesComptes(donnees);
    let publiees = 0;
    let masquees = 0;
    for (const y of donnees.annees) {
      const api = (await (await lecteur.request(`/api/demande?annee=${y}`)).json()) as Demande;
      const interne = (await (await epci.request(`/api/demande?annee=${y}`)).json()) as Demande;
      for (const fig of figures(y)) {
        if (!comptes.has(fig.cle)) continue;
        const trouver = (d: Demande) => d.lignes.find((l) => l.indicateur === fig.indicateur && l.periode === String(y) && l.modalite === fig.modalite);
        const ligne = trouver(api);
        const vraie = trouver(interne)?.[fig.champ];
        expect(ligne, `${y} ${fig.indicateur} ${fig.modalite}`).toBeDefined();
        const bilan = comptes.valeur(fig.cle);
        const web = ligne?.[fig.champ] ?? null;
        if (bilan === null) {
          expect(web, `${fig.cle} masqué dans le bilan`).toBeNull();
          masquees++;
        } else {
          expect(bilan).toBe(vraie);
          // A row printing two counts is masked with either: the bilan's figure is then published elsewhere.
          if (web !== null || fig.seule) expect(web, `${fig.cle} publié dans le bilan`).toBe(bilan);
          publiees++;
        }
        if (web !== null) expect(web === 0 || web >= SEUIL).toBe(true);
      }
    }
    // The comparison means something: figures of both kinds, on several years.
    expect(donnees.annees.length).toBeGreaterThan(1);
    expect(masquees).toBeGreaterThan(5);
    expect(publiees).toBeGreaterThan(50);
    // The public bilan's pass over the demo's four years now takes the cross-dimension pairs (issue 12): 44 s on a
    // loaded 2-core machine, too close to the default minute.
  }, 180_000);

  it('counts the stock the way a plain query does, and masks its small breakdowns in both', async () => {
    const { annees } = (await (await lecteur.request('/api/territoire')).json()) as Territoire;
    const y = annees.at(-1) as number;
    const stock = await scalar<number>(
      t.store,
      `SELECT count(*)::INTEGER AS v FROM demandes WHERE date_depot <= DATE '${y}-12-31' AND (date_radiation IS NULL OR date_radiation > DATE '${y}-12-31')`,
    );
    const api = (await (await lecteur.request(`/api/demande?annee=${y}`)).json()) as Demande;
    expect(api.lignes.find((l) => l.indicateur === 'demandes_actives' && l.periode === String(y))?.numerateur).toBe(stock);
    // Every masked row says why, and no published count of the lecteur lies between 1 and the threshold.
    for (const l of api.lignes) {
      if (l.numerateur === null) expect(l.secret === 'primaire' || l.secret === 'secondaire').toBe(true);
      for (const n of [l.numerateur, l.denominateur]) if (l.unite !== 'jours' || n === l.denominateur) expect(n === null || n === 0 || n >= SEUIL).toBe(true);
    }
  });
});
