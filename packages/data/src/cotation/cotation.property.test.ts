import type { DemandeACoter, DocumentGrille, Grille } from '@mixite/core';
import { COMPOSITIONS, DEMANDES, LOGEMENTS_ACTUELS, MOTIFS_DEMANDE, ajouterJours, douzeMoisAvant, grilleSchema, moisRevolus, noteDe, valeurChamp } from '@mixite/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { literal } from '../store/sql-types.ts';
import { Store } from '../store/store.ts';
import { listerCotations } from './engine.ts';

/**
 * Property tests of the cotation: the SQL engine against the pure reference `noteDe` on random requests and random
 * grids (notes, explanations, ranks, group sizes, waiting times), and the invariants of issue 6.
 */

const SEUIL_Q1 = 12000;

// --- Random requests ----------------------------------------------------------------------------------------

const jour = (debut: string, jours: number) => fc.integer({ min: 0, max: jours }).map((n) => ajouterJours(debut, n));
const ou = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const centimes = (max: number) => fc.integer({ min: 0, max }).map((c) => c / 100);

interface DemandeAleatoire extends DemandeACoter {
  nur: string;
  date_depot: string;
  statut: 'active' | 'attribuee' | 'radiee';
  date_radiation: string | null;
  attributs: Record<string, string>;
}

const demandeArb = (nur: string): fc.Arbitrary<DemandeAleatoire> =>
  fc
    .record({
      date_depot: jour('2015-01-01', 4000),
      fin: fc.oneof(fc.constant(null), fc.record({ statut: fc.constantFrom('attribuee' as const, 'radiee' as const), jours: fc.integer({ min: 0, max: 2500 }) })),
      nb_personnes: fc.integer({ min: 1, max: 8 }),
      nb_moins_14_ans: ou(fc.integer({ min: 0, max: 7 })),
      composition: ou(fc.constantFrom(...COMPOSITIONS)),
      ressources_mensuelles: centimes(500_000),
      typologie_min: ou(fc.integer({ min: 1, max: 5 })),
      communes_souhaitees: fc.constantFrom(null, '91228', '91174', '91228|91174', '91174|91228'),
      mutation: ou(fc.boolean()),
      logement_actuel: ou(fc.constantFrom(...LOGEMENTS_ACTUELS)),
      loyer_actuel: ou(centimes(300_000)),
      motif: ou(fc.constantFrom(...MOTIFS_DEMANDE)),
      dalo: ou(fc.boolean()),
      prioritaire: ou(fc.boolean()),
      priorite_motifs: fc.constantFrom(null, 'violences', 'pdalhpd|violences', 'dalo', 'sortie_structure|dalo'),
      travailleur_essentiel: ou(fc.boolean()),
      handicap: ou(fc.boolean()),
      nb_refus: ou(fc.integer({ min: 0, max: 4 })),
      profession: fc.constantFrom(undefined, 'aide-soignante', 'infirmier'),
      score: fc.constantFrom(undefined, '2,5', '3', 'abc', '10.75', '-1'),
      salarie: fc.constantFrom(undefined, 'oui', 'Non', 'O', 'peut-être'),
      entree: fc.constantFrom(undefined, '2019-05-31', '31/01/2020', '2020-02-30', '2016-02-29', 'x'),
    })
    .map(({ fin, profession, score, salarie, entree, ...d }) => {
      const attributs: Record<string, string> = {};
      if (profession !== undefined) attributs.profession = profession;
      if (score !== undefined) attributs.score = score;
      if (salarie !== undefined) attributs.salarie = salarie;
      if (entree !== undefined) attributs.entree = entree;
      return {
        ...d,
        nur,
        nb_moins_14_ans: d.nb_moins_14_ans === null ? null : Math.min(d.nb_moins_14_ans, d.nb_personnes),
        statut: fin === null ? ('active' as const) : fin.statut,
        date_radiation: fin === null ? null : ajouterJours(d.date_depot, fin.jours),
        attributs,
      };
    });

const demandesArb = fc.integer({ min: 1, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => demandeArb(`N${String(i).padStart(3, '0')}`))));

// --- Random grids -------------------------------------------------------------------------------------------

