import { describe, expect, it } from 'vitest';
import { TrailOfOtherAccountError } from '../../../remediation/errors.js';
import { planRemediation } from '../../../remediation/integration/integrate.js';
import type { RoleState } from '../../../remediation/integration/state.js';
import { assertTrailIsLocal, mayAwaitRolePropagation } from '../../../remediation/integration/trail.js';
import { ACCOUNT, FRESH, GOOD_ROLE, REQUEST } from './plan-fixtures.js';

describe('assertTrailIsLocal', () => {
  it.each([
    [
      'a copy outside its home region',
      {
        ...FRESH.trail,
        homeRegion: 'eu-west-1',
        arn: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/eu-copy`,
      },
      'TrailNotInHomeRegionError',
      `Trail arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/eu-copy is a copy of a multi-region trail in region us-east-1; its home region is eu-west-1. Nothing was changed: run the remediation in eu-west-1.`,
    ],
    [
      "another account's organization trail",
      {
        ...FRESH.trail,
        arn: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org',
        isOrganizationTrail: true,
      },
      'TrailOfOtherAccountError',
      `Trail arn:aws:cloudtrail:us-east-1:999988887777:trail/org belongs to account 999988887777, not to account ${ACCOUNT} where the remediation runs (an organization trail seen from a member account). Nothing was changed: run the remediation in account 999988887777.`,
    ],
    [
      "another account's organization trail seen outside its home region (the account decides)",
      {
        ...FRESH.trail,
        homeRegion: 'eu-west-1',
        arn: 'arn:aws:cloudtrail:eu-west-1:999988887777:trail/org',
        isOrganizationTrail: true,
      },
      'TrailOfOtherAccountError',
      `Trail arn:aws:cloudtrail:eu-west-1:999988887777:trail/org belongs to account 999988887777, not to account ${ACCOUNT} where the remediation runs (an organization trail seen from a member account). Nothing was changed: run the remediation in account 999988887777.`,
    ],
  ])('refuses %s', (_, trail, name, message) => {
    expect(() => assertTrailIsLocal(trail, FRESH.caller)).toThrow(expect.objectContaining({ name, message }));
    expect(() => planRemediation({ ...FRESH, trail }, REQUEST)).toThrow(message);
  });

  it('accepts a trail of this account in its home region', () => {
    expect(() => assertTrailIsLocal(FRESH.trail, FRESH.caller)).not.toThrow();
  });
});

describe('mayAwaitRolePropagation', () => {
  const NOW = Date.parse('2026-11-29T19:00:00Z');
  const WINDOW = 5 * 60_000;
  const at = (iso: string) => new Date(iso);

  it.each<[boolean, string, RoleState | undefined]>([
    [true, 'the plan creates the role', undefined],
    [true, 'the plan rewrites its trust policy', { ...GOOD_ROLE, trustPolicy: {} }],
    [true, 'the plan rewrites its inline policy', { ...GOOD_ROLE, remediationPolicy: undefined }],
    [true, 'the role is 4 minutes old', { ...GOOD_ROLE, createdAt: at('2026-11-29T18:56:00Z') }],
    [true, 'the role is created ahead of the clock', { ...GOOD_ROLE, createdAt: at('2026-11-29T19:01:00Z') }],
    [
      false,
      'the role is exactly 5 minutes old and unchanged',
      { ...GOOD_ROLE, createdAt: at('2026-11-29T18:55:00Z') },
    ],
    [false, 'the role is old and unchanged', GOOD_ROLE],
    [false, 'the role has no creation time and is unchanged', { ...GOOD_ROLE, createdAt: undefined }],
    [
      false,
      'only an extra inline policy is deleted (removing grants nothing)',
      { ...GOOD_ROLE, inlinePolicyNames: [...GOOD_ROLE.inlinePolicyNames, 'extra'] },
    ],
  ])('returns %s when %s', (expected, _, role) => {
    const plan = planRemediation({ ...FRESH, role }, REQUEST);
    if (plan === null) throw new Error('expected a plan');
    expect(mayAwaitRolePropagation(plan, NOW, WINDOW)).toBe(expected);
  });

  it('counts a boundary put on an old role as a change', () => {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
    const plan = planRemediation({ ...FRESH, role: GOOD_ROLE }, REQUEST, {
      permissionsBoundaryArn: boundary,
    });
    if (plan === null) throw new Error('expected a plan');
    expect(mayAwaitRolePropagation(plan, NOW, WINDOW)).toBe(true);
  });
});

describe('assertTrailIsLocal with a trail ARN that does not parse', () => {
  it('refuses it as owned by an unknown account', () => {
    const trail = { ...FRESH.trail, arn: 'management-events' };
    expect(() => assertTrailIsLocal(trail, FRESH.caller)).toThrow(TrailOfOtherAccountError);
    expect(() => assertTrailIsLocal(trail, FRESH.caller)).toThrow(
      'Trail management-events belongs to account unknown, not to account 111122223333',
    );
  });
});
