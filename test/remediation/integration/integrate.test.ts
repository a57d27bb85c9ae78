import { describe, expect, it } from 'vitest';
import { AdoptionRefusedError, RemediationConflictError } from '../../../remediation/errors.js';
import { planRemediation } from '../../../remediation/integration/integrate.js';
import type { PlanOptions } from '../../../remediation/integration/operations.js';
import { cloudTrailLogsPolicy, cloudTrailTrustPolicy } from '../../../remediation/integration/policies.js';
import type { RoleState } from '../../../remediation/integration/state.js';
import { summarizePlan } from '../../../remediation/integration/summary.js';
import type { RemediationRequest } from '../../../remediation/payload.js';
import {
  ACCOUNT,
  ADOPTED_GROUP_DETAIL,
  actions,
  FRESH,
  GOOD_ROLE,
  KEY_ARN,
  LOG_GROUP,
  LOG_GROUP_ARN,
  POLICY,
  REQUEST,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
} from './plan-fixtures.js';

describe('planRemediation', () => {
  it('plans every step for a fresh trail, with the documented names, tags and policies', () => {
    const plan = planRemediation(FRESH, REQUEST);
    const tags = { 'managed-by': 'cloudtrail-logs-guard', 'cloudtrail-logs-guard:trail-arn': TRAIL_ARN };
    expect(plan).toEqual({
      kind: 'integrate',
      trailArn: TRAIL_ARN,
      logGroupName: LOG_GROUP,
      logGroupArn: LOG_GROUP_ARN,
      roleName: ROLE,
      roleArn: ROLE_ARN,
      steps: [
        {
          operation: { type: 'CreateLogGroup', logGroupName: LOG_GROUP, tags },
          required: true,
          detail: 'log group does not exist',
        },
        {
          operation: { type: 'PutRetentionPolicy', logGroupName: LOG_GROUP, retentionInDays: 365 },
          required: true,
          detail: 'retention set to 365 days',
        },
        {
          operation: {
            type: 'CreateRole',
            roleName: ROLE,
            path: '/cloudtrail-logs-guard/',
            trustPolicy: cloudTrailTrustPolicy(),
            description: `Lets CloudTrail trail management-events deliver its events to CloudWatch Logs group ${LOG_GROUP}.`,
            tags,
          },
          required: true,
          detail: 'role does not exist',
        },
        {
          operation: {
            type: 'PutRolePolicy',
            roleName: ROLE,
            policyName: 'cloudtrail-to-cloudwatch-logs',
            policy: POLICY,
          },
          required: true,
          detail: 'policy written',
        },
        {
          operation: {
            type: 'UpdateTrail',
            trailArn: TRAIL_ARN,
            logGroupArn: LOG_GROUP_ARN,
            roleArn: ROLE_ARN,
          },
          required: true,
          detail: 'trail pointed at the log group and role',
        },
      ],
      roleCreatedAt: undefined,
      adopted: [],
      reused: [],
    });
  });

  it('returns null for a trail that already sends to CloudWatch Logs, whatever else exists', () => {
    const trail = {
      ...FRESH.trail,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:their-group:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/their-role`,
    };
    expect(planRemediation({ ...FRESH, trail }, REQUEST)).toBeNull();
  });

  it.each([
    ['empty strings', '', ''],
    ['an empty log group and no role', '', undefined],
    ['no log group and an empty role', undefined, ''],
  ])('plans every step for a trail whose integration ARNs are %s (not integrated)', (_, logGroup, role) => {
    const trail = { ...FRESH.trail, cloudWatchLogsLogGroupArn: logGroup, cloudWatchLogsRoleArn: role };
    expect(planRemediation({ ...FRESH, trail }, REQUEST)).toEqual(planRemediation(FRESH, REQUEST));
    expect(actions({ ...FRESH, trail }).map(([action, status]) => [action, status])).toEqual([
      ['CreateLogGroup', 'planned'],
      ['PutRetentionPolicy', 'planned'],
      ['CreateRole', 'planned'],
      ['PutRolePolicy', 'planned'],
      ['UpdateTrail', 'planned'],
    ]);
  });

  it.each([
    [
      'a log group but no role',
      { cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:x:*' },
      `Trail ${TRAIL_ARN} has log group arn:aws:logs:us-east-1:111122223333:log-group:x:* but no role. The remediation never repoints an existing integration: fix the trail by hand in the CloudTrail console.`,
    ],
    [
      'a role but no log group',
      { cloudWatchLogsRoleArn: 'arn:aws:iam::111122223333:role/x' },
      `Trail ${TRAIL_ARN} has role arn:aws:iam::111122223333:role/x but no log group. The remediation never repoints an existing integration: fix the trail by hand in the CloudTrail console.`,
    ],
  ])('refuses a trail with %s', (_, change, message) => {
    const state = { ...FRESH, trail: { ...FRESH.trail, ...change } };
    expect(() => planRemediation(state, REQUEST)).toThrow(new RemediationConflictError(message));
  });

  it.each([
    [
      'no retention, created by an earlier run that failed before PutRetentionPolicy',
      undefined,
      365,
      ['PutRetentionPolicy', 'planned', 'retention set to 365 days'],
      true,
    ],
    [
      'no retention (never expire)',
      undefined,
      365,
      ['PutRetentionPolicy', 'skipped', 'log group never expires events; kept'],
    ],
    [
      'a shorter retention',
      30,
      365,
      ['PutRetentionPolicy', 'planned', 'retention raised from 30 to 365 days'],
    ],
    [
      'a longer retention',
      731,
      365,
      ['PutRetentionPolicy', 'skipped', 'retention of 731 days is not shorter than 365; kept'],
    ],
    [
      'the same retention',
      400,
      400,
      ['PutRetentionPolicy', 'skipped', 'retention of 400 days is not shorter than 400; kept'],
    ],
  ])(
    'reuses an existing log group with %s',
    (_, retentionInDays, wanted, retentionAction, createdByRemediation = false) => {
      const logGroup = {
        retentionInDays,
        kmsKeyId: undefined,
        createdByRemediation,
        subscriptionFilters: [],
      };
      const state = { ...FRESH, logGroup };
      const retention = wanted as RemediationRequest['retentionInDays'];
      const request = { ...REQUEST, retentionInDays: retention, adoptExisting: true };
      expect(actions(state, request).slice(0, 2)).toEqual([
        [
          'CreateLogGroup',
          'skipped',
          createdByRemediation ? 'log group exists; reused' : ADOPTED_GROUP_DETAIL,
        ],
        retentionAction,
      ]);
    },
  );

  it.each([
    ['a new log group', undefined, ['AssociateKmsKey', 'planned', 'key associated']],
    [
      'a log group without key',
      { retentionInDays: 365, kmsKeyId: undefined, createdByRemediation: false, subscriptionFilters: [] },
      ['AssociateKmsKey', 'planned', 'key associated'],
    ],
    [
      'a log group with that key',
      { retentionInDays: 365, kmsKeyId: KEY_ARN, createdByRemediation: false, subscriptionFilters: [] },
      ['AssociateKmsKey', 'skipped', 'key already associated'],
    ],
    [
      'a log group it created, with another key',
      {
        retentionInDays: 365,
        kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`,
        createdByRemediation: true,
        subscriptionFilters: [],
      },
      ['AssociateKmsKey', 'planned', `key arn:aws:kms:us-east-1:${ACCOUNT}:key/other replaced as requested`],
    ],
    [
      "an operator's log group with that key",
      { retentionInDays: 365, kmsKeyId: KEY_ARN, createdByRemediation: false, subscriptionFilters: [] },
      ['AssociateKmsKey', 'skipped', 'key already associated'],
    ],
  ])('associates a KMS key with %s', (_, logGroup, kmsAction) => {
    const request = { ...REQUEST, kmsKeyArn: KEY_ARN, adoptExisting: true };
    expect(actions({ ...FRESH, logGroup }, request)[2]).toEqual(kmsAction);
  });

  it("refuses to replace the KMS key of a log group it did not create (an operator's)", () => {
    const other = `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`;
    const logGroup = {
      retentionInDays: 365,
      kmsKeyId: other,
      createdByRemediation: false,
      subscriptionFilters: [],
    };
    const request = { ...REQUEST, kmsKeyArn: KEY_ARN, adoptExisting: true };
    expect(() => planRemediation({ ...FRESH, logGroup }, request)).toThrow(
      new RemediationConflictError(
        `Log group ${LOG_GROUP} is encrypted with KMS key ${other}, not ${KEY_ARN}, and was not created by this remediation (no tag managed-by=cloudtrail-logs-guard): its key is not replaced and nothing was changed. To keep that key, run the remediation with KmsKeyArn set to it or empty; to use the other key, associate it yourself (aws logs associate-kms-key).`,
      ),
    );
  });

  it("keeps an operator's KMS key when no key is requested", () => {
    const logGroup = {
      retentionInDays: 365,
      kmsKeyId: KEY_ARN,
      createdByRemediation: false,
      subscriptionFilters: [],
    };
    const request = { ...REQUEST, adoptExisting: true };
    expect(actions({ ...FRESH, logGroup }, request).map(([action]) => action)).not.toContain(
      'AssociateKmsKey',
    );
  });

  it('refuses a KMS key from another region', () => {
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/abc`;
    expect(() => planRemediation(FRESH, { ...REQUEST, kmsKeyArn: key })).toThrow(
      new RemediationConflictError(
        `KMS key ${key} is in region eu-west-1, but log group ${LOG_GROUP} is in us-east-1: CloudWatch Logs needs a key of the same region. Pass a key from us-east-1.`,
      ),
    );
  });

  it.each([
    [
      'as documented',
      GOOD_ROLE,
      [
        ['CreateRole', 'skipped', 'role exists; reused'],
        ['UpdateAssumeRolePolicy', 'skipped', 'trust policy already as documented'],
        ['PutRolePolicy', 'skipped', 'policy already as documented'],
      ],
    ],
    [
      'with a wrong policy and a conditioned trust policy',
      {
        ...GOOD_ROLE,
        trustPolicy: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
            },
          ],
        },
        remediationPolicy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'logs:*', Resource: '*' }],
        },
      },
      [
        ['CreateRole', 'skipped', 'role exists; reused'],
        ['UpdateAssumeRolePolicy', 'planned', 'trust policy replaced with the documented one'],
        ['PutRolePolicy', 'planned', 'policy replaced with the documented one'],
      ],
    ],
    [
      'without the inline policy, with extra policies',
      {
        ...GOOD_ROLE,
        inlinePolicyNames: ['extra'],
        remediationPolicy: undefined,
        attachedPolicyArns: ['arn:aws:iam::aws:policy/CloudWatchLogsFullAccess'],
      },
      [
        ['CreateRole', 'skipped', 'role exists; reused'],
        ['UpdateAssumeRolePolicy', 'skipped', 'trust policy already as documented'],
        ['PutRolePolicy', 'planned', 'policy written'],
        [
          'DeleteRolePolicy',
          'planned',
          'extra inline policy removed: the role may only write to its log group',
        ],
        ['DetachRolePolicy', 'planned', 'managed policy detached: the role may only write to its log group'],
      ],
    ],
  ])('reuses an existing role %s', (_, role, roleActions) => {
    const all = actions({ ...FRESH, role });
    expect(all.slice(2, -1)).toEqual(roleActions);
    expect(all.at(-1)).toEqual(['UpdateTrail', 'planned', 'trail pointed at the log group and role']);
  });

  it.each([false, true])(
    'refuses a role of the same name outside the remediation path that it did not create, adoptExisting %s, as a conflict and not as an adoption',
    (adoptExisting) => {
      const state = { ...FRESH, role: { ...GOOD_ROLE, path: '/', createdByRemediation: false } };
      const plan = () => planRemediation(state, { ...REQUEST, adoptExisting });
      expect(plan).toThrow(RemediationConflictError);
      expect(plan).not.toThrow(AdoptionRefusedError);
    },
  );

  it('adopts a role under its path that it did not create only as requested, and says so', () => {
    const state = { ...FRESH, role: { ...GOOD_ROLE, createdByRemediation: false } };
    expect(() => planRemediation(state, REQUEST)).toThrow(AdoptionRefusedError);
    const plan = planRemediation(state, { ...REQUEST, adoptExisting: true });
    expect(plan?.adopted).toEqual([{ type: 'role', name: ROLE }]);
    expect(actions(state, { ...REQUEST, adoptExisting: true })).toContainEqual([
      'CreateRole',
      'skipped',
      'role exists, not created by this remediation; adopted as requested (its trust and policies are rewritten)',
    ]);
  });

  it('lists an adopted log group without a KMS key with no kmsKeyId at all', () => {
    const state = {
      ...FRESH,
      logGroup: {
        retentionInDays: 365,
        kmsKeyId: undefined,
        createdByRemediation: false,
        subscriptionFilters: [],
      },
    };
    const plan = planRemediation(state, { ...REQUEST, adoptExisting: true });
    expect(plan?.adopted).toStrictEqual([{ type: 'log-group', name: LOG_GROUP, subscriptionFilters: [] }]);
  });

  it('refuses a KMS key that is not a key ARN, naming its region unknown', () => {
    expect(() => planRemediation(FRESH, { ...REQUEST, kmsKeyArn: 'alias/logs' })).toThrow(
      new RemediationConflictError(
        `KMS key alias/logs is in region unknown, but log group ${LOG_GROUP} is in us-east-1: CloudWatch Logs needs a key of the same region. Pass a key from us-east-1.`,
      ),
    );
  });

  it('refuses a role of the same name outside the remediation path', () => {
    expect(() => planRemediation({ ...FRESH, role: { ...GOOD_ROLE, path: '/' } }, REQUEST)).toThrow(
      new RemediationConflictError(
        `Role ${ROLE} exists with path /, not /cloudtrail-logs-guard/: it was not created by this remediation. Rename or delete that role, then run the remediation again.`,
      ),
    );
  });

  it('adds the organization stream pattern for an organization trail', () => {
    const state = {
      ...FRESH,
      trail: { ...FRESH.trail, isOrganizationTrail: true },
      organizationId: 'o-exampleorgid',
    };
    const plan = planRemediation(state, REQUEST);
    const put = plan?.steps.find((step) => step.operation.type === 'PutRolePolicy')?.operation;
    expect(put).toEqual({
      type: 'PutRolePolicy',
      roleName: ROLE,
      policyName: 'cloudtrail-to-cloudwatch-logs',
      policy: cloudTrailLogsPolicy({
        partition: 'aws',
        region: 'us-east-1',
        account: ACCOUNT,
        logGroupName: LOG_GROUP,
        organizationId: 'o-exampleorgid',
      }),
    });
  });

  it('refuses an organization trail whose organization id is unknown', () => {
    const state = { ...FRESH, trail: { ...FRESH.trail, isOrganizationTrail: true } };
    expect(() => planRemediation(state, REQUEST)).toThrow(
      new RemediationConflictError(
        `Trail ${TRAIL_ARN} is an organization trail but the organization id is unknown: its role needs the <org id>_* stream pattern. Run the remediation in the management account with organizations:DescribeOrganization.`,
      ),
    );
  });
});

describe('planRemediation with a permissions boundary', () => {
  const BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/cloudtrail-logs-guard/delivery-boundary`;
  const OTHER_BOUNDARY = `arn:aws:iam::${ACCOUNT}:policy/operators-boundary`;
  const WITH_BOUNDARY = { permissionsBoundaryArn: BOUNDARY };

  function roleActions(role: RoleState | undefined, options: PlanOptions = WITH_BOUNDARY) {
    const plan = planRemediation({ ...FRESH, role }, REQUEST, options);
    if (plan === null) throw new Error('expected a plan');
    return summarizePlan(plan, true)
      .actions.slice(2, -1)
      .map(({ action, resource, status, detail }) => [action, resource, status, detail]);
  }

  it('creates a new role with the boundary', () => {
    const create = planRemediation(FRESH, REQUEST, WITH_BOUNDARY)?.steps[2];
    expect(create).toEqual({
      operation: {
        type: 'CreateRole',
        roleName: ROLE,
        path: '/cloudtrail-logs-guard/',
        trustPolicy: cloudTrailTrustPolicy(),
        description: `Lets CloudTrail trail management-events deliver its events to CloudWatch Logs group ${LOG_GROUP}.`,
        tags: { 'managed-by': 'cloudtrail-logs-guard', 'cloudtrail-logs-guard:trail-arn': TRAIL_ARN },
        permissionsBoundary: BOUNDARY,
      },
      required: true,
      detail: `role does not exist; created with permissions boundary ${BOUNDARY}`,
    });
  });

  it('creates a new role without a boundary when none is configured', () => {
    const create = planRemediation(FRESH, REQUEST)?.steps[2]?.operation;
    expect(create).not.toHaveProperty('permissionsBoundary');
  });

  it.each([
    [
      'without a boundary',
      undefined,
      ['PutRolePermissionsBoundary', ROLE, 'planned', `permissions boundary ${BOUNDARY} set`],
    ],
    [
      'with another boundary',
      OTHER_BOUNDARY,
      [
        'PutRolePermissionsBoundary',
        ROLE,
        'planned',
        `permissions boundary ${OTHER_BOUNDARY} replaced with ${BOUNDARY}`,
      ],
    ],
    [
      'with the boundary',
      BOUNDARY,
      ['PutRolePermissionsBoundary', ROLE, 'skipped', `permissions boundary ${BOUNDARY} already set`],
    ],
  ])('plans the boundary of an existing role %s before the writes to it', (_, current, boundaryAction) => {
    expect(roleActions({ ...GOOD_ROLE, trustPolicy: {}, permissionsBoundaryArn: current })).toEqual([
      ['CreateRole', ROLE, 'skipped', 'role exists; reused'],
      boundaryAction,
      ['UpdateAssumeRolePolicy', ROLE, 'planned', 'trust policy replaced with the documented one'],
      ['PutRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`, 'skipped', 'policy already as documented'],
    ]);
  });

  it('leaves the boundary of an existing role alone when none is configured', () => {
    expect(roleActions({ ...GOOD_ROLE, permissionsBoundaryArn: OTHER_BOUNDARY }, {})).toEqual([
      ['CreateRole', ROLE, 'skipped', 'role exists; reused'],
      ['UpdateAssumeRolePolicy', ROLE, 'skipped', 'trust policy already as documented'],
      ['PutRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`, 'skipped', 'policy already as documented'],
    ]);
  });

  it('accepts an AWS managed policy as boundary', () => {
    const managed = 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess';
    const create = planRemediation(FRESH, REQUEST, { permissionsBoundaryArn: managed })?.steps[2]?.operation;
    expect(create).toMatchObject({ type: 'CreateRole', permissionsBoundary: managed });
  });

  it('refuses a boundary of another account', () => {
    const foreign = 'arn:aws:iam::999988887777:policy/delivery-boundary';
    expect(() => planRemediation(FRESH, REQUEST, { permissionsBoundaryArn: foreign })).toThrow(
      new RemediationConflictError(
        `Permissions boundary ${foreign} is not a managed policy of account ${ACCOUNT}, where the role is created: IAM accepts only a policy of the role's own account. Configure the delivery boundary policy of account ${ACCOUNT}.`,
      ),
    );
  });

  it('does not look at the boundary of an integrated trail', () => {
    const trail = {
      ...FRESH.trail,
      cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:their-group:*`,
      cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/their-role`,
    };
    const foreign = 'arn:aws:iam::999988887777:policy/delivery-boundary';
    expect(planRemediation({ ...FRESH, trail }, REQUEST, { permissionsBoundaryArn: foreign })).toBeNull();
  });
});
