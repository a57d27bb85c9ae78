import { ACCOUNT_ID_PATTERN, ROLE_NAME_PATTERN } from '../common/aws-identifiers.js';
import { isTrailName, parseKmsKeyArn, parsePolicyArn, parseTrailArn, TOPIC_ARN_PATTERN } from './arns.js';
import {
  DEFAULT_RETENTION_DAYS,
  MONITORING_PAYLOAD_KEY,
  ORGANIZATION_PAYLOAD_KEY,
  PAYLOAD_KEY,
  VALID_RETENTION_DAYS,
} from './definition.js';
import { InvalidPayloadError } from './errors.js';

export type RetentionDays = (typeof VALID_RETENTION_DAYS)[number];

/** A validated remediation request: what the operator asked for, before anything is read from AWS. */
export interface RemediationRequest {
  /** Trail name or trail ARN, as given. */
  readonly trail: string;
  readonly retentionInDays: RetentionDays;
  /** KMS key to associate with the log group; undefined means none (the SSM document sends '' for none). */
  readonly kmsKeyArn: string | undefined;
  readonly dryRun: boolean;
  /**
   * The operator's opt-in to reuse a log group or role under the remediation's names that it did not create
   * (no CREATED_BY_TAGS). Absent or false: such a resource is refused before any write.
   */
  readonly adoptExisting?: boolean;
  /**
   * The operator's opt-in to the CIS monitoring (CloudWatch.1-14): metric filters and alarms on the trail's log
   * group. Absent or false: off.
   */
  readonly monitoring?: boolean;
  /** SNS topic the monitoring's alarms notify; absent (or '' in the payload): the deployment's topic. */
  readonly monitoringTopicArn?: string;
  /** Organization mode: the account to act in, when it may differ from the Lambda's own. */
  readonly targetAccountId?: string;
  /** Organization mode: the role to assume in `targetAccountId`. */
  readonly executionRoleName?: string;
  /** Organization mode: the delivery boundary of `targetAccountId`, for the roles created there. */
  readonly permissionsBoundaryArn?: string;
  /** Organization mode: the Automation execution that sent the request, the hub's proof of it. */
  readonly automationExecutionId?: string;
}

const KNOWN_KEYS: ReadonlySet<string> = new Set([
  ...Object.values(PAYLOAD_KEY),
  ...Object.values(ORGANIZATION_PAYLOAD_KEY),
  ...Object.values(MONITORING_PAYLOAD_KEY),
]);
const DIGITS = /^\d+$/;
// GetAutomationExecution: "Length Constraints: Fixed length of 36" (a UUID); the characters are kept loose on
// purpose, since SSM checks the id itself and a refusal here would block every remediation.
// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetAutomationExecution.html
const AUTOMATION_EXECUTION_ID = /^[A-Za-z0-9-]{36}$/;

function isRetentionDays(value: number): value is RetentionDays {
  return (VALID_RETENTION_DAYS as readonly number[]).includes(value);
}

function parseTrail(value: unknown, problems: string[]): string {
  const key = PAYLOAD_KEY.trailName;
  if (value === undefined) {
    problems.push(`${key} is missing: give the trail name or ARN`);
    return '';
  }
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push(`${key} must be a non-empty string (the trail name or ARN), got ${JSON.stringify(value)}`);
    return '';
  }
  if (value.startsWith('arn:')) {
    if (!parseTrailArn(value)) {
      problems.push(
        `${key} ${value} is not a trail ARN (arn:<partition>:cloudtrail:<region>:<account>:trail/<name>)`,
      );
    }
  } else if (!isTrailName(value)) {
    problems.push(`${key} ${JSON.stringify(value)} is not a valid trail name or ARN`);
  }
  return value;
}

// SSM substitutes Integer and Boolean parameters into the JSON payload as bare literals; people invoking the
// Lambda by hand sometimes quote them. Both forms are accepted, nothing else.
function parseRetention(value: unknown, problems: string[]): RetentionDays {
  if (value === undefined) return DEFAULT_RETENTION_DAYS;
  const days = typeof value === 'string' && DIGITS.test(value) ? Number(value) : value;
  if (typeof days === 'number' && isRetentionDays(days)) return days;
  problems.push(
    `${PAYLOAD_KEY.retentionInDays} ${JSON.stringify(value)} is not a retention CloudWatch Logs accepts ` +
      `(${VALID_RETENTION_DAYS.join(', ')})`,
  );
  return DEFAULT_RETENTION_DAYS;
}

// SSM String parameters cannot be absent, so the document's default for KmsKeyArn is '': it means "no key".
function parseKmsKey(value: unknown, problems: string[]): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' && parseKmsKeyArn(value)) return value;
  problems.push(
    `${PAYLOAD_KEY.kmsKeyArn} ${JSON.stringify(value)} is not a KMS key ARN ` +
      `(arn:<partition>:kms:<region>:<account>:key/<key id>), or '' for none`,
  );
  return undefined;
}

