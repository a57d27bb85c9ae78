import { remediationState } from './trails.js';

/**
 * The setting both hub-side refusal tiers share (fail-closed.test.ts, organization-proof.test.ts): the remediation
 * Lambda runs as a function of HUB, which holds nothing, and a payload claims to come from the spoke of MEMBER
 * (moto's default account), which holds the trail. One definition, so both tiers send the same claim.
 */

export const REGION = 'us-east-1';
export const MEMBER = '123456789012';
export const HUB = '111111111111';
export const TRAIL = 'member-trail';
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${MEMBER}:trail/${TRAIL}`;

/** A Lambda context of the remediation function deployed in `account`. */
export function remediationContext(account: string) {
  return {
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${account}:function:cloudtrail-logs-guard-remediation`,
  };
}

/** What the spoke document sends, minus the execution id: the caller claims to come from MEMBER. */
export const SPOKE_CLAIM = {
  TrailName: TRAIL_ARN,
  RetentionInDays: 1,
  KmsKeyArn: '',
  DryRun: false,
  TargetAccountId: MEMBER,
  ExecutionRoleName: 'cloudtrail-logs-guard-fix-us-east-1',
  PermissionsBoundaryArn: `arn:aws:iam::${MEMBER}:policy/cloudtrail-logs-guard/boundary`,
};

/** The member trail's CloudWatch Logs settings and what the remediation would have created for it. */
export const memberState = () => remediationState(TRAIL_ARN);
