/**
 * The additive relations between the periods a document publishes together, for the statistical secrecy
 * (secret.ts): a reader who sees two of « year, S1, S2 » computes the third. Written over period ids, not over
 * `PeriodKind`, so that new kinds (the quarters `AAAA-T1` … `AAAA-T4`) enter by adding their relations here:
 *
 * - year = S1 + S2 = T1 + T2 + T3 + T4; S1 = T1 + T2; S2 = T3 + T4;
 * - the twelve months to 31 December N = year N;
 * - the twelve months to 30 June N = S2 of N−1 + S1 of N (= T3 + T4 of N−1 + T1 + T2 of N): this one ties two
 *   years, which is why a document that shows the previous year (the bilan) must be masked as one.
 *
 * A relation is written only when all its periods are in the document: a period the document does not show is
 * not known to its reader (and a relation over it would be false if read as zero).
 */

export interface RelationDePeriodes {
  readonly total: string;
  readonly parts: readonly string[];
}

const ANNEE = /^(\d{4})$/;
const SEMESTRE = /^(\d{4})-S([12])$/;
const GLISSANT_JUIN = /^12m-(\d{4})-06-30$/;

const an = (y: number) => String(y).padStart(4, '0');
const trimestres = (y: number, ...t: number[]) => t.map((k) => `${an(y)}-T${k}`);

/** The relations « total = Σ parts » among `ids` (see the header). */
export function relationsDesPeriodes(ids: Iterable<string>): RelationDePeriodes[] {
  const presentes = new Set(ids);
  const out: RelationDePeriodes[] = [];
  const relation = (total: string, parts: readonly string[]) => {
    if (presentes.has(total) && parts.every((p) => presentes.has(p))) out.push({ total, parts });
  };
  for (const id of presentes) {
    let m = ANNEE.exec(id);
    if (m) {
      const y = Number(m[1]);
      relation(id, [`${id}-S1`, `${id}-S2`]);
      relation(id, trimestres(y, 1, 2, 3, 4));
      relation(`12m-${id}-12-31`, [id]);
      continue;
    }
    m = SEMESTRE.exec(id);
    if (m) {
      const y = Number(m[1]);
      relation(id, m[2] === '1' ? trimestres(y, 1, 2) : trimestres(y, 3, 4));
      continue;
    }
    m = GLISSANT_JUIN.exec(id);
    if (m) {
      const y = Number(m[1]);
      relation(id, [`${an(y - 1)}-S2`, `${an(y)}-S1`]);
      relation(id, [...trimestres(y - 1, 3, 4), ...trimestres(y, 1, 2)]);
    }
  }
  return out;
}
