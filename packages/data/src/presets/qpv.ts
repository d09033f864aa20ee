import { join } from 'node:path';
import { communesDeLaCellule, reconnaitreQpvListe, restaurerZeros } from '@mixite/core/presets';
import type { Store } from '../store/store.ts';
import { ident } from '../store/sql-types.ts';
import type { ImportProblem } from '../import/problems.ts';
import { problem } from '../import/problems.ts';
import { ecrireCsv } from './csv.ts';
import { LIGNE_SOURCE, cellule, lireSource, oublierSource } from './lecture.ts';
import type { Conversion } from './resultat.ts';

/**
 * The QPV 2024 list preset (docs/presets.md) → `qpv.csv` of the territory: the QPV with at least one commune of the
 * store's `communes` table, its commune being the first of its cell that is in the territory (the others are kept in
 * the free column `communes_qpv`). The assimilated sectors already in the store (`assimile` = 1, set by the CIA) are
 * kept: the import replaces the QPV table, and the official list does not hold them.
 */

export async function convertirQpvListe(store: Store, chemin: string, o: { dossier: string; fichier: string }): Promise<Conversion> {
  const lu = await lireSource(store, chemin, o.fichier, o.dossier);
  if (!lu.ok) return { fichiers: [], erreurs: lu.problemes, avertissements: [], lignesSource: 0 };
  const src = lu.source;
  const erreurs: ImportProblem[] = [];
  try {
    const roles = reconnaitreQpvListe(src.entetes);
    if (!roles) {
      erreurs.push(problem({ fichier: o.fichier, ligne: 1, message: 'en-tête non reconnu comme la liste des QPV : il faut au moins code_qp, lib_qp et insee_com' }));
      return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    }
    const territoire = new Set((await store.all<{ c: string }>(`SELECT code_insee AS c FROM communes`)).map((r) => r.c));
    if (territoire.size === 0) {
      erreurs.push(problem({ fichier: o.fichier, message: 'la base ne connaît aucune commune du territoire : importez d’abord communes.csv, la liste des QPV est restreinte à ses communes' }));
      return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    }
    const index = new Map(src.entetes.map((e, i) => [e, i]));
    const c = (h: string | undefined) => (h === undefined ? 'NULL::VARCHAR' : cellule(index.get(h) as number));
    const lignes = await store.all<{ ligne: number; code: string | null; nom: string | null; dep: string | null; communes: string | null }>(
      `SELECT ${LIGNE_SOURCE} AS ligne, ${c(roles.code)} AS code, ${c(roles.nom)} AS nom, ${c(roles.departement)} AS dep, ${c(roles.communes)} AS communes
       FROM ${ident(src.table)} ORDER BY ligne`,
    );
    const sorties: (string | null)[][] = [];
    const departements = new Set<string>();
    for (const l of lignes) {
      const communes = communesDeLaCellule(l.communes ?? '');
      for (const commune of communes) departements.add(commune.startsWith('97') ? commune.slice(0, 3) : commune.slice(0, 2));
      if (l.dep) departements.add(restaurerZeros(l.dep, 2));
      const dedans = communes.filter((x) => territoire.has(x));
      if (dedans.length === 0) continue;
      if (!l.code) {
        erreurs.push(problem({ fichier: o.fichier, ligne: l.ligne, colonne: roles.code ?? 'code_qp', message: 'code du QPV absent' }));
        continue;
      }
      sorties.push([l.code.toUpperCase(), l.nom, dedans[0] as string, '0', communes.join(', ')]);
    }
    if (sorties.length === 0 && erreurs.length === 0) {
      const duTerritoire = [...new Set([...territoire].map((x) => (x.startsWith('97') ? x.slice(0, 3) : x.slice(0, 2))))].sort();
      erreurs.push(
        problem({
          fichier: o.fichier,
          ligne: 2,
          colonne: roles.communes ?? 'insee_com',
          message: `aucun QPV de la liste n’est sur une commune du territoire : la liste couvre ${pluriel([...departements].sort(), 'le département', 'les départements')}, le territoire est dans ${pluriel(duTerritoire, 'le département', 'les départements')} — est-ce la liste d’un autre département ?`,
        }),
      );
    }
    if (erreurs.length > 0) return { fichiers: [], erreurs, avertissements: [], lignesSource: src.lignes };
    const officiels = new Set(sorties.map((s) => s[0]));
    const assimiles = await store.all<{ code_qpv: string; nom: string; code_insee: string }>(`SELECT code_qpv, nom, code_insee FROM qpv WHERE assimile ORDER BY code_qpv`);
    for (const a of assimiles) if (!officiels.has(a.code_qpv)) sorties.push([a.code_qpv, a.nom, a.code_insee, '1', null]);
    const sortie = join(o.dossier, 'qpv.csv');
    ecrireCsv(sortie, ['code_qpv', 'nom', 'code_insee', 'assimile', 'communes_qpv'], sorties);
    // Its lines are those of the territory's QPV, not the list's: the name says it is the file made from the list.
    return { fichiers: [{ chemin: sortie, table: 'qpv', nomAffiche: `qpv.csv (depuis ${o.fichier})` }], erreurs, avertissements: [], lignesSource: src.lignes, qpv: sorties.map((s) => s[0] as string) };
  } finally {
    await oublierSource(store, src.table);
  }
}

const pluriel = (codes: readonly string[], un: string, plusieurs: string) => (codes.length === 1 ? `${un} ${codes[0]}` : `${plusieurs} ${codes.join(', ')}`);
