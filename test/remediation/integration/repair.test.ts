import { describe, expect, it } from 'vitest';
import { IntegrationBrokenError } from '../../../remediation/errors.js';
import { planTrail } from '../../../remediation/integration/repair.js';
import {
  type IntegrationState,
  type RemediationState,
  ROLE_NOT_READ,
  type RoleState,
} from '../../../remediation/integration/state.js';
import { summarizePlan } from '../../../remediation/integration/summary.js';
import type { RemediationRequest } from '../../../remediation/payload.js';
import {
  ACCOUNT,
  FRESH,
  GOOD_ROLE,
  LOG_GROUP,
  LOG_GROUP_ARN,
  REQUEST,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
} from './plan-fixtures.js';

const THEIR_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:their-group:*`;
const THEIR_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/their-role`;
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const WHOLE: IntegrationState = {
  logGroup: { kmsKeyId: undefined },
  role: GOOD_ROLE,
  delivery: { latestDeliveryError: undefined, latestDeliveryTime: new Date('2026-11-29T18:55:00Z') },
};

function stateWith(
  integration: IntegrationState,
  arns: { logGroup?: string; role?: string } = {},
): RemediationState {
  return {
    ...FRESH,
    trail: {
      ...FRESH.trail,
      cloudWatchLogsLogGroupArn: arns.logGroup ?? LOG_GROUP_ARN,
      cloudWatchLogsRoleArn: arns.role ?? ROLE_ARN,
    },
    integration,
  };
}

function repairs(state: RemediationState, request: RemediationRequest = REQUEST) {
  const plan = planTrail(state, request);
  if (plan === null) throw new Error('expected a plan');
  return summarizePlan(plan, false).actions.map(({ action, status, detail }) => [action, status, detail]);
}

function brokenParts(state: RemediationState, request: RemediationRequest = REQUEST): readonly string[] {
  try {
    planTrail(state, request);
  } catch (error) {
    if (error instanceof IntegrationBrokenError) return error.problems;
    throw error;
  }
  throw new Error('expected IntegrationBrokenError');
}

const DELIVERY_HINT =
  "check that the role's policies, permissions boundary and service control policies allow logs:CreateLogStream " +
  'and logs:PutLogEvents on the log group';
const DELIVERY_TAIL = '; the error clears with the next successful delivery, a few minutes after events';