function parseFlag(key: string, value: unknown, problems: string[]): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  problems.push(`${key} must be true or false, got ${JSON.stringify(value)}`);
  return false;
}

// Monitoring keys are optional and kept out of the request when absent (off by default).
function parseMonitoringKeys(fields: Record<string, unknown>, problems: string[]) {
  const K = MONITORING_PAYLOAD_KEY;
  const on = fields[K.monitoring];
  const topic = fields[K.monitoringTopicArn];
  if (topic !== undefined && topic !== '' && (typeof topic !== 'string' || !TOPIC_ARN_PATTERN.test(topic))) {
    problems.push(
      `${K.monitoringTopicArn} must be an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>), or '' for the deployment's topic, got ${JSON.stringify(topic)}`,
    );
  }
  return {
    ...(on === undefined ? {} : { monitoring: parseFlag(K.monitoring, on, problems) }),
    ...(typeof topic === 'string' && topic !== '' ? { monitoringTopicArn: topic } : {}),
  };
}

// Organization keys are optional; when present each must be well formed (the credentials and the boundary
// they select are checked again by STS and IAM).
function parseOrganizationKeys(fields: Record<string, unknown>, problems: string[]) {
  const K = ORGANIZATION_PAYLOAD_KEY;
  const account = fields[K.targetAccountId];
  const role = fields[K.executionRoleName];
  const boundary = fields[K.permissionsBoundaryArn];
  const execution = fields[K.automationExecutionId];
  if (account !== undefined && (typeof account !== 'string' || !ACCOUNT_ID_PATTERN.test(account))) {
    problems.push(`${K.targetAccountId} must be a 12-digit account id, got ${JSON.stringify(account)}`);
  }
  if (role !== undefined && (typeof role !== 'string' || !ROLE_NAME_PATTERN.test(role))) {
    problems.push(
      `${K.executionRoleName} must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got ${JSON.stringify(role)}`,
    );
  }
  if (boundary !== undefined && (typeof boundary !== 'string' || parsePolicyArn(boundary) === undefined)) {
    problems.push(
      `${K.permissionsBoundaryArn} must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>), got ${JSON.stringify(boundary)}`,
    );
  }
  if (
    execution !== undefined &&
    (typeof execution !== 'string' || !AUTOMATION_EXECUTION_ID.test(execution))
  ) {
    problems.push(
      `${K.automationExecutionId} must be an Automation execution id (36 characters, as {{automation:EXECUTION_ID}} gives it), got ${JSON.stringify(execution)}`,
    );
  }
  return {
    ...(typeof account === 'string' ? { targetAccountId: account } : {}),
    ...(typeof role === 'string' ? { executionRoleName: role } : {}),
    ...(typeof boundary === 'string' ? { permissionsBoundaryArn: boundary } : {}),
    ...(typeof execution === 'string' ? { automationExecutionId: execution } : {}),
  };
}

/**
 * Validates the Lambda payload `{ TrailName, RetentionInDays?, KmsKeyArn?, DryRun?, AdoptExisting? }` and reports every
 * problem at once. Throws InvalidPayloadError before any AWS call.
 */
export function parseRemediationPayload(payload: unknown): RemediationRequest {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidPayloadError([
      `expected a JSON object with ${Object.values(PAYLOAD_KEY).join(', ')}, got ${JSON.stringify(payload) ?? 'undefined'}`,
    ]);
  }
  const fields = payload as Record<string, unknown>;
  const problems: string[] = [];
  const unknown = Object.keys(fields).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length > 0) {
    problems.push(`unknown keys ${unknown.join(', ')} (allowed: ${[...KNOWN_KEYS].join(', ')})`);
  }
  const request: RemediationRequest = {
    trail: parseTrail(fields[PAYLOAD_KEY.trailName], problems),
    retentionInDays: parseRetention(fields[PAYLOAD_KEY.retentionInDays], problems),
    kmsKeyArn: parseKmsKey(fields[PAYLOAD_KEY.kmsKeyArn], problems),
    dryRun: parseFlag(PAYLOAD_KEY.dryRun, fields[PAYLOAD_KEY.dryRun], problems),
    ...(fields[PAYLOAD_KEY.adoptExisting] === undefined
      ? {}
      : { adoptExisting: parseFlag(PAYLOAD_KEY.adoptExisting, fields[PAYLOAD_KEY.adoptExisting], problems) }),
    ...parseMonitoringKeys(fields, problems),
    ...parseOrganizationKeys(fields, problems),
  };
  if (problems.length > 0) throw new InvalidPayloadError(problems);
  return request;
}