const ordre = fc.constantFrom('>', '>=', '<', '<=', '=');
const comparaison = <T>(champ: string, valeur: fc.Arbitrary<T>) => fc.tuple(ordre, valeur).map(([op, v]) => ({ [champ]: { [op]: v } }));

const conditionArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom(...MOTIFS_DEMANDE).map((v) => ({ motif: v })),
  fc.subarray([...LOGEMENTS_ACTUELS], { minLength: 1 }).map((v) => ({ logement_actuel: { in: v } })),
  fc.constantFrom(...COMPOSITIONS).map((v) => ({ composition: v })),
  fc.constantFrom('dalo', 'prioritaire', 'mutation', 'handicap', 'travailleur_essentiel', 'q1').chain((c) => fc.boolean().map((b) => ({ [c]: b }))),
  comparaison('taux_effort_actuel', fc.integer({ min: 0, max: 80 }).map((x) => x / 100)),
  comparaison('anciennete_mois', fc.integer({ min: 0, max: 120 })),
  comparaison('uc', fc.constantFrom(1, 1.3, 1.5, 1.8, 2, 2.3, 2.5, 3)),
  comparaison('ressources_uc', fc.integer({ min: 0, max: 30_000 })),
  comparaison('ressources_mensuelles', centimes(300_000)),
  comparaison('nb_personnes', fc.integer({ min: 1, max: 8 })),
  comparaison('date_depot', jour('2015-01-01', 4000)),
  fc.subarray([1, 2, 3, 4, 5], { minLength: 1 }).map((v) => ({ typologie_min: { in: v } })),
  fc.constantFrom('91228', '91174').map((v) => ({ commune_1: v })),
  fc.constantFrom('violences', 'dalo').map((v) => ({ priorite_motifs: v })),
  fc.subarray(['violences', 'dalo', 'pdalhpd'], { minLength: 1 }).map((v) => ({ priorite_motifs: { in: v } })),
  fc.constantFrom('91228', '91174').map((v) => ({ communes_souhaitees: v })),
  fc.constantFrom('aide-soignante', 'infirmier').map((v) => ({ 'attributs.profession': v })),
  comparaison('attributs.score', fc.constantFrom(-1, 0, 2.5, 3, 10)),
  fc.boolean().map((b) => ({ 'attributs.salarie': b })),
  comparaison('attributs.entree', jour('2015-01-01', 2000)).filter((c) => !('=' in (c['attributs.entree'] as object))),
);

const siArb = fc.array(conditionArb, { maxLength: 3 }).map((cs) => Object.assign({}, ...cs) as Record<string, unknown>);
const pointsArb = fc.integer({ min: -2000, max: 3000 }).map((c) => c / 100);
const plafondArb = fc.integer({ min: 1, max: 3000 }).map((c) => c / 100);

const critereArb = (id: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.record({ points: pointsArb, si: siArb }).map((c) => ({ id, libelle: id, ...c })) },
    {
      weight: 1,
      arbitrary: fc
        .record({
          points_par_mois: fc.integer({ min: 1, max: 300 }).map((c) => c / 100),
          plafond: fc.option(fc.integer({ min: 1, max: 5000 }).map((c) => c / 100), { nil: undefined }),
          depuis: fc.constantFrom('date_depot', 'attributs.entree'),
          si: siArb,
        })
        .map(({ plafond, ...c }) => ({ id, libelle: id, ...c, ...(plafond === undefined ? {} : { plafond }) })),
    },
  );

/** A body: criteria, headings over disjoint subsets of them, refusals. */
const corpsArb = fc.integer({ min: 1, max: 8 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `c${i}`);
  return fc.record({
    criteres: fc.tuple(...ids.map(critereArb)),
    affectation: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: n, maxLength: n }),
    modes: fc.tuple(fc.constantFrom('max', 'somme'), fc.constantFrom('max', 'somme'), fc.constantFrom('max', 'somme')),
    plafonds: fc.tuple(fc.option(plafondArb, { nil: undefined }), fc.option(plafondArb, { nil: undefined }), fc.option(plafondArb, { nil: undefined })),
    refus: fc.option(fc.record({ points: pointsArb, par_refus: fc.boolean(), max_refus: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) }), { nil: undefined }),
  }).map(({ criteres, affectation, modes, plafonds, refus }) => {
    const rubriques = [0, 1, 2]
      .map((r) => ({ id: `r${r}`, criteres: ids.filter((_, i) => affectation[i] === r), mode: modes[r], ...(plafonds[r] === undefined ? {} : { plafond: plafonds[r] }) }))
      .filter((r) => r.criteres.length > 0);
    const refusDoc = refus === undefined ? undefined : { points: refus.points, par_refus: refus.par_refus, ...(refus.max_refus === undefined ? {} : { max_refus: refus.max_refus }) };
    return { criteres: [...criteres], rubriques, ...(refusDoc === undefined ? {} : { refus: refusDoc }) };
  });
});

