import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ANNOTATION,
  ACCOUNT_REFRESH_PERIOD_HOURS,
  accountJudgement,
  accountNeedsReport,
  NAMED_TRAILS,
  type OwnedVerdict,
  type SweepTally,
} from '../../rule/account-result.js';
import { type Judgement, MAX_ANNOTATION_LENGTH } from '../../rule/evaluate.js';
import type { StoredVerdict } from '../../rule/report-decision.js';

const compliant = (name: string): OwnedVerdict => ({ name, complianceType: 'COMPLIANT' });
const nonCompliant = (name: string): OwnedVerdict => ({ name, complianceType: 'NON_COMPLIANT' });
const gone = (name: string): OwnedVerdict => ({ name, complianceType: 'NOT_APPLICABLE' });
/** A trail name of CloudTrail's maximum length, 128 characters. */
const longName = (letter: string) => letter.repeat(128);

const NO_OWNED_TRAIL =
  'No trail this account owns has its home region here; trails logging here from elsewhere, such as an ' +
  'organization trail, are judged by their owner in their home region.';
const notJudged = (trails: string) =>
  `Not judged: ${trails} listed here could not be judged, so this account and region is not COMPLIANT; the ` +
  "rule's failed evaluation names each and why.";

describe('accountJudgement', () => {
  it.each<[string, SweepTally, Judgement]>([
    [
      'COMPLIANT, saying no trail is owned here, when every trail listed is a copy or none is listed',
      { owned: [], notJudged: 0 },
      { complianceType: 'COMPLIANT', annotation: NO_OWNED_TRAIL },
    ],
    [
      'COMPLIANT with the count when the one owned trail is COMPLIANT',
      { owned: [compliant('main')], notJudged: 0 },
      {
        complianceType: 'COMPLIANT',
        annotation:
          'Every trail this account owns with its home region here was judged (1 trail); none is NON_COMPLIANT.',
      },
    ],
    [
      'COMPLIANT when the owned trails are COMPLIANT or NOT_APPLICABLE (vanished while judged)',
      { owned: [compliant('main'), gone('vanished'), compliant('data')], notJudged: 0 },
      {
        complianceType: 'COMPLIANT',
        annotation:
          'Every trail this account owns with its home region here was judged (3 trails); none is NON_COMPLIANT.',
      },
    ],
    [
      'NON_COMPLIANT naming the one NON_COMPLIANT trail',
      { owned: [compliant('main'), nonCompliant('bare')], notJudged: 0 },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: 'NON_COMPLIANT trails of this account with their home region here: 1 of 2 (bare).',
      },
    ],
    [
      `NON_COMPLIANT naming the first ${NAMED_TRAILS} and counting the rest`,
      {
        owned: [
          nonCompliant('a'),
          compliant('ok'),
          nonCompliant('b'),
          nonCompliant('c'),
          nonCompliant('d'),
          nonCompliant('e'),
        ],
        notJudged: 0,
      },
      {
        complianceType: 'NON_COMPLIANT',
        annotation:
          'NON_COMPLIANT trails of this account with their home region here: 5 of 6 (a, b, c and 2 more).',
      },
    ],
    [
      'NON_COMPLIANT when a trail could not be judged, even though every judged one is COMPLIANT (fail closed)',
      { owned: [compliant('main')], notJudged: 1 },
      { complianceType: 'NON_COMPLIANT', annotation: notJudged('1 trail') },
    ],
    [
      'NON_COMPLIANT when trails could not be judged and none owned was judged',
      { owned: [], notJudged: 2 },
      { complianceType: 'NON_COMPLIANT', annotation: notJudged('2 trails') },
    ],
    [
      'NON_COMPLIANT saying both what could not be judged and what is NON_COMPLIANT',
      { owned: [nonCompliant('bare'), compliant('main')], notJudged: 1 },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `${notJudged('1 trail')} NON_COMPLIANT trails of this account with their home region here: 1 of 2 (bare).`,
      },
    ],
    [
      'fewer names when long names would pass 256 characters',
      { owned: [nonCompliant(longName('a')), nonCompliant(longName('b')), compliant('ok')], notJudged: 0 },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `NON_COMPLIANT trails of this account with their home region here: 2 of 3 (${longName('a')} and 1 more).`,
      },
    ],
    [
      'no name at all when not even one fits beside the trails not judged',
      { owned: [nonCompliant(longName('a'))], notJudged: 3 },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `${notJudged('3 trails')} NON_COMPLIANT trails of this account with their home region here: 1 of 1.`,
      },
    ],
  ])('%s', (_, tally, expected) => {
    const verdict = accountJudgement(tally);
    expect(verdict).toEqual(expected);
    expect(verdict.annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
  });

  it('keeps every annotation within 256 characters, whatever the counts and names', () => {
    const names = ['a', 'b', 'c', 'd'].map(longName);
    for (const notJudgedCount of [0, 1, 12, 9_999]) {
      for (let count = 1; count <= names.length; count++) {
        const owned = names.slice(0, count).map(nonCompliant);
        const { annotation } = accountJudgement({ owned, notJudged: notJudgedCount });
        expect(annotation.length).toBeLessThanOrEqual(MAX_ANNOTATION_LENGTH);
        expect(annotation.endsWith('.')).toBe(true);
      }
    }
  });

  it('builds its texts from the one table the docs show', () => {
    expect(ACCOUNT_ANNOTATION.noOwnedTrail).toBe(NO_OWNED_TRAIL);
    expect(ACCOUNT_ANNOTATION.notJudged('1 trail')).toBe(notJudged('1 trail'));
  });
});

describe('accountNeedsReport', () => {
  const NOW = new Date('2026-11-29T12:00:00.000Z');
  const HOUR = 3_600_000;
  const verdict = accountJudgement({ owned: [compliant('main')], notJudged: 0 });
  const stored = (recordedHoursAgo: number, change: Partial<StoredVerdict> = {}): StoredVerdict => ({
    complianceType: verdict.complianceType,
    annotation: verdict.annotation,
    recordedAt: new Date(NOW.getTime() - recordedHoursAgo * HOUR),
    ...change,
  });

  it('waits 30 days less the hourly sweep period before re-stamping an unchanged result', () => {
    expect(ACCOUNT_REFRESH_PERIOD_HOURS).toBe(719);
  });

  it.each<[string, StoredVerdict | undefined, boolean]>([
    ['skips the same result recorded an hour ago', stored(1), false],
    ['skips the same result recorded just inside the refresh period', stored(719 - 1 / 3_600_000), false],
    ['reports with no stored result', undefined, true],
    ['reports a stored result 719 hours old', stored(719), true],
    ['reports another compliance type', stored(1, { complianceType: 'NON_COMPLIANT' }), true],
    [
      'reports another count (a trail created since)',
      stored(1, { annotation: ACCOUNT_ANNOTATION.judged('2 trails') }),
      true,
    ],
    ['reports a stored result without annotation', stored(1, { annotation: undefined }), true],
    ['reports a stored result without compliance type', stored(1, { complianceType: undefined }), true],
    ['reports a stored result without a recorded time', stored(1, { recordedAt: undefined }), true],
  ])('%s', (_, storedResult, expected) => {
    expect(accountNeedsReport(verdict, storedResult, NOW)).toBe(expected);
  });
});
