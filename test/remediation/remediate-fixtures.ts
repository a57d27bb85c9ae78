import { cloudTrailLogsPolicy, cloudTrailTrustPolicy } from '../../remediation/integration/policies.js';
import type { RemediationRequest } from '../../remediation/payload.js';
import { ACCOUNT, type FakeRole, LOG_GROUP, REGION, ROLE, TRAIL_ARN, TRAIL_NAME } from './fake-aws.js';

/** What the orchestrator's tests (remediate*.test.ts) share: the request, and what the remediation writes. */

export const REQUEST: RemediationRequest = {
  trail: TRAIL_NAME,
  retentionInDays: 365,
  kmsKeyArn: undefined,
  dryRun: false,
};
/** The tags the remediation puts on the log group and role it creates. */
export const TAGS = { 'managed-by': 'cloudtrail-logs-guard', 'cloudtrail-logs-guard:trail-arn': TRAIL_ARN };
/** TAGS as IAM lists a role's tags. */
export const ROLE_TAGS = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }));
export const POLICY = cloudTrailLogsPolicy({
  partition: 'aws',
  region: REGION,
  account: ACCOUNT,
  logGroupName: LOG_GROUP,
  organizationId: undefined,
});
/** The remediation's own role as IAM holds it: the documented trust and policy, its tags, nothing else. */
export const OWN_ROLE: FakeRole = {
  path: '/cloudtrail-logs-guard/',
  trust: JSON.stringify(cloudTrailTrustPolicy()),
  inline: new Map([['cloudtrail-to-cloudwatch-logs', JSON.stringify(POLICY)]]),
  attached: [],
  tags: ROLE_TAGS,
};
/** The writes that integrate a fresh trail, in order. */
export const FRESH_WRITES = [
  `CreateLogGroup ${LOG_GROUP}`,
  `PutRetentionPolicy ${LOG_GROUP} 365`,
  `CreateRole ${ROLE}`,
  `PutRolePolicy ${ROLE}/cloudtrail-to-cloudwatch-logs`,
  `UpdateTrail ${TRAIL_ARN}`,
];
