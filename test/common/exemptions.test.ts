import { describe, expect, it } from 'vitest';
import {
  daysLeft,
  type Exemption,
  type ExemptionList,
  exemptionState,
  InvalidExemptionsError,
  MAX_EXEMPTIONS,
  matchExemption,
  needsOrganizationalUnits,
  type ParseExemptionsOptions,
  parseExemptions,
} from '../../common/exemptions.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const TRAIL_ARN = 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/data-events';
const OU = 'ou-ab12-cd34ef56';

const ENTRY = {
  trailArn: TRAIL_ARN,
  reason: 'Data events: about $4,000 a month to ingest; the S3 copy is reviewed weekly.',
  reference: 'SEC-1234',
  approver: 'jane.doe@example.com',
  expires: '2026-04-15',
};

const DEPLOY: ParseExemptionsOptions = {
  now: NOW,
  purpose: 'deploy',
  organizationalUnits: false,
  source: 'exemptions.json',
};
const ORGANIZATION: ParseExemptionsOptions = { ...DEPLOY, organizationalUnits: true };
const EVALUATE: ParseExemptionsOptions = { ...ORGANIZATION, purpose: 'evaluate' };

function fileWith(...entries: unknown[]): string {
  return JSON.stringify({ version: 1, exemptions: entries });
}

function problemsOf(text: string, options: ParseExemptionsOptions): readonly string[] {
  try {
    parseExemptions(text, options);
  } catch (error) {
    if (error instanceof InvalidExemptionsError) return error.problems;
    throw error;
  }
  throw new Error('the exemptions were accepted');
}

