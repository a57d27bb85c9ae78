import { describe, expect, it } from 'vitest';
import { type ExemptionMatch, parseExemptions, TEXT_LIMITS } from '../../common/exemptions.js';
import type { DeliveryCheck } from '../../rule/delivery.js';
import { InvalidEventError } from '../../rule/errors.js';
import {
  accountOfArn,
  type EvaluationContext,
  evaluateTrail,
  isIntegrated,
  isOwnedHere,
  type Judgement,
  logGroupNameOfArn,
  type Trail,
  trailFromConfigurationItem,
  truncateAnnotation,
} from '../../rule/evaluate.js';
import { type ConfigurationItem, parseConfigRuleEvent } from '../../rule/event.js';
import { trailChangeEvent } from './fixtures.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const CONTEXT: EvaluationContext = { accountId: '123456789012', region: 'us-east-1', now: NOW };
const LOG_GROUP = 'aws-cloudtrail-logs-123456789012-7f92262f';
const ROLE = 'arn:aws:iam::123456789012:role/service-role/AWSCloudTrailLogStream';

function itemOf(raw: unknown): ConfigurationItem {
  const { invokingEvent } = parseConfigRuleEvent(raw);
  if (invokingEvent.messageType !== 'ConfigurationItemChangeNotification')
    throw new Error('not a change event');
  return invokingEvent.configurationItem;
}

const fixtureTrail = (): Trail => trailFromConfigurationItem(itemOf(trailChangeEvent()));

