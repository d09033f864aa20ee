import { startServer } from '@mixite/server';
const s = await startServer({ port: 0, basePath: '/tmp/dbg/base.duckdb', securite: { mode: 'demonstration' }, webDist: null, log: console.log });
const orig = console.error;
const r = await fetch(`${s.url}api/objectifs/hors_qpv_q1/attributions?periode=2024&perimetre_type=bailleur&perimetre_id=B1`);
console.log(r.status, (await r.text()).slice(0, 300));
await s.close();
