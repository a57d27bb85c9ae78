import { createHash } from 'node:crypto';
import { CREATED_BY_TAGS, PROJECT_NAME } from '../common/project.js';

/**
 * Names the remediation creates, shared by the remediation Lambda (which creates them) and the CDK stacks
 * (which scope the Lambda's IAM permissions to exactly these names). Pure: no I/O. The project's name and
 * its tag are in common/project.ts.
 */

/** Every log group the remediation creates lives under this prefix: `/cloudtrail-logs-guard/<trail name>`. */
export const LOG_GROUP_PREFIX = `/${PROJECT_NAME}/`;

/** Every IAM role the remediation creates lives under this path; the Lambda may touch no other role. */
export const ROLE_PATH = `/${PROJECT_NAME}/`;

/** Name of the inline policy the remediation writes on each role. */
export const ROLE_POLICY_NAME = 'cloudtrail-to-cloudwatch-logs';

/** Tag key that records which trail a log group or role was created for. */
export const TRAIL_TAG_KEY = `${PROJECT_NAME}:trail-arn`;

/** The tags on each log group, role and alarm the remediation creates for a trail: CREATED_BY_TAGS and its ARN. */
export function tagsForTrail(trailArn: string): Record<string, string> {
  return { ...CREATED_BY_TAGS, [TRAIL_TAG_KEY]: trailArn };
}

/** Retention CloudWatch Logs accepts (PutRetentionPolicy), in days. */
export const VALID_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const DEFAULT_RETENTION_DAYS = 365;

/** Payload keys the SSM Automation document passes to the remediation Lambda. */
export const PAYLOAD_KEY = {
  trailName: 'TrailName',
  retentionInDays: 'RetentionInDays',
  kmsKeyArn: 'KmsKeyArn',
  dryRun: 'DryRun',
  adoptExisting: 'AdoptExisting',
} as const;

/**
 * Payload keys of organization mode, sent by the spoke's Automation document to the hub's Lambda: the account
 * the automation runs in (`{{global:ACCOUNT_ID}}`), the spoke role to assume there, that account's delivery
 * boundary, and the execution's own id (`{{automation:EXECUTION_ID}}`), which the hub reads back in that
 * account as proof of the request (remediation/organization/execution-proof.ts). Absent in single-account mode.
 */
export const ORGANIZATION_PAYLOAD_KEY = {
  targetAccountId: 'TargetAccountId',
  executionRoleName: 'ExecutionRoleName',
  permissionsBoundaryArn: 'PermissionsBoundaryArn',
  automationExecutionId: 'AutomationExecutionId',
} as const;

const ROLE_NAME_MAX = 64;
/** Start of every role name (see roleNameFor); infra scopes the look-up of a role that may not exist yet to it. */
export const ROLE_NAME_BASE = 'CloudTrailToLogs';

/**
 * Log group for a trail. Trail names (3-128 of `[A-Za-z0-9._-]`) are valid log group characters, so the
 * name is readable and stable; the prefix keeps it clear of the reserved `aws/` start.
 */
export function logGroupNameFor(trailName: string): string {
  return `${LOG_GROUP_PREFIX}${trailName}`;
}

/**
 * IAM role for a trail. IAM is global while trail names are unique only per region, so the home region is
 * part of the name; names longer than IAM's 64 characters are shortened and made unique with a hash.
 */
export function roleNameFor(trailName: string, homeRegion: string): string {
  const full = `${ROLE_NAME_BASE}-${homeRegion}-${trailName}`;
  if (full.length <= ROLE_NAME_MAX) return full;
  const hash = createHash('sha256').update(`${homeRegion}/${trailName}`).digest('hex').slice(0, 8);
  return `${full.slice(0, ROLE_NAME_MAX - hash.length - 1)}-${hash}`;
}

/**
 * Upper bound on the time spent retrying UpdateTrail while a new role propagates through IAM (well-known tools
 * wait about two minutes). The remediation Lambda's timeout must exceed it; infra derives the timeout from it.
 */
export const UPDATE_TRAIL_RETRY_BOUND_MS = 120_000;

/**
 * Environment variable of the remediation Lambda naming the customer managed policy (the delivery boundary)
 * that every role it creates or repairs carries as permissions boundary; its IAM policy allows role writes
 * only with that boundary. Unset (the CLI with an operator's credentials): roles get no boundary.
 */
export const PERMISSIONS_BOUNDARY_ENV = 'PERMISSIONS_BOUNDARY_ARN';

/**
 * Environment variable of the organization hub's remediation Lambda: the name of the spoke's Automation
 * document. When set, the Lambda acts in an account only for an execution of that document running there,
 * read back with ssm:GetAutomationExecution (remediation/organization/gate.ts); unset in single-account mode.
 */
export const PROOF_DOCUMENT_ENV = 'PROOF_DOCUMENT_NAME';

/**
 * Environment variable of the organization hub's remediation Lambda: the KMS key the spokes of its region were
 * deployed with, the one key outside the target account a request may name. Unset or empty: none.
 */
export const SPOKE_KMS_KEY_ENV = 'SPOKE_KMS_KEY_ARN';

/**
 * Payload keys of the opt-in CIS monitoring (remediation/monitoring/): `Monitoring` turns it on (absent or false:
 * off, nothing about monitoring is read or written); `MonitoringTopicArn` names the SNS topic the alarms notify
 * ('' or absent: the topic of MONITORING_TOPIC_ENV).
 */
export const MONITORING_PAYLOAD_KEY = {
  monitoring: 'Monitoring',
  monitoringTopicArn: 'MonitoringTopicArn',
} as const;

/**
 * Environment variable of the remediation Lambda: the SNS topic the stack created for the monitoring alarms, used
 * when a request asks for monitoring without naming a topic. Unset or empty: such a request is refused.
 */
export const MONITORING_TOPIC_ENV = 'MONITORING_TOPIC_ARN';

/**
 * Start of every metric filter name and alarm name the monitoring creates; infra scopes cloudwatch:PutMetricAlarm to
 * alarms named so, and the remediation never touches a filter or alarm without it.
 */
export const MONITORING_NAME_PREFIX = `${PROJECT_NAME}-`;

/** CloudWatch namespace of the metrics the monitoring's filters publish. */
export const MONITORING_METRIC_NAMESPACE = PROJECT_NAME;