const documentArb: fc.Arbitrary<DocumentGrille> = fc
  .record({
    similaires: fc.subarray(['typologie_min', 'commune_1', 'mutation', 'composition', 'attributs.profession']),
    separees: fc.boolean(),
    a: corpsArb,
    b: corpsArb,
  })
  .map(({ similaires, separees, a, b }) =>
    separees ? { nom: 'aléatoire', version: 1, similaires, premier_acces: a, mutation: b } : { nom: 'aléatoire', version: 1, similaires, ...a },
  ) as fc.Arbitrary<DocumentGrille>;

const grilleArb: fc.Arbitrary<Grille> = documentArb.map((doc) => grilleSchema.parse(doc));

// --- The store ----------------------------------------------------------------------------------------------

let store: Store;
beforeAll(async () => {
  store = await Store.open(':memory:');
  // One general threshold for every year: the JavaScript reference gets the same one.
  const annees = Array.from({ length: 20 }, (_, i) => 2012 + i);
  await store.run(`INSERT INTO seuils (annee, code_epci, seuil_q1, source) VALUES ${annees.map((a) => `(${a}, NULL, ${SEUIL_Q1}, 'test')`).join(', ')}`);
});
afterAll(() => store.close());

const COLONNES = Object.keys(DEMANDES.columns).filter((c) => c !== 'q1');

function valeurSql(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return String(v);
  return literal(String(v));
}

async function charger(demandes: readonly DemandeAleatoire[]): Promise<void> {
  await store.run('DELETE FROM demandes');
  const lignes = demandes.map((d) => {
    const cles = Object.keys(d.attributs);
    const attributs = cles.length === 0 ? 'MAP([]::VARCHAR[], []::VARCHAR[])' : `MAP([${cles.map(literal).join(', ')}], [${cles.map((k) => literal(d.attributs[k] ?? '')).join(', ')}])`;
    return `(${COLONNES.map((c) => valeurSql((d as unknown as Record<string, unknown>)[c])).join(', ')}, ${attributs})`;
  });
  await store.run(`INSERT INTO demandes (${COLONNES.join(', ')}, attributs) VALUES ${lignes.join(',\n')}`);
}

const activeLe = (d: DemandeAleatoire, date: string) => d.date_depot <= date && (d.date_radiation === null || d.date_radiation > date);
const jours = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

/** What the engine must return, computed in JavaScript from noteDe and the definitions of issue 6. */
function attendu(demandes: readonly DemandeAleatoire[], grille: Grille, date: string) {
  const options = { seuilQ1: SEUIL_Q1 };
  const cle = (d: DemandeAleatoire) => JSON.stringify(grille.similaires.map((c) => valeurChamp(d, c, date, options)));
  const actives = demandes.filter((d) => activeLe(d, date)).map((d) => ({ d, cle: cle(d), note: noteDe(d, grille, date, options) }));
  const { debut } = douzeMoisAvant(date);
  const satisfaites = demandes.filter((d) => d.statut === 'attribuee' && d.date_radiation !== null && d.date_radiation >= debut && d.date_radiation <= date);
  return new Map(
    actives.map((a) => {
      const groupe = actives.filter((b) => b.cle === a.cle);
      const delais = satisfaites.filter((s) => cle(s) === a.cle).map((s) => jours(s.date_depot, s.date_radiation as string));
      return [
        a.d.nur,
        {
          nur: a.d.nur,
          portee: a.note.portee,
          note: a.note.note,
          criteres: a.note.lignes.map((l) => l.id),
          rang: 1 + groupe.filter((b) => b.note.centiemes > a.note.centiemes).length,
          nb_similaires: groupe.length,
          delai_moyen_jours: delais.length === 0 ? null : Math.round(delais.reduce((s, x) => s + x, 0) / delais.length),
          nb_satisfaites_similaires: delais.length,
        },
      ];
    }),
  );
}

