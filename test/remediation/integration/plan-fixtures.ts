import { planRemediation } from '../../../remediation/integration/integrate.js';
import { cloudTrailLogsPolicy, cloudTrailTrustPolicy } from '../../../remediation/integration/policies.js';
import type { RemediationState, RoleState } from '../../../remediation/integration/state.js';
import { summarizePlan } from '../../../remediation/integration/summary.js';
import type { RemediationRequest } from '../../../remediation/payload.js';

/** The states, request and policy the integration's plan tests share: a fresh trail of one account in us-east-1. */

export const ACCOUNT = '111122223333';
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;
export const LOG_GROUP = '/cloudtrail-logs-guard/management-events';
export const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LOG_GROUP}:*`;
export const ROLE = 'CloudTrailToLogs-us-east-1-management-events';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/${ROLE}`;
export const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

export const FRESH: RemediationState = {
  caller: { account: ACCOUNT, region: 'us-east-1' },
  trail: {
    name: 'management-events',
    arn: TRAIL_ARN,
    homeRegion: 'us-east-1',
    isOrganizationTrail: false,
    cloudWatchLogsLogGroupArn: undefined,
    cloudWatchLogsRoleArn: undefined,
  },
  organizationId: undefined,
  logGroup: undefined,
  role: undefined,
};
export const REQUEST: RemediationRequest = {
  trail: 'management-events',
  retentionInDays: 365,
  kmsKeyArn: undefined,
  dryRun: false,
};
export const POLICY = cloudTrailLogsPolicy({
  partition: 'aws',
  region: 'us-east-1',
  account: ACCOUNT,
  logGroupName: LOG_GROUP,
  organizationId: undefined,
});
export const GOOD_ROLE: RoleState = {
  path: '/cloudtrail-logs-guard/',
  trustPolicy: cloudTrailTrustPolicy(),
  inlinePolicyNames: ['cloudtrail-to-cloudwatch-logs'],
  remediationPolicy: POLICY,
  attachedPolicyArns: [],
  permissionsBoundaryArn: undefined,
  createdAt: new Date('2026-11-01T00:00:00Z'),
  createdByRemediation: true,
};
export const ADOPTED_GROUP_DETAIL =
  'log group exists, not created by this remediation; adopted as requested (subscription filters: none; KMS key: none)';

/** The plan's steps as [action, status, detail], planned as a dry run. */
export function actions(state: RemediationState, request: RemediationRequest = REQUEST) {
  const plan = planRemediation(state, request);
  if (plan === null) throw new Error('expected a plan');
  return summarizePlan(plan, true).actions.map(({ action, status, detail }) => [action, status, detail]);
}
