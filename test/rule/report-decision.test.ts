import { describe, expect, it } from 'vitest';
import { ANNOTATION, type Judgement, truncateAnnotation } from '../../rule/evaluate.js';
import { needsReport, REFRESH_PERIOD_HOURS, type StoredVerdict } from '../../rule/report-decision.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const HOUR = 3_600_000;
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

const delivering = (age: string): Judgement => ({
  complianceType: 'COMPLIANT',
  annotation: ANNOTATION.delivering('/g', age, '24 hours'),
});
const grace: Judgement = { complianceType: 'COMPLIANT', annotation: ANNOTATION.grace('/g', '5 minutes') };
const stale: Judgement = {
  complianceType: 'NON_COMPLIANT',
  annotation: ANNOTATION.stale('/g', '3 days', '24 hours') + ANNOTATION.deliveryError('AccessDenied'),
};
const notConfigured: Judgement = { complianceType: 'NON_COMPLIANT', annotation: ANNOTATION.notConfigured };
const LONG = `/aws/${'x'.repeat(400)}`;
const exempt = (date: string, reason = 'Data events cost.'): Judgement => ({
  complianceType: 'NOT_APPLICABLE',
  annotation: ANNOTATION.exempt(date, reason, 'SEC-1234'),
});

const stored = (judgement: Judgement, recordedHoursAgo: number): StoredVerdict => ({
  complianceType: judgement.complianceType,
  annotation: truncateAnnotation(judgement.annotation),
  recordedAt: hoursAgo(recordedHoursAgo),
});

describe('needsReport', () => {
  it('waits 23 hours (a day minus the hourly sweep) before re-stamping an unchanged verdict', () => {
    expect(REFRESH_PERIOD_HOURS).toBe(23);
  });

  it.each<[string, Judgement, StoredVerdict | undefined, boolean]>([
    [
      'skips the same verdict and reason recorded an hour ago',
      notConfigured,
      stored(notConfigured, 1),
      false,
    ],
    [
      'skips the same reason whose text differs only in its values (the delivery age)',
      delivering('2 hours'),
      stored(delivering('1 hour'), 1),
      false,
    ],
    [
      'skips the same NON_COMPLIANT reason with a delivery error appended',
      stale,
      stored({ ...stale, annotation: ANNOTATION.stale('/g', '2 days', '24 hours') }, 5),
      false,
    ],
    [
      'skips the same reason stored cut to 256 characters',
      { complianceType: 'COMPLIANT', annotation: ANNOTATION.integrated(LONG) },
      stored({ complianceType: 'COMPLIANT', annotation: ANNOTATION.integrated(LONG) }, 1),
      false,
    ],
    [
      'skips the same exemption recorded an hour ago',
      exempt('2026-12-15'),
      stored(exempt('2026-12-15'), 1),
      false,
    ],
    [
      'reports an exemption renewed to another date at once, so Config never shows a date no longer true',
      exempt('2027-01-15'),
      stored(exempt('2026-12-15'), 1),
      true,
    ],
    [
      'reports an exemption whose reason changed at once',
      exempt('2026-12-15', 'Trail to be deleted.'),
      stored(exempt('2026-12-15'), 1),
      true,
    ],
    [
      'reports a trail whose exemption expired (NOT_APPLICABLE to NON_COMPLIANT)',
      {
        complianceType: 'NON_COMPLIANT',
        annotation: ANNOTATION.exemptionExpired('2026-12-15', 'SEC-1234', ANNOTATION.notConfigured),
      },
      stored(exempt('2026-12-15'), 1),
      true,
    ],
    [
      'reports the plain reason once the expired exemption is removed from the file',
      notConfigured,
      stored(
        {
          complianceType: 'NON_COMPLIANT',
          annotation: ANNOTATION.exemptionExpired('2026-12-15', 'SEC-1234', ANNOTATION.notConfigured),
        },
        1,
      ),
      true,
    ],
    [
      'skips a record just inside the refresh period',
      notConfigured,
      { ...stored(notConfigured, 0), recordedAt: new Date(NOW.getTime() - 23 * HOUR + 1) },
      false,
    ],
    ['reports a record exactly at the refresh period', notConfigured, stored(notConfigured, 23), true],
    [
      'reports a record just past the refresh period',
      notConfigured,
      { ...stored(notConfigured, 0), recordedAt: new Date(NOW.getTime() - 23 * HOUR - 1) },
      true,
    ],
    ['reports when nothing is stored', notConfigured, undefined, true],
    [
      'reports a different compliance type with the same reason',
      notConfigured,
      { ...stored(notConfigured, 1), complianceType: 'COMPLIANT' },
      true,
    ],
    [
      'reports a different compliance type (delivering -> stale)',
      stale,
      stored(delivering('2 hours'), 1),
      true,
    ],
    [
      'reports the same compliance type with another reason (grace -> delivering)',
      delivering('5 minutes'),
      stored(grace, 1),
      true,
    ],
    [
      'reports the same compliance type with another reason (never -> stale)',
      stale,
      stored({ complianceType: 'NON_COMPLIANT', annotation: ANNOTATION.never('/g', '24 hours') }, 1),
      true,
    ],
    [
      'reports a grace verdict even when the same grace verdict was just recorded',
      grace,
      stored(grace, 0),
      true,
    ],
    [
      'reports when the stored annotation is not from the rule table',
      notConfigured,
      { ...stored(notConfigured, 1), annotation: 'Written by an earlier version.' },
      true,
    ],
    [
      'reports a verdict whose own annotation is not from the rule table',
      { complianceType: 'NON_COMPLIANT', annotation: 'Something else.' },
      { complianceType: 'NON_COMPLIANT', annotation: 'Something else.', recordedAt: hoursAgo(1) },
      true,
    ],
    [
      'reports when the stored result has no compliance type',
      notConfigured,
      { annotation: ANNOTATION.notConfigured, recordedAt: hoursAgo(1) },
      true,
    ],
    [
      'reports when the stored result has no annotation',
      notConfigured,
      { complianceType: 'NON_COMPLIANT', recordedAt: hoursAgo(1) },
      true,
    ],
    [
      'reports when the stored result has no recorded time',
      notConfigured,
      { complianceType: 'NON_COMPLIANT', annotation: ANNOTATION.notConfigured },
      true,
    ],
  ])('%s', (_case, verdict, storedVerdict, expected) => {
    expect(needsReport(verdict, storedVerdict, NOW)).toBe(expected);
  });
});