describe('trailFromConfigurationItem', () => {
  it('reads the trail from a real configuration item', () => {
    expect(fixtureTrail()).toEqual({
      resourceId: 'management-events',
      name: 'management-events',
      arn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events',
      homeRegion: 'us-east-1',
      isMultiRegionTrail: true,
      isOrganizationTrail: false,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${LOG_GROUP}:*`,
      cloudWatchLogsRoleArn: ROLE,
    });
  });

  it('treats null and empty integration keys as absent', () => {
    const trail = trailFromConfigurationItem(
      itemOf(
        trailChangeEvent((c) => {
          c.cloudWatchLogsLogGroupArn = null;
          c.cloudWatchLogsRoleArn = '';
        }),
      ),
    );
    expect(trail).not.toHaveProperty('cloudWatchLogsLogGroupArn');
    expect(trail).not.toHaveProperty('cloudWatchLogsRoleArn');
  });

  it.each<
    [string, (c: Record<string, unknown>) => void, Pick<Trail, 'isMultiRegionTrail' | 'isOrganizationTrail'>]
  >([
    [
      'a single-region trail',
      (c) => (c.isMultiRegionTrail = false),
      { isMultiRegionTrail: false, isOrganizationTrail: false },
    ],
    [
      'an organization trail',
      (c) => (c.isOrganizationTrail = true),
      { isMultiRegionTrail: true, isOrganizationTrail: true },
    ],
    [
      'neither flag',
      (c) => {
        delete c.isMultiRegionTrail;
        delete c.isOrganizationTrail;
      },
      { isMultiRegionTrail: false, isOrganizationTrail: false },
    ],
    [
      'flags as strings, which Config never writes',
      (c) => {
        c.isMultiRegionTrail = 'true';
        c.isOrganizationTrail = 'true';
      },
      { isMultiRegionTrail: false, isOrganizationTrail: false },
    ],
  ])('reads the multi-region and organization flags of %s', (_case, change, flags) => {
    expect(trailFromConfigurationItem(itemOf(trailChangeEvent(change)))).toMatchObject(flags);
  });

  it('throws InvalidEventError for an item without configuration', () => {
    const item = { ...itemOf(trailChangeEvent()), configuration: null };
    expect(() => trailFromConfigurationItem(item)).toThrow(InvalidEventError);
    expect(() => trailFromConfigurationItem(item)).toThrow(
      'Invalid Config rule event: configuration item of trail management-events has no configuration.',
    );
  });

  it.each<[string, (c: Record<string, unknown>) => void, string]>([
    [
      'no trailARN',
      (c) => delete c.trailARN,
      'Invalid Config rule event: configuration.trailARN of trail management-events is missing.',
    ],
    [
      'no homeRegion',
      (c) => delete c.homeRegion,
      'Invalid Config rule event: configuration.homeRegion of trail management-events is missing.',
    ],
    [
      'a trailARN without account',
      (c) => (c.trailARN = 'management-events'),
      'Invalid Config rule event: configuration.trailARN of trail management-events is not a trail ARN: "management-events".',
    ],
    [
      'a trailARN with an empty account field',
      (c) => (c.trailARN = 'arn:aws:cloudtrail:us-east-1::trail/management-events'),
      'Invalid Config rule event: configuration.trailARN of trail management-events is not a trail ARN: "arn:aws:cloudtrail:us-east-1::trail/management-events".',
    ],
    [
      'a numeric log group',
      (c) => (c.cloudWatchLogsLogGroupArn = 42),
      'Invalid Config rule event: configuration.cloudWatchLogsLogGroupArn of trail management-events must be a string, got number.',
    ],
  ])('throws InvalidEventError for %s', (_case, change, message) => {
    const read = () => trailFromConfigurationItem(itemOf(trailChangeEvent(change)));
    expect(read).toThrow(InvalidEventError);
    expect(read).toThrow(message);
  });
});

describe('evaluateTrail with a delivery check', () => {
  const error = 'Access denied. Verify in IAM that the role has adequate permissions.';
  it.each<[string, DeliveryCheck, Judgement]>([
    [
      'COMPLIANT when delivered within the window',
      { windowHours: 24, status: { latestDeliveryTime: ago(90) } },
      {
        complianceType: 'COMPLIANT',
        annotation: `Integrated and delivering: last delivery to log group ${LOG_GROUP} was 90 minutes ago (window 24 hours).`,
      },
    ],
    [
      'COMPLIANT in the grace period after a change, even with a delivery error',
      {
        windowHours: 1,
        status: { latestDeliveryError: error },
        change: { at: ago(12), integrationChanged: true },
      },
      {
        complianceType: 'COMPLIANT',
        annotation: `Integrated with log group ${LOG_GROUP}, changed 12 minutes ago: no delivery yet, within the 60-minute grace for a first delivery. Delivery error: ${error}`,
      },
    ],
    [
      'NON_COMPLIANT when the last delivery is older than the window, with the delivery error',
      { windowHours: 24, status: { latestDeliveryTime: ago(3 * 24 * 60), latestDeliveryError: error } },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 24 hours window. Delivery error: ${error}`,
      },
    ],
    [
      'NON_COMPLIANT when the last delivery is older than a 1-hour window, without error',
      { windowHours: 1, status: { latestDeliveryTime: ago(150) } },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Not delivering: last delivery to log group ${LOG_GROUP} was 2 hours ago, beyond the 1 hour window.`,
      },
    ],
    [
      'NON_COMPLIANT when CloudTrail never delivered and the change is old',
      { windowHours: 12, status: {}, change: { at: ago(6 * 60), integrationChanged: true } },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 12 hours).`,
      },
    ],
    [
      'NON_COMPLIANT when the last delivery (97 minutes ago) predates the integration change (90 minutes ago)',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(97) },
        change: { at: ago(90), integrationChanged: true },
      },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Not delivering since the integration changed 90 minutes ago: last delivery to log group ${LOG_GROUP} was 97 minutes ago, before the change.`,
      },
    ],
    [
      'NON_COMPLIANT with the delivery error when the last delivery predates the integration change',
      {
        windowHours: 24,
        status: { latestDeliveryTime: ago(97), latestDeliveryError: error },
        change: { at: ago(90), integrationChanged: true },
      },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Not delivering since the integration changed 90 minutes ago: last delivery to log group ${LOG_GROUP} was 97 minutes ago, before the change. Delivery error: ${error}`,
      },
    ],
  ])('returns %s', (_case, delivery, expected) => {
    expect(evaluateTrail(fixtureTrail(), { ...CONTEXT, delivery })).toEqual(expected);
  });

  it('does not judge delivery of a trail that is not integrated', () => {
    const { cloudWatchLogsRoleArn: _role, ...trail } = fixtureTrail();
    const delivery: DeliveryCheck = { windowHours: 1, status: { latestDeliveryTime: ago(1) } };
    expect(evaluateTrail(trail, { ...CONTEXT, delivery }).complianceType).toBe('NON_COMPLIANT');
  });

  it('keeps an overlong annotation whole (PutEvaluations cuts it when it is sent; the CLI shows it all)', () => {
    const delivery: DeliveryCheck = { windowHours: 1, status: { latestDeliveryError: 'x'.repeat(300) } };
    const { annotation } = evaluateTrail(fixtureTrail(), { ...CONTEXT, delivery });
    const prefix = `Not delivering: CloudTrail has never delivered to log group ${LOG_GROUP} (window 1 hour). Delivery error: `;
    expect(annotation).toBe(`${prefix}${'x'.repeat(300)}`);
  });
});

