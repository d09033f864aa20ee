import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDataset } from '../import/import-dataset.ts';
import { Store } from '../store/store.ts';
import type { FluxResultat } from './flux-engine.ts';
import { calculerFlux } from './flux-engine.ts';

/**
 * The balance columns of the conventions (part_qpv_min…) on the hand-built flux territory (flux.test.ts), its
 * conventions of 2024 given balance minima here. B1's leases of 2024 in the flow (by hand, flux.test.ts):
 * ETAT: A07 on L1 (QPV, T2) and A08 on L4 (hors QPV, T4) → 2 orientations, 1 in QPV, 1 in T4 and more;
 * AL: A10 on L2 (hors QPV, T3) → 1 orientation; COM: none (A12 is an ANRU relocation, kept out of the flow).
 */
const FIXTURE = fileURLToPath(new URL('../../test/fixtures/flux/territoire', import.meta.url));
const dossier = mkdtempSync(join(tmpdir(), 'mixite-equilibre-'));

let store: Store;
let flux: FluxResultat;
beforeAll(async () => {
  cpSync(FIXTURE, dossier, { recursive: true });
  writeFileSync(
    join(dossier, 'conventions.csv'),
    [
      'bailleur_id;reservataire_id;annee;part;departement;part_qpv_min;part_hors_qpv_min;part_t1_t2_min;part_t4_plus_min',
      'B1;ETAT;2023;0.25;91;;;;',
      'B1;AL;2023;0.30;91;;;;',
      'B1;COM;2023;0.10;91;;;;',
      'B1;ETAT;2024;0.25;91;0.6;;;0.5',
      'B1;AL;2024;0.30;91;;1;0.2;',
      'B1;COM;2024;0.10;91;0.5;;;',
      'B2;AL;2024;0.5;91;;;;',
    ].join('\n'),
  );
  store = await Store.open(':memory:');
  await importDataset(store, [dossier]);
  flux = await calculerFlux(store, { annee: 2024 });
});
afterAll(() => {
  store?.close();
  rmSync(dossier, { recursive: true, force: true });
});

describe('balance columns of the conventions', () => {
  it('compares each réservataire’s realised share with the minimum its convention sets', () => {
    const b1 = flux.bailleurs.find((b) => b.bailleurId === 'B1');
    expect(b1?.equilibre.map((l) => [l.reservataireId, l.colonne, l.minimum, l.dansLesModalites, l.logements, l.part, l.sousLeMinimum])).toEqual([
      // AL: 1 of 1 hors QPV = 100 % ≥ 100 %; 0 of 1 in T1–T2 = 0 % < 20 %: alert.
      ['AL', 'part_hors_qpv_min', 1, 1, 1, 1, false],
      ['AL', 'part_t1_t2_min', 0.2, 0, 1, 0, true],
      // COM: no orientation in 2024: share unknown, no alert.
      ['COM', 'part_qpv_min', 0.5, 0, 0, null, false],
      // ETAT: 1 of 2 in QPV = 50 % < 60 %: alert; 1 of 2 in T4+ = 50 %, exactly the minimum: met.
      ['ETAT', 'part_qpv_min', 0.6, 1, 2, 0.5, true],
      ['ETAT', 'part_t4_plus_min', 0.5, 1, 2, 0.5, false],
    ]);
    // B2's convention sets no minimum.
    expect(flux.bailleurs.find((b) => b.bailleurId === 'B2')?.equilibre).toEqual([]);
  });
});
