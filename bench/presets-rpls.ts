/**
 * Benchmark of the RPLS preset (issue 17): the import of an RPLS-shaped file of N dwellings (default 1.3 M, the
 * Île-de-France stock) with `--preset rpls`, against the canonical import of the same rows (the logements.csv and
 * residences.csv the preset itself writes from that file, written beforehand, not timed), in the same run, on fresh
 * stores holding the same territory. Target: preset ≤ 1.5 × canonical. The preset hands its dwellings to the import typed
 * (import/relation-typee.ts); the canonical files are written from the same conversion's text twin.
 *
 *   nice -n -5 npx tsx bench/presets-rpls.ts [--logements 1300000] [--tours 3] [--profil] [--canonique-direct]
 *
 * --canonique-direct: the canonical import as the command line runs it since session 11, written directly into its
 * final tables (import/direct-write.ts, `ecritureDirecte`); without it, the TEMP way the target was first measured on.
 *
 * The file: 41 columns of the fuller RPLS file (REAL-FORMATS.md), `;`, UTF-8, quoted strings, one building per
 * 20 dwellings (20 dwellings share X/Y), 1 300 communes, 9999 rents on a tenth of the rows. A benchmark, not a test.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Store, importDataset } from '@mixite/data';
import { convertirRpls, importerAvecPreset } from '@mixite/data/presets';

const { values } = parseArgs({ options: { logements: { type: 'string', default: '1300000' }, profil: { type: 'boolean', default: false }, tours: { type: 'string', default: '1' }, 'canonique-direct': { type: 'boolean', default: false } } });
// --profil: every SQL statement of 100 ms or more is printed with its wall and processor time (which step costs what).
if (values.profil) {
  for (const m of ['run', 'all'] as const) {
    const original = Store.prototype[m] as (...a: unknown[]) => Promise<unknown>;
    (Store.prototype as unknown as Record<string, unknown>)[m] = async function (this: Store, ...a: unknown[]) {
      const t = performance.now();
      const c = process.cpuUsage();
      try {
        return await original.apply(this, a);
      } finally {
        const ms = performance.now() - t;
        const u = process.cpuUsage(c);
        const sql = typeof a[0] === 'string' ? a[0] : JSON.stringify(a[0]);
        if (ms >= 100) console.log(`  ${(ms / 1000).toFixed(2)} s (processeur ${((u.user + u.system) / 1e6).toFixed(2)} s)  ${sql.replace(/\s+/g, ' ').slice(0, 100)}`);
      }
    };
  }
}
const N = Number(values.logements);
const dir = mkdtempSync(join(tmpdir(), 'mixite-bench-rpls-'));
const territoire = join(dir, 'territoire');
mkdirSync(territoire);

// 1 300 communes of the Essonne-like range 91001…, 40 QPV, one bailleur.
const COMMUNES = Array.from({ length: 1300 }, (_, i) => String(91001 + i));
writeFileSync(join(territoire, 'communes.csv'), `code_insee;nom;code_epci;zone_abc;zone_apl\n${COMMUNES.map((c) => `${c};Commune ${c};200059228;a;1`).join('\n')}\n`);
const QPV = Array.from({ length: 40 }, (_, i) => `QN091${String(i).padStart(2, '0')}M`);
writeFileSync(join(territoire, 'qpv.csv'), `code_qpv;nom;code_insee\n${QPV.map((q, i) => `${q};Quartier ${i};${COMMUNES[i * 30]}`).join('\n')}\n`);
writeFileSync(join(territoire, 'bailleurs.csv'), 'id;nom;type\nB1;Bailleur;esh\n');

const H = 'REG_CODE;REG_LIBELLE;DEP_CODE;DEP_LIBELLE;EPCI_CODE;EPCI_LIBELLE;DROIT_CODE;DEPCOM;DEPCOM_LIBELLE;CODEPOSTAL;NUMVOIE;INDREP;TYPVOIE;NOMVOIE;NUMAPPT;ESC;COULOIR;ETAGE;ENTREE;BAT;IMMEU;LIEUDIT;QPV_CODE;TYPECONST_CODE;NBPIECE;SURFHAB;CONSTRUCT;LOCAT;ORIGINE;FINAN_CODE;FINAN_LIBELLE;CONV;CUS;PMR_CODE;EPSG;X;Y;PLG_QP;LOYERPRINC;MODE;DPEENERGIE';
const FINAN = ['10', '11', '12', '13', '13', '13', '14', '16', '50', '99'];
const rpls = join(dir, 'rpls.csv');
await new Promise<void>((resolve, reject) => {
  const out = createWriteStream(rpls);
  out.on('error', reject);
  let buf = `${H}\n`;
  for (let i = 0; i < N; i++) {
    const b = Math.floor(i / 20);
    const c = COMMUNES[b % COMMUNES.length] as string;
    const qpvIndex = (b % COMMUNES.length) / 30;
    const enQpv = Number.isInteger(qpvIndex) && qpvIndex < QPV.length;
    const x = 640000 + (b % 500) * 40.5;
    const y = 6800000 + Math.floor(b / 500) * 35.25;
    buf += `11;"Île-de-France";91;"Essonne";200059228;"CA";1;"${c}";"Commune ${c}";"91000";"${(b % 120) + 1}";;"RUE";"DE LA RÉPUBLIQUE ${b}";"${i % 20}";;;"${i % 20 >> 2}";;;;;${enQpv ? 1 : 2};"C";${(i % 5) + 1};${45 + (i % 50)}.5;${1960 + (b % 60)};${1961 + (b % 60)};1;${FINAN[i % 10]};"x";1;${i % 7 === 0 ? '"PLAI"' : ''};${(i % 3) + 1};2154;${x};${y};${enQpv ? `"${QPV[qpvIndex]}"` : ''};${i % 10 === 0 ? 9999 : 300 + (i % 400)}.25;${i % 10 === 0 ? 2 : 1};"C"\n`;
    if (buf.length > 1 << 20) {
      out.write(buf);
      buf = '';
    }
  }
  out.end(buf, () => resolve());
});
const mo = (p: string) => Math.round(statSync(p).size / 1024 / 1024);
console.log(`fichier RPLS : ${N} logements, ${mo(rpls)} Mo ; charge de la machine : ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (1, 5, 15 min)`);

async function magasin(): Promise<Store> {
  const store = await Store.open(join(dir, `base-${Math.random().toString(36).slice(2)}.duckdb`));
  await importDataset(store, [territoire]);
  return store;
}

// The canonical files of the same rows, written by the preset's own conversion (not timed).
const canon = join(dir, 'canonique');
mkdirSync(canon);
{
  const store = await magasin();
  const t = performance.now();
  const c = await convertirRpls(store, rpls, { bailleur: 'B1', dossier: canon, fichier: 'rpls.csv' });
  console.log(`conversion seule (pour préparer les fichiers canoniques) : ${((performance.now() - t) / 1000).toFixed(1)} s, ${c.erreurs.length} erreurs`);
  store.close();
}
console.log(`logements.csv canonique : ${mo(join(canon, 'logements.csv'))} Mo`);

// Wall time and processor time of this process (DuckDB's threads included): on a loaded machine the processor
// time is the steadier measure of the work done; both ratios are printed. With --tours K the two imports alternate K
// times (canonical, preset, canonical, preset…), each round giving its own ratio, so that a burst of load on the
// machine weighs on both sides of a ratio; the median of the rounds is printed last.
const imports = [
  [`import canonique (logements.csv + residences.csv${values['canonique-direct'] ? ', écriture directe' : ''})`, (s: Store) => importDataset(s, [join(canon, 'logements.csv'), join(canon, 'residences.csv')], { ecritureDirecte: values['canonique-direct'] })],
  ['import avec --preset rpls', (s: Store) => importerAvecPreset(s, [rpls], { preset: 'rpls', bailleur: 'B1' })],
] as const;
const rapports: { mur: number; cpu: number }[] = [];
for (let tour = 1; tour <= Number(values.tours); tour++) {
  const mesures: { mur: number; cpu: number }[] = [];
  for (const [nom, faire] of imports) {
    const store = await magasin();
    const t = performance.now();
    const c = process.cpuUsage();
    const r = await faire(store);
    const u = process.cpuUsage(c);
    const m = { mur: (performance.now() - t) / 1000, cpu: (u.user + u.system) / 1e6 };
    mesures.push(m);
    const [n] = await store.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM logements`);
    console.log(`tour ${tour}, ${nom} : ${m.mur.toFixed(1)} s (processeur ${m.cpu.toFixed(1)} s ; ${r.statut}, ${n?.n} logements)`);
    store.close();
  }
  const [a, b] = mesures as [{ mur: number; cpu: number }, { mur: number; cpu: number }];
  rapports.push({ mur: b.mur / a.mur, cpu: b.cpu / a.cpu });
  console.log(`tour ${tour}, rapport preset / canonique : ${(b.mur / a.mur).toFixed(2)} en temps écoulé, ${(b.cpu / a.cpu).toFixed(2)} en temps processeur (objectif ≤ 1,5) ; charge : ${loadavg()[0]?.toFixed(1)}`);
}
const mediane = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)] as number;
if (rapports.length > 1) {
  console.log(`médiane des ${rapports.length} tours : ${mediane(rapports.map((r) => r.mur)).toFixed(2)} en temps écoulé, ${mediane(rapports.map((r) => r.cpu)).toFixed(2)} en temps processeur`);
}
rmSync(dir, { recursive: true, force: true });