describe('evaluateTrail with an exemption', () => {
  const exemptionOf = (overrides: Record<string, string> = {}) => {
    const [exemption] = parseExemptions(
      JSON.stringify({
        version: 1,
        exemptions: [
          {
            trailArn: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/management-events',
            reason: 'Data events trail; ingest cost not approved.',
            reference: 'SEC-1234',
            approver: 'ciso@example.com',
            expires: '2026-12-15',
            ...overrides,
          },
        ],
      }),
      { now: NOW, purpose: 'evaluate', organizationalUnits: false, source: 'test' },
    ).exemptions;
    if (exemption === undefined) throw new Error('no exemption');
    return exemption;
  };
  const active: ExemptionMatch = { kind: 'active', exemption: exemptionOf() };
  const expired: ExemptionMatch = { kind: 'expired', exemption: exemptionOf({ expires: '2026-11-20' }) };
  const { cloudWatchLogsLogGroupArn: _group, cloudWatchLogsRoleArn: _role, ...bare } = fixtureTrail();
  const stale: DeliveryCheck = { windowHours: 24, status: { latestDeliveryTime: ago(3 * 24 * 60) } };

  it.each<[string, Trail, EvaluationContext, Judgement]>([
    [
      'NOT_APPLICABLE for a trail under an active exemption, with its date, reason and ticket',
      bare,
      { ...CONTEXT, exemption: active },
      {
        complianceType: 'NOT_APPLICABLE',
        annotation: 'Exempt until 2026-12-15: Data events trail; ingest cost not approved. (SEC-1234)',
      },
    ],
    [
      'NOT_APPLICABLE for an exempt trail that is integrated anyway: excused, whatever its state',
      fixtureTrail(),
      { ...CONTEXT, exemption: active },
      {
        complianceType: 'NOT_APPLICABLE',
        annotation: 'Exempt until 2026-12-15: Data events trail; ingest cost not approved. (SEC-1234)',
      },
    ],
    [
      'NON_COMPLIANT saying the exemption expired, for a trail still not configured',
      bare,
      { ...CONTEXT, exemption: expired },
      {
        complianceType: 'NON_COMPLIANT',
        annotation:
          'Exemption expired on 2026-11-20 (SEC-1234). Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
      },
    ],
    [
      'NON_COMPLIANT saying the exemption expired, for a trail that stopped delivering',
      fixtureTrail(),
      { ...CONTEXT, exemption: expired, delivery: stale },
      {
        complianceType: 'NON_COMPLIANT',
        annotation: `Exemption expired on 2026-11-20 (SEC-1234). Not delivering: last delivery to log group ${LOG_GROUP} was 3 days ago, beyond the 24 hours window.`,
      },
    ],
    [
      'COMPLIANT without a word of the expired exemption, for a trail fixed meanwhile',
      fixtureTrail(),
      { ...CONTEXT, exemption: expired },
      {
        complianceType: 'COMPLIANT',
        annotation: `Integrated: the trail sends events to CloudWatch Logs log group ${LOG_GROUP}.`,
      },
    ],
    [
      "the copy's NOT_APPLICABLE for a copy seen in another region: its owner's region judges it",
      { ...bare, homeRegion: 'eu-west-1' },
      { ...CONTEXT, exemption: active },
      {
        complianceType: 'NOT_APPLICABLE',
        annotation:
          'Copy of multi-region trail management-events; it is evaluated in its home region eu-west-1.',
      },
    ],
  ])('returns %s', (_case, trail, context, expected) => {
    expect(evaluateTrail(trail, context)).toEqual(expected);
  });

  it('fits the longest exemption the parser accepts in the 256 characters of an annotation, uncut', () => {
    const longest = exemptionOf({
      reason: 'r'.repeat(TEXT_LIMITS.reason),
      reference: 'x'.repeat(TEXT_LIMITS.reference),
    });
    const { annotation } = evaluateTrail(bare, {
      ...CONTEXT,
      exemption: { kind: 'active', exemption: longest },
    });
    expect(annotation.length).toBeLessThanOrEqual(256);
    expect(truncateAnnotation(annotation)).toBe(annotation);
  });
});