describe('parseExemptions', () => {
  it.each([
    {
      case: 'a trail named by ARN',
      entry: ENTRY,
      options: DEPLOY,
      scope: { kind: 'trail', trailArn: TRAIL_ARN },
    },
    {
      case: 'every trail of an account',
      entry: { ...ENTRY, trailArn: undefined, account: '444455556666' },
      options: DEPLOY,
      scope: { kind: 'account', account: '444455556666' },
    },
    {
      case: 'trails of a name in an OU, in organization mode',
      entry: {
        ...ENTRY,
        trailArn: undefined,
        trailName: 'aws-controltower-BaselineCloudTrail',
        organizationalUnit: OU,
      },
      options: ORGANIZATION,
      scope: {
        kind: 'organizationalUnit',
        trailName: 'aws-controltower-BaselineCloudTrail',
        organizationalUnit: OU,
      },
    },
    {
      case: 'an entry expiring within 14 days',
      entry: { ...ENTRY, expires: '2026-03-10' },
      options: DEPLOY,
      scope: { kind: 'trail', trailArn: TRAIL_ARN },
    },
    {
      case: 'an expired entry read to evaluate (reported as expired, not refused)',
      entry: { ...ENTRY, expires: '2026-02-01' },
      options: EVALUATE,
      scope: { kind: 'trail', trailArn: TRAIL_ARN },
    },
    {
      case: 'an entry ending exactly at the maximum term',
      entry: { ...ENTRY, expires: '2026-05-30' },
      options: DEPLOY,
      scope: { kind: 'trail', trailArn: TRAIL_ARN },
    },
  ])('accepts $case', ({ entry, options, scope }) => {
    const list = parseExemptions(fileWith(JSON.parse(JSON.stringify(entry))), options);
    expect(list).toEqual({
      maxTermDays: 90,
      exemptions: [
        {
          index: 0,
          scope,
          reason: ENTRY.reason,
          reference: 'SEC-1234',
          approver: 'jane.doe@example.com',
          expires: entry.expires,
          expiresAt: new Date(`${entry.expires}T00:00:00.000Z`),
        },
      ],
    });
  });

  it('trims the text fields and keeps a maxTermDays the file sets', () => {
    const text = JSON.stringify({
      version: 1,
      maxTermDays: 30,
      exemptions: [
        { ...ENTRY, reason: '  cost  ', reference: ' SEC-9 ', approver: ' ops ', expires: '2026-03-31' },
      ],
    });
    expect(parseExemptions(text, DEPLOY).exemptions[0]).toMatchObject({
      reason: 'cost',
      reference: 'SEC-9',
      approver: 'ops',
    });
    expect(parseExemptions(text, DEPLOY).maxTermDays).toBe(30);
  });

  it.each([
    {
      case: 'an entry already expired, to deploy',
      text: fileWith({ ...ENTRY, expires: '2026-02-01' }),
      problems: [
        'exemptions[0] (SEC-1234): expired on 2026-02-01; remove it, or renew it with a new date and approval',
      ],
    },
    {
      case: 'an entry ending today (00:00 UTC is past), to deploy',
      text: fileWith({ ...ENTRY, expires: '2026-03-01' }),
      problems: [
        'exemptions[0] (SEC-1234): expired on 2026-03-01; remove it, or renew it with a new date and approval',
      ],
    },
    {
      case: 'an expiry past the default maximum term of 90 days',
      text: fileWith({ ...ENTRY, expires: '2026-05-31' }),
      problems: [
        'exemptions[0] (SEC-1234): expires 2026-05-31, beyond the maximum term of 90 days (maxTermDays) from 2026-03-01; the latest allowed date is 2026-05-30',
      ],
    },
    {
      case: 'an expiry past a maximum term the file sets',
      text: JSON.stringify({ version: 1, maxTermDays: 7, exemptions: [ENTRY] }),
      problems: [
        'exemptions[0] (SEC-1234): expires 2026-04-15, beyond the maximum term of 7 days (maxTermDays) from 2026-03-01; the latest allowed date is 2026-03-08',
      ],
    },
    {
      case: 'a maximum term over a year',
      text: JSON.stringify({ version: 1, maxTermDays: 366, exemptions: [] }),
      problems: ['maxTermDays must be a whole number of days from 1 to 365, got 366'],
    },
    {
      case: 'no expiry',
      text: fileWith({ ...ENTRY, expires: undefined }),
      problems: [
        'exemptions[0] (SEC-1234): expires is required: give the day it ends as YYYY-MM-DD (it ends at 00:00 UTC that day)',
      ],
    },
    {
      case: 'an expiry that is no calendar day',
      text: fileWith({ ...ENTRY, expires: '2026-02-30' }),
      problems: [
        'exemptions[0] (SEC-1234): expires "2026-02-30" is not a date: give the day it ends as YYYY-MM-DD (it ends at 00:00 UTC that day)',
      ],
    },
    {
      case: 'an expiry with a time',
      text: fileWith({ ...ENTRY, expires: '2026-04-15T00:00:00Z' }),
      problems: [
        'exemptions[0] (SEC-1234): expires "2026-04-15T00:00:00Z" is not a date: give the day it ends as YYYY-MM-DD (it ends at 00:00 UTC that day)',
      ],
    },
    {
      case: 'an unknown field (a tag-like owner claim)',
      text: fileWith({ ...ENTRY, owner: 'team-a' }),
      problems: [
        'exemptions[0] (SEC-1234): unknown field(s) owner (allowed: trailArn, account, trailName, organizationalUnit, reason, reference, approver, expires)',
      ],
    },
    {
      case: 'no reason',
      text: fileWith({ ...ENTRY, reason: ' ' }),
      problems: ['exemptions[0] (SEC-1234): reason is required, a non-empty string (got " ")'],
    },
    {
      case: 'a reason too long for the annotation',
      text: fileWith({ ...ENTRY, reason: 'x'.repeat(161) }),
      problems: ['exemptions[0] (SEC-1234): reason is 161 characters, more than 160'],
    },
    {
      case: 'no reference',
      text: fileWith({ ...ENTRY, reference: undefined }),
      problems: ['exemptions[0]: reference is required, a non-empty string (got undefined)'],
    },
    {
      case: 'a reference with a line break',
      text: fileWith({ ...ENTRY, reference: 'SEC-1\nSEC-2' }),
      problems: ['exemptions[0]: reference holds a line break or another control character'],
    },
    {
      case: 'no approver',
      text: fileWith({ ...ENTRY, approver: 42 }),
      problems: ['exemptions[0] (SEC-1234): approver is required, a non-empty string (got 42)'],
    },
    {
      case: 'a malformed trail ARN',
      text: fileWith({ ...ENTRY, trailArn: 'arn:aws:cloudtrail:eu-west-1:1111:trail/data-events' }),
      problems: [
        'exemptions[0] (SEC-1234): trailArn "arn:aws:cloudtrail:eu-west-1:1111:trail/data-events" is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)',
      ],
    },
    {
      case: 'a malformed account',
      text: fileWith({ ...ENTRY, trailArn: undefined, account: 111122223333 }),
      problems: ['exemptions[0] (SEC-1234): account 111122223333 is not a 12-digit account id'],
    },
    {
      case: 'no trail named',
      text: fileWith({ ...ENTRY, trailArn: undefined }),
      problems: [
        'exemptions[0] (SEC-1234): names no trail; give exactly one of trailArn, account, or trailName with organizationalUnit',
      ],
    },
    {
      case: 'a trail named two ways',
      text: fileWith({ ...ENTRY, account: '111122223333' }),
      problems: [
        'exemptions[0] (SEC-1234): names its trails in more than one way (trailArn, account); give exactly one of trailArn, account, or trailName with organizationalUnit',
      ],
    },
    {
      case: 'a trail name without its OU',
      text: fileWith({ ...ENTRY, trailArn: undefined, trailName: 'org-trail' }),
      problems: [
        'exemptions[0] (SEC-1234): organizationalUnit undefined is not an OU id (ou-<root part>-<unit part>)',
      ],
    },
    {
      case: 'a malformed OU and trail name',
      text: fileWith({ ...ENTRY, trailArn: undefined, trailName: 'a', organizationalUnit: 'r-ab12' }),
      problems: [
        'exemptions[0] (SEC-1234): trailName "a" is not a trail name (3-128 of A-Z a-z 0-9 . _ -)',
        'exemptions[0] (SEC-1234): organizationalUnit "r-ab12" is not an OU id (ou-<root part>-<unit part>)',
      ],
    },
    {
      case: 'two entries naming the same trail',
      text: fileWith(ENTRY, { ...ENTRY, reference: 'SEC-2' }),
      problems: [
        `exemptions[1] (SEC-2): names the same trail ${TRAIL_ARN} as exemptions[0] (SEC-1234); keep one`,
      ],
    },
    {
      case: 'an entry that is not an object',
      text: fileWith('data-events'),
      problems: ['exemptions[0] must be an object, got "data-events"'],
    },
    {
      case: 'another version',
      text: JSON.stringify({ version: 2, exemptions: [] }),
      problems: ['version must be 1 (the version this guard reads), got 2'],
    },
    {
      case: 'an unknown top-level field',
      text: JSON.stringify({ version: 1, exemptions: [], defaultApprover: 'x' }),
      problems: ['unknown field(s) defaultApprover (allowed: version, maxTermDays, exemptions)'],
    },
    {
      case: 'no list of exemptions',
      text: JSON.stringify({ version: 1, exemptions: { trailArn: TRAIL_ARN } }),
      problems: [`exemptions must be a list, got {"trailArn":"${TRAIL_ARN}"}`],
    },
    {
      case: 'a list instead of the document',
      text: JSON.stringify([ENTRY]),
      problems: ['must be a JSON object with version and exemptions, got an array'],
    },
    {
      case: 'text that is not JSON',
      text: '{ version: 1 }',
      // The parser's own words follow, and differ between Node.js versions.
      problems: [
        expect.stringMatching(/^not valid JSON \(Expected property name or '}' in JSON at position 2/),
      ],
    },
  ])('refuses $case, naming the entry', ({ text, problems }) => {
    expect(problemsOf(text, ORGANIZATION)).toEqual(problems);
  });

  it('refuses trails named in an OU outside organization mode, where nothing can read the organization', () => {
    const text = fileWith({ ...ENTRY, trailArn: undefined, trailName: 'org-trail', organizationalUnit: OU });
    expect(problemsOf(text, DEPLOY)).toEqual([
      'exemptions[0] (SEC-1234): names trails in an organizational unit, which only organization mode can resolve (its hub reads the organization); name the trail by trailArn or account',
    ]);
  });

  it('honours nothing of a file with one bad entry among good ones, and says so', () => {
    const text = fileWith(ENTRY, { ...ENTRY, trailArn: undefined, account: '444455556666', expires: 'soon' });
    expect(() => parseExemptions(text, DEPLOY)).toThrow(
      'Invalid exemptions in exemptions.json: exemptions[1] (SEC-1234): expires "soon" is not a date: give the day it ends as YYYY-MM-DD (it ends at 00:00 UTC that day). None of its exemptions is honoured until it is corrected.',
    );
  });

  it(`accepts ${MAX_EXEMPTIONS} exemptions and refuses one more`, () => {
    const entries = (count: number) =>
      Array.from({ length: count }, (_, index) => ({
        ...ENTRY,
        trailArn: `arn:aws:cloudtrail:eu-west-1:111122223333:trail/trail-${index}`,
        reference: `SEC-${index}`,
      }));
    expect(parseExemptions(fileWith(...entries(MAX_EXEMPTIONS)), DEPLOY).exemptions).toHaveLength(
      MAX_EXEMPTIONS,
    );
    expect(problemsOf(fileWith(...entries(MAX_EXEMPTIONS + 1)), DEPLOY)).toEqual([
      `holds ${MAX_EXEMPTIONS + 1} exemptions, more than ${MAX_EXEMPTIONS}`,
    ]);
  });
});

function listOf(...entries: unknown[]): ExemptionList {
  return parseExemptions(fileWith(...entries), EVALUATE);
}

const DATA_EVENTS = { arn: TRAIL_ARN, name: 'data-events' };

describe('matchExemption', () => {
  it.each([
    { case: 'the trail by ARN', entry: ENTRY, trail: DATA_EVENTS, kind: 'active' },
    {
      case: 'another trail of the same name in another region',
      entry: ENTRY,
      trail: { arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/data-events', name: 'data-events' },
      kind: 'none',
    },
    {
      case: 'any trail of the account',
      entry: { ...ENTRY, trailArn: undefined, account: '111122223333' },
      trail: { arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/other', name: 'other' },
      kind: 'active',
    },
    {
      case: 'no trail of another account',
      entry: { ...ENTRY, trailArn: undefined, account: '444455556666' },
      trail: DATA_EVENTS,
      kind: 'none',
    },
    {
      case: 'an expired exemption of the trail',
      entry: { ...ENTRY, expires: '2026-03-01' },
      trail: DATA_EVENTS,
      kind: 'expired',
    },
  ])('finds $case: $kind', ({ entry, trail, kind }) => {
    expect(matchExemption(listOf(entry), trail, NOW).kind).toBe(kind);
  });

  it('covers a trail named in an OU only when its owner is known to be in that OU', () => {
    const list = listOf({ ...ENTRY, trailArn: undefined, trailName: 'data-events', organizationalUnit: OU });
    expect(needsOrganizationalUnits(list, DATA_EVENTS)).toBe(true);
    expect(needsOrganizationalUnits(list, { ...DATA_EVENTS, name: 'other' })).toBe(false);
    expect(matchExemption(list, DATA_EVENTS, NOW, new Set([OU, 'ou-ab12-00000000'])).kind).toBe('active');
    expect(matchExemption(list, DATA_EVENTS, NOW, new Set(['ou-ab12-00000000'])).kind).toBe('none');
    // Membership unknown: never exempt.
    expect(matchExemption(list, DATA_EVENTS, NOW).kind).toBe('none');
  });

  it('prefers an active exemption to an expired one, and of two active ones the one that lasts longest', () => {
    const list = listOf(
      { ...ENTRY, reference: 'OLD', expires: '2026-02-01' },
      { ...ENTRY, trailArn: undefined, account: '111122223333', reference: 'SHORT', expires: '2026-03-20' },
      {
        ...ENTRY,
        trailArn: undefined,
        trailName: 'data-events',
        organizationalUnit: OU,
        reference: 'LONG',
        expires: '2026-04-20',
      },
    );
    const match = matchExemption(list, DATA_EVENTS, NOW, new Set([OU]));
    expect(match.kind === 'active' && match.exemption.reference).toBe('LONG');
    const later = matchExemption(list, DATA_EVENTS, new Date('2026-05-01T00:00:00Z'), new Set([OU]));
    expect(later.kind === 'expired' && later.exemption.reference).toBe('LONG');
  });
});

describe('exemptionState', () => {
  const exemption = (expires: string): Exemption => listOf({ ...ENTRY, expires }).exemptions[0] as Exemption;

  it.each([
    { expires: '2026-04-15', namesATrail: true, state: 'active', days: 45 },
    { expires: '2026-03-15', namesATrail: true, state: 'expiring', days: 14 },
    { expires: '2026-03-16', namesATrail: true, state: 'active', days: 15 },
    { expires: '2026-04-15', namesATrail: false, state: 'unmatched', days: 45 },
    { expires: '2026-03-01', namesATrail: true, state: 'expired', days: 0 },
    { expires: '2026-02-01', namesATrail: false, state: 'expired', days: -28 },
  ])(
    'is $state for an exemption until $expires (names a trail: $namesATrail)',
    ({ expires, namesATrail, state, days }) => {
      expect(exemptionState(exemption(expires), NOW, namesATrail)).toBe(state);
      expect(daysLeft(exemption(expires), NOW)).toBe(days);
    },
  );
});