describe('the SQL engine and the pure reference agree', () => {
  it('on notes, explanations, ranks, group sizes and waiting times of random requests and grids', async () => {
    await fc.assert(
      fc.asyncProperty(demandesArb, grilleArb, jour('2016-01-01', 3650), async (demandes, grille, date) => {
        await charger(demandes);
        const page = await listerCotations(store, grille, { date, limite: 10_000 });
        const oracle = attendu(demandes, grille, date);
        expect(page.total).toBe(oracle.size);
        for (const ligne of page.lignes) expect(ligne).toEqual(oracle.get(ligne.nur));
      }),
      { numRuns: 120 },
    );
  });
});

describe('invariants of issue 6', () => {
  it('adding a criterion with positive points never lowers a note', () => {
    const ajoutArb = fc.record({
      critere: critereArb('ajout').map((c) => ('points' in c ? { ...c, points: Math.abs(c.points) + 0.01 } : c)),
      position: fc.nat(),
      rubrique: fc.integer({ min: -1, max: 2 }),
    });
    fc.assert(
      fc.property(fc.array(demandeArb('X'), { minLength: 1, maxLength: 20 }), documentArb, ajoutArb, jour('2016-01-01', 3650), (demandes, doc, ajout, date) => {
        const avant = grilleSchema.parse(doc);
        // The new criterion goes into every body, at some position, possibly into one of its headings.
        const ajouter = (corps: { criteres: unknown[]; rubriques?: { id: string; criteres: string[] }[] }) => {
          const criteres = [...corps.criteres];
          criteres.splice(ajout.position % (criteres.length + 1), 0, ajout.critere);
          const rubriques = (corps.rubriques ?? []).map((r) => (r.id === `r${ajout.rubrique}` ? { ...r, criteres: [...r.criteres, 'ajout'] } : r));
          return { ...corps, criteres, rubriques };
        };
        const d = doc as Record<string, unknown> & { premier_acces?: never; mutation?: never };
        const apresDoc =
          d.premier_acces !== undefined
            ? { ...d, premier_acces: ajouter(d.premier_acces), mutation: ajouter(d.mutation as never) }
            : ajouter(d as never);
        const apres = grilleSchema.parse(apresDoc);
        return demandes.every((x) => noteDe(x, apres, date, { seuilQ1: SEUIL_Q1 }).centiemes >= noteDe(x, avant, date, { seuilQ1: SEUIL_Q1 }).centiemes);
      }),
      { numRuns: 300 },
    );
  });

  it('ranks are consistent with notes within a similarity group', async () => {
    await fc.assert(
      fc.asyncProperty(demandesArb, grilleArb, jour('2016-01-01', 3650), async (demandes, grille, date) => {
        await charger(demandes);
        const page = await listerCotations(store, grille, { date, limite: 10_000, tri: 'similaires' });
        const options = { seuilQ1: SEUIL_Q1 };
        const parNur = new Map(demandes.map((d) => [d.nur, d]));
        const groupe = (nur: string) => JSON.stringify(grille.similaires.map((c) => valeurChamp(parNur.get(nur) as DemandeAleatoire, c, date, options)));
        for (const a of page.lignes) {
          const memes = page.lignes.filter((b) => groupe(b.nur) === groupe(a.nur));
          expect(a.nb_similaires).toBe(memes.length);
          expect(a.rang).toBeGreaterThanOrEqual(1);
          expect(a.rang).toBeLessThanOrEqual(memes.length);
          for (const b of memes) {
            if (a.note > b.note) expect(a.rang).toBeLessThan(b.rang);
            if (a.note === b.note) expect(a.rang).toBe(b.rang);
          }
          // Ties share the best rank: the rank is one more than the number of better notes.
          expect(a.rang).toBe(1 + memes.filter((b) => b.note > a.note).length);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('seniority never decreases with time', () => {
    fc.assert(fc.property(jour('2010-01-01', 6000), fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 400 }), (depuis, a, b) => {
      const r1 = ajouterJours(depuis, a);
      return moisRevolus(depuis, ajouterJours(r1, b)) >= moisRevolus(depuis, r1);
    }));
  });
});