describe('helpers', () => {
  it.each<[string, string]>([
    [`arn:aws:logs:us-east-1:123456789012:log-group:${LOG_GROUP}:*`, LOG_GROUP],
    [
      'arn:aws:logs:us-east-1:123456789012:log-group:/cloudtrail-logs-guard/a:b',
      '/cloudtrail-logs-guard/a:b',
    ],
    ['not-an-arn', 'not-an-arn'],
  ])('logGroupNameOfArn(%s) is %s', (arn, name) => {
    expect(logGroupNameOfArn(arn)).toBe(name);
  });

  it.each<[string, Partial<Trail>, boolean]>([
    ['home region and account here', {}, true],
    ['another home region', { homeRegion: 'eu-west-1' }, false],
    ['another account', { arn: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/t' }, false],
    ['an ARN without account', { arn: 'trail' }, false],
  ])('isOwnedHere: %s -> %s', (_case, change, expected) => {
    expect(isOwnedHere({ ...fixtureTrail(), ...change }, CONTEXT)).toBe(expected);
  });

  it.each<[string, string | undefined]>([
    ['arn:aws:cloudtrail:us-east-1:123456789012:trail/t', '123456789012'],
    ['arn:aws:cloudtrail:us-east-1::trail/t', undefined],
    ['arn:aws:cloudtrail:us-east-1', undefined],
    ['trail', undefined],
  ])('accountOfArn(%s) is %s', (arn, account) => {
    expect(accountOfArn(arn)).toBe(account);
  });

  it('judges a trail whose ARN has an empty account field as a copy of an unknown owner', () => {
    const trail = { ...fixtureTrail(), arn: 'arn:aws:cloudtrail:us-east-1::trail/management-events' };
    expect(evaluateTrail(trail, CONTEXT)).toEqual({
      complianceType: 'NOT_APPLICABLE',
      annotation:
        'Copy of organization trail management-events owned by account unknown; it is evaluated in that account in us-east-1.',
    });
    expect(isOwnedHere(trail, { ...CONTEXT, accountId: '' })).toBe(false);
  });

  it('isIntegrated needs both halves', () => {
    const { cloudWatchLogsLogGroupArn: _lg, ...noGroup } = fixtureTrail();
    expect([isIntegrated(fixtureTrail()), isIntegrated(noGroup)]).toEqual([true, false]);
  });

  it('truncateAnnotation leaves 256 characters alone', () => {
    expect(truncateAnnotation('a'.repeat(256))).toBe('a'.repeat(256));
  });
});
