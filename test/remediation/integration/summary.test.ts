import { describe, expect, it } from 'vitest';
import { planRemediation } from '../../../remediation/integration/integrate.js';
import { summarizeCompliant, summarizePlan } from '../../../remediation/integration/summary.js';
import {
  ACCOUNT,
  FRESH,
  GOOD_ROLE,
  KEY_ARN,
  LOG_GROUP,
  LOG_GROUP_ARN,
  REQUEST,
  ROLE,
  ROLE_ARN,
  TRAIL_ARN,
} from './plan-fixtures.js';

describe('summaries', () => {
  it('marks required steps applied after a run, skipped steps skipped', () => {
    const plan = planRemediation(
      {
        ...FRESH,
        logGroup: {
          retentionInDays: 3653,
          kmsKeyId: undefined,
          createdByRemediation: true,
          subscriptionFilters: [],
        },
      },
      REQUEST,
    );
    if (plan === null) throw new Error('expected a plan');
    expect(summarizePlan(plan, false)).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: LOG_GROUP_ARN,
      roleArn: ROLE_ARN,
      outcome: 'REMEDIATED',
      actions: [
        {
          action: 'CreateLogGroup',
          resource: LOG_GROUP,
          status: 'skipped',
          detail: 'log group exists; reused',
        },
        {
          action: 'PutRetentionPolicy',
          resource: LOG_GROUP,
          status: 'skipped',
          detail: 'retention of 3653 days is not shorter than 365; kept',
        },
        { action: 'CreateRole', resource: ROLE, status: 'applied', detail: 'role does not exist' },
        {
          action: 'PutRolePolicy',
          resource: `${ROLE}/cloudtrail-to-cloudwatch-logs`,
          status: 'applied',
          detail: 'policy written',
        },
        {
          action: 'UpdateTrail',
          resource: TRAIL_ARN,
          status: 'applied',
          detail: 'trail pointed at the log group and role',
        },
      ],
      dryRun: false,
      // The group carries the tag, which anyone allowed to tag it can set: where its events go is listed.
      reused: [{ type: 'log-group', name: LOG_GROUP, subscriptionFilters: [] }],
    });
  });

  it('names the role and policy each removal acts on, in a dry run', () => {
    const role = {
      ...GOOD_ROLE,
      inlinePolicyNames: ['cloudtrail-to-cloudwatch-logs', 'extra'],
      attachedPolicyArns: [
        'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
        `arn:aws:iam::${ACCOUNT}:policy/team/Extra`,
      ],
    };
    const plan = planRemediation({ ...FRESH, role }, REQUEST);
    if (plan === null) throw new Error('expected a plan');
    const summary = summarizePlan(plan, true);
    expect(summary.outcome).toBe('DRY_RUN');
    expect(summary.dryRun).toBe(true);
    expect(
      summary.actions.slice(2).map(({ action, resource, status }) => [action, resource, status]),
    ).toEqual([
      ['CreateRole', ROLE, 'skipped'],
      ['UpdateAssumeRolePolicy', ROLE, 'skipped'],
      ['PutRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`, 'skipped'],
      ['DeleteRolePolicy', `${ROLE}/extra`, 'planned'],
      ['DetachRolePolicy', `${ROLE}/arn:aws:iam::aws:policy/CloudWatchLogsFullAccess`, 'planned'],
      ['DetachRolePolicy', `${ROLE}/arn:aws:iam::${ACCOUNT}:policy/team/Extra`, 'planned'],
      ['UpdateTrail', TRAIL_ARN, 'planned'],
    ]);
  });

  it('names the log group of a key association and the role of a boundary step', () => {
    const plan = planRemediation(
      { ...FRESH, role: GOOD_ROLE },
      { ...REQUEST, kmsKeyArn: KEY_ARN },
      {
        permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/DeliveryBoundary`,
      },
    );
    if (plan === null) throw new Error('expected a plan');
    expect(
      summarizePlan(plan, false).actions.map(({ action, resource, status }) => [action, resource, status]),
    ).toEqual([
      ['CreateLogGroup', LOG_GROUP, 'applied'],
      ['PutRetentionPolicy', LOG_GROUP, 'applied'],
      ['AssociateKmsKey', LOG_GROUP, 'applied'],
      ['CreateRole', ROLE, 'skipped'],
      ['PutRolePermissionsBoundary', ROLE, 'applied'],
      ['UpdateAssumeRolePolicy', ROLE, 'skipped'],
      ['PutRolePolicy', `${ROLE}/cloudtrail-to-cloudwatch-logs`, 'skipped'],
      ['UpdateTrail', TRAIL_ARN, 'applied'],
    ]);
  });

  it('reports empty ARNs for a compliant summary of a trail that names none', () => {
    expect(summarizeCompliant(FRESH.trail, false)).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: '',
      roleArn: '',
      outcome: 'ALREADY_COMPLIANT',
      actions: [],
      dryRun: false,
    });
  });

  it('reports an integrated trail as already compliant with its own ARNs', () => {
    const trail = { ...FRESH.trail, cloudWatchLogsLogGroupArn: 'lg:*', cloudWatchLogsRoleArn: 'role' };
    expect(summarizeCompliant(trail, true)).toEqual({
      trail: TRAIL_ARN,
      logGroupArn: 'lg:*',
      roleArn: 'role',
      outcome: 'ALREADY_COMPLIANT',
      actions: [],
      dryRun: true,
    });
  });
});
