/**
 * `npx tsx bench/demarrage-phases.ts --base FICHIER [--annee 2024]`: where the server's start and its first dashboard
 * call spend their time (issue 18, item 4), phase by phase, in one process, on a copy of the store (never the file
 * given): opening and migrating the store, the integrity check, building the application, checking the audit log,
 * the retention purge; then the first `/api/indicateurs` rows of the territory with the warm-up running behind
 * (as after a real start), a second call, the end of the warm-up, and a call after it. Same steps as `startServer`
 * (packages/server/src/start.ts), without the HTTP layer: `bench/premier-appel.ts` measures the real server.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Store, assertIntegrity } from '@mixite/data';
import { createApp } from '../packages/server/src/app.ts';
import { SYSTEME } from '../packages/server/src/http/viewer.ts';
import { ouvrirScellement } from '../packages/server/src/services/scellement-journal.ts';
import { describeMachine } from './machine.ts';

const { values } = parseArgs({ options: { base: { type: 'string' }, annee: { type: 'string', default: '2024' } } });
if (!values.base || !existsSync(values.base)) throw new Error('indiquez une base importée avec --base FICHIER');
const annee = Number(values.annee);
const work = mkdtempSync(join(tmpdir(), 'mixite-bench-phases-'));
const base = join(work, 'base.duckdb');
copyFileSync(resolve(values.base), base);
const cle = resolve(values.base).replace(/\.duckdb$/, '.cle-journal');
for (const suffixe of ['', '.ancres']) if (existsSync(cle + suffixe)) copyFileSync(cle + suffixe, join(work, `base.cle-journal${suffixe}`));

const phases: [string, number][] = [];
let debut = performance.now();
const phase = (nom: string) => {
  const maintenant = performance.now();
  phases.push([nom, maintenant - debut]);
  debut = maintenant;
};
const charge = loadavg()[0] ?? 0;
const scellement = ouvrirScellement(join(work, 'base.cle-journal'), { creer: true });
const store = await Store.open(base);
phase('ouverture de la base et migrations');
await assertIntegrity(store);
phase('contrôle d’intégrité (doublons de clés, comptes de lignes)');
const mixite = createApp(store, { webDist: null, securite: { mode: 'demonstration' }, scellement });
phase('construction de l’application');
await mixite.deps.audit.demarrer();
phase('vérification et ancrage du journal d’audit');
await mixite.deps.conservation.appliquer();
phase('purge de conservation');
const filtre = { annee, perimetre_type: 'territoire' };
const prechauffage = mixite.deps.indicateurs.warmUp();
await mixite.deps.indicateurs.rows(SYSTEME, filtre);
phase('premier appel, préchauffage en cours');
await mixite.deps.indicateurs.rows(SYSTEME, filtre);
phase('deuxième appel');
await prechauffage;
phase('reste du préchauffage (toutes les années, édition publique de la dernière)');
await mixite.deps.indicateurs.rows(SYSTEME, filtre);
phase('appel après le préchauffage');
store.close();
rmSync(work, { recursive: true, force: true });

console.log(`Machine : ${describeMachine()} ; charge au départ ${charge.toFixed(1).replace('.', ',')} ; base ${values.base}, année ${annee}.\n`);
console.log('| phase | durée |\n|---|---|');
for (const [nom, ms] of phases) console.log(`| ${nom} | ${Math.round(ms).toLocaleString('fr-FR').replace(/\s/g, ' ')} ms |`);