describe('planRepair', () => {
  it.each<[string, IntegrationState, { logGroup?: string; role?: string }]>([
    ['its own log group and role, whole, and no delivery error', WHOLE, {}],
    [
      "an operator's log group and a role outside its path (judged by the delivery status)",
      { ...WHOLE, role: ROLE_NOT_READ },
      { logGroup: THEIR_GROUP_ARN, role: THEIR_ROLE_ARN },
    ],
    [
      'a role under its path named for another trail, which trusts CloudTrail in its own words (judged by its trust alone)',
      {
        ...WHOLE,
        role: {
          ...GOOD_ROLE,
          trustPolicy: {
            Version: '2012-10-17',
            Statement: [
              ...EC2_TRUST.Statement,
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          },
          remediationPolicy: undefined,
        },
      },
      { role: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/CloudTrailToLogs-us-east-1-other-trail` },
    ],
    [
      'a role under its path it did not create, which trusts CloudTrail as documented',
      { ...WHOLE, role: { ...GOOD_ROLE, createdByRemediation: false } },
      {},
    ],
  ])('returns null (compliant) for %s', (_, integration, arns) => {
    expect(planTrail(stateWith(integration, arns), REQUEST)).toBeNull();
  });

  it('recreates its deleted log group with the requested retention, and re-sends the trail to CloudTrail', () => {
    const plan = planTrail(stateWith({ ...WHOLE, logGroup: undefined }), {
      ...REQUEST,
      retentionInDays: 731,
    });
    expect(plan?.kind).toBe('repair');
    expect(plan && summarizePlan(plan, false)).toMatchObject({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'REPAIRED',
      dryRun: false,
    });
    expect(
      repairs(stateWith({ ...WHOLE, logGroup: undefined }), { ...REQUEST, retentionInDays: 731 }),
    ).toEqual([
      ['CreateLogGroup', 'applied', 'log group named by the trail was deleted; recreated'],
      ['PutRetentionPolicy', 'applied', 'retention set to 731 days'],
      ['UpdateTrail', 'applied', 'trail given the same log group and role again, so CloudTrail checks them'],
    ]);
  });

  it('recreates its deleted role with the documented trust and policy', () => {
    const plan = planTrail(stateWith({ ...WHOLE, role: undefined }), REQUEST);
    expect(plan).toMatchObject({ roleName: ROLE, roleArn: ROLE_ARN, adopted: [] });
    expect(repairs(stateWith({ ...WHOLE, role: undefined }))).toEqual([
      ['CreateRole', 'applied', 'role named by the trail was deleted; recreated'],
      ['PutRolePolicy', 'applied', 'policy written'],
      ['UpdateTrail', 'applied', 'trail given the same log group and role again, so CloudTrail checks them'],
    ]);
  });

  it.each([
    ['a trust policy for another service', { ...GOOD_ROLE, trustPolicy: EC2_TRUST }, 'applied', 'skipped'],
    [
      'no policy',
      { ...GOOD_ROLE, remediationPolicy: undefined, inlinePolicyNames: [] },
      'skipped',
      'applied',
    ],
  ])('rewrites its own role with %s', (_, role, trust, policy) => {
    expect(
      repairs(stateWith({ ...WHOLE, role }))
        .slice(0, 3)
        .map(([action, status]) => [action, status]),
    ).toEqual([
      ['CreateRole', 'skipped'],
      ['UpdateAssumeRolePolicy', trust],
      ['PutRolePolicy', policy],
    ]);
  });

  it('rewrites a role under its path it did not create only with AdoptExisting, and lists it as adopted', () => {
    const role = { ...GOOD_ROLE, trustPolicy: EC2_TRUST, createdByRemediation: false };
    expect(brokenParts(stateWith({ ...WHOLE, role }))).toEqual([
      `role ${ROLE} exists under /cloudtrail-logs-guard/ but was not created by this remediation (adopting it ` +
        'rewrites its trust policy and policies), and its trust policy is not the documented one: ' +
        'correct it yourself, or run the remediation with AdoptExisting=true (CLI: --adopt-existing) to rewrite it',
    ]);
    const plan = planTrail(stateWith({ ...WHOLE, role }), { ...REQUEST, adoptExisting: true });
    expect(plan?.adopted).toEqual([{ type: 'role', name: ROLE }]);
    expect(plan && summarizePlan(plan, false).adopted).toEqual([{ type: 'role', name: ROLE }]);
  });

  it.each<[string, Partial<RoleState>, string[][]]>([
    [
      'an attached managed policy',
      { attachedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      [['DetachRolePolicy', 'applied', 'managed policy detached: the role may only write to its log group']],
    ],
    [
      'an extra inline policy',
      { inlinePolicyNames: ['cloudtrail-to-cloudwatch-logs', 'extra'] },
      [
        [
          'DeleteRolePolicy',
          'applied',
          'extra inline policy removed: the role may only write to its log group',
        ],
      ],
    ],
  ])('repairs its own role that has %s, then gives the trail its ARNs again', (_, change, expected) => {
    const state = stateWith({ ...WHOLE, role: { ...GOOD_ROLE, ...change } });
    const applied = repairs(state).filter(([, status]) => status === 'applied');
    expect(applied).toEqual([
      ...expected,
      ['UpdateTrail', 'applied', 'trail given the same log group and role again, so CloudTrail checks them'],
    ]);
  });

  it("repairs its own role whose permissions boundary is not the deployment's", () => {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
    const plan = planTrail(stateWith(WHOLE), REQUEST, { permissionsBoundaryArn: boundary });
    expect(plan?.steps.filter((step) => step.required).map((step) => step.operation.type)).toEqual([
      'PutRolePermissionsBoundary',
      'UpdateTrail',
    ]);
  });

  it("keeps its own role whole when it carries the deployment's boundary", () => {
    const boundary = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
    const role = { ...GOOD_ROLE, permissionsBoundaryArn: boundary };
    expect(
      planTrail(stateWith({ ...WHOLE, role }), REQUEST, { permissionsBoundaryArn: boundary }),
    ).toBeNull();
  });

  it('reports, without changing it, a role of its name it did not create that has other policies', () => {
    const role = {
      ...GOOD_ROLE,
      createdByRemediation: false,
      inlinePolicyNames: ['cloudtrail-to-cloudwatch-logs', 'extra'],
      attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
    };
    expect(brokenParts(stateWith({ ...WHOLE, role }))).toEqual([
      `role ${ROLE} exists under /cloudtrail-logs-guard/ but was not created by this remediation (adopting it ` +
        'rewrites its trust policy and policies), and it has other inline policies (extra), it has managed ' +
        'policies attached (arn:aws:iam::aws:policy/ReadOnlyAccess): correct it yourself, or run the ' +
        'remediation with AdoptExisting=true (CLI: --adopt-existing) to rewrite it',
    ]);
  });

  it('does not send UpdateTrail when the role is not its own to pass', () => {
    const state = stateWith({ ...WHOLE, logGroup: undefined, role: ROLE_NOT_READ }, { role: THEIR_ROLE_ARN });
    expect(repairs(state).at(-1)).toEqual([
      'UpdateTrail',
      'skipped',
      `not sent: role ${THEIR_ROLE_ARN} is not the remediation's to pass; CloudTrail's next delivery uses the repaired log group`,
    ]);
  });

  it.each<[string, IntegrationState, { logGroup?: string; role?: string }, string[]]>([
    [
      "an operator's deleted log group",
      { ...WHOLE, logGroup: undefined, role: ROLE_NOT_READ },
      { logGroup: THEIR_GROUP_ARN, role: THEIR_ROLE_ARN },
      [
        'log group their-group does not exist: create it again (aws logs create-log-group --log-group-name ' +
          "their-group) or remove the trail's CloudWatch Logs settings so the remediation creates its own",
      ],
    ],
    [
      'a log group of another region',
      { ...WHOLE, logGroup: undefined },
      { logGroup: `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}:*` },
      [
        `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${LOG_GROUP}:* names no log group of account ${ACCOUNT} in ` +
          "us-east-1, where the trail lives: point the trail at a log group there or remove the trail's CloudWatch " +
          'Logs settings so the remediation creates its own',
      ],
    ],
    [
      "an operator's deleted role under its path but not its name",
      { ...WHOLE, role: undefined },
      { role: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/other` },
      [
        `role arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/other does not exist: create it again with a trust ` +
          "policy for cloudtrail.amazonaws.com or remove the trail's CloudWatch Logs settings so the remediation creates its own",
      ],
    ],
    [
      'a role under its path, not its name, that trusts only EC2',
      { ...WHOLE, role: { ...GOOD_ROLE, trustPolicy: EC2_TRUST } },
      { role: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/other` },
      [
        `role arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/other does not let cloudtrail.amazonaws.com assume ` +
          'it (a trust statement with a Condition does not count: CloudTrail sends no aws:SourceArn or ' +
          'aws:SourceAccount): correct its trust policy',
      ],
    ],
    [
      'a delivery error on a whole integration, with the key to check',
      {
        ...WHOLE,
        logGroup: { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k' },
        delivery: {
          latestDeliveryError: 'AccessDenied',
          latestDeliveryTime: new Date('2026-11-29T18:00:00Z'),
        },
      },
      {},
      [
        'CloudTrail reports the delivery error "AccessDenied" (last successful delivery: 2026-11-29T18:00:00.000Z): ' +
          `${DELIVERY_HINT}, and that KMS key arn:aws:kms:us-east-1:111122223333:key/k is enabled and its key ` +
          `policy lets CloudWatch Logs of this region use it${DELIVERY_TAIL}`,
      ],
    ],
    [
      "an operator's deleted log group and a delivery error, both named",
      {
        logGroup: undefined,
        role: ROLE_NOT_READ,
        delivery: { latestDeliveryError: 'LogGroupNotFound', latestDeliveryTime: undefined },
      },
      { logGroup: THEIR_GROUP_ARN, role: THEIR_ROLE_ARN },
      [
        'log group their-group does not exist: create it again (aws logs create-log-group --log-group-name ' +
          "their-group) or remove the trail's CloudWatch Logs settings so the remediation creates its own",
        `CloudTrail reports the delivery error "LogGroupNotFound" (last successful delivery: never): ${DELIVERY_HINT}${DELIVERY_TAIL}`,
      ],
    ],
  ])('refuses %s, naming each broken part', (_, integration, arns, problems) => {
    expect(brokenParts(stateWith(integration, arns))).toEqual(problems);
  });

  it('refuses a broken part it does not own even when it could repair another, so nothing is written', () => {
    const state = stateWith({ ...WHOLE, logGroup: undefined, role: undefined }, { role: THEIR_ROLE_ARN });
    expect(brokenParts(state)).toEqual([
      `role ${THEIR_ROLE_ARN} does not exist: create it again with a trust policy for cloudtrail.amazonaws.com or ` +
        "remove the trail's CloudWatch Logs settings so the remediation creates its own",
    ]);
  });

  it('reports the whole error message with the trail', () => {
    const integration = { ...WHOLE, delivery: { latestDeliveryError: 'x', latestDeliveryTime: undefined } };
    expect(() => planTrail(stateWith(integration), REQUEST)).toThrow(
      `Trail ${TRAIL_ARN} names a CloudWatch Logs integration that is broken, and nothing was changed: ` +
        `CloudTrail reports the delivery error "x" (last successful delivery: never): ${DELIVERY_HINT}${DELIVERY_TAIL}.`,
    );
  });
});
