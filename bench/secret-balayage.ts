/**
 * A long sweep of the secrecy property (issue 12): the generated territories of secret-fuites.test.ts (two years,
 * quarters, twelve-month windows, three indicators, cross-dimension knowledge) drawn from many seeds, each
 * published by the one pass and checked by the independent auditor (packages/reports/test/secret-independant.ts).
 * The test runs a fixed list of seeds; this runs as many as asked, to look for leaks the list does not reach.
 *
 *   nice npx tsx bench/secret-balayage.ts [--graines 200] [--premiere 1] [--territoires 10] [--seuils 5,11]
 *
 * Prints each seed whose territories leak (replay it with fc.assert(…, { seed })) and the time spent in the pass
 * and in the auditor. A sweep, not a test: nothing fails; the exit code is 1 when a leak was found.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { auditer, publier, territoire } from '../packages/reports/test/secret-territoires.ts';
import { describeMachine, seconds } from './machine.ts';

const { values } = parseArgs({
  options: {
    graines: { type: 'string', default: '200' },
    premiere: { type: 'string', default: '1' },
    territoires: { type: 'string', default: '10' },
    seuils: { type: 'string', default: '5,11' },
  },
});
const graines = Number(values.graines);
const premiere = Number(values.premiere);
const parGraine = Number(values.territoires);
const seuils = values.seuils.split(',').map(Number);

let fuitesTrouvees = 0;
let territoires = 0;
let msPasse = 0;
let msAudit = 0;
for (const seuil of seuils) {
  for (let g = premiere; g < premiere + graines; g++) {
    for (const t of fc.sample(territoire, { seed: g, numRuns: parGraine })) {
      const debut = performance.now();
      const published = publier(t, seuil);
      const passe = performance.now();
      const fuites = auditer(t, published, seuil);
      msPasse += passe - debut;
      msAudit += performance.now() - passe;
      territoires++;
      if (fuites.length > 0) {
        fuitesTrouvees++;
        console.log(`seuil ${seuil}, graine ${g} : ${fuites.length} case(s) recalculable(s) : ${fuites.slice(0, 4).join(', ')}`);
      }
    }
  }
}
console.log(`Machine : ${describeMachine()}.`);
console.log(
  `${territoires} territoires (${graines} graines × ${parGraine} × seuils ${seuils.join(', ')}) : ${fuitesTrouvees} avec une fuite ; ` +
    `passe du secret ${seconds(msPasse)}, auditeur indépendant ${seconds(msAudit)}.`,
);
process.exitCode = fuitesTrouvees > 0 ? 1 : 0;
