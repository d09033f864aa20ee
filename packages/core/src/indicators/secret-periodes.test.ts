import { describe, expect, it } from 'vitest';
import { relationsDesPeriodes } from './secret-periodes.ts';

describe('relations between the periods a document shows (secrecy)', () => {
  it('writes year, semesters, quarters and both twelve-month windows, across two years', () => {
    const ids = ['2023-S2', '2023-T3', '2023-T4', '2024', '2024-S1', '2024-S2', '2024-T1', '2024-T2', '2024-T3', '2024-T4', '12m-2024-06-30', '12m-2024-12-31'];
    const rel = relationsDesPeriodes(ids).map((r) => `${r.total}=${r.parts.join('+')}`).sort();
    expect(rel).toEqual(
      [
        '2024=2024-S1+2024-S2',
        '2024=2024-T1+2024-T2+2024-T3+2024-T4',
        '2024-S1=2024-T1+2024-T2',
        '2024-S2=2024-T3+2024-T4',
        '2023-S2=2023-T3+2023-T4',
        '12m-2024-12-31=2024',
        '12m-2024-06-30=2023-S2+2024-S1',
        '12m-2024-06-30=2023-T3+2023-T4+2024-T1+2024-T2',
      ].sort(),
    );
  });

  it('writes no relation over a period the document does not show', () => {
    // Without 2023-S2 (the bilan of 2024 alone), the window to 30 June ties nothing: read as zero it would be false.
    expect(relationsDesPeriodes(['2024', '2024-S1', '2024-S2', '12m-2024-06-30']).map((r) => r.total)).toEqual(['2024']);
  });
});
