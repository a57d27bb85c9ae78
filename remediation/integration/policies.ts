/**
 * The two IAM documents the remediation writes on each role. Pure: no I/O.
 */

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow';
  readonly Principal?: { readonly Service: string };
  readonly Action: string | readonly string[];
  readonly Resource?: readonly string[];
}

/**
 * Trust policy of the CloudWatch Logs role: cloudtrail.amazonaws.com, and deliberately no `aws:SourceArn` /
 * `aws:SourceAccount` condition. CloudTrail does not send those keys when it assumes this role; the CloudTrail
 * User Guide page "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html)
 * says confused-deputy conditions are not applicable to this role and not supported, and a trust policy that
 * has them makes every delivery fail. The permissions policy below limits what the role can do instead.
 */
export function cloudTrailTrustPolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' },
    ],
  };
}

export interface LogsPolicyScope {
  readonly partition: string;
  /** The trail's home region: the log group lives there and stream names carry it. */
  readonly region: string;
  readonly account: string;
  readonly logGroupName: string;
  /** Set for organization trails only: member accounts' events arrive in streams named `<org id>_...`. */
  readonly organizationId: string | undefined;
}

/**
 * Permissions policy of the role, in the shape of the CloudTrail User Guide page cited above: only
 * logs:CreateLogStream and logs:PutLogEvents, only on this log group's streams named
 * `<account>_CloudTrail_<region>*` ("CloudWatch log group and log stream naming for CloudTrail": CloudTrail
 * names streams `account_ID_CloudTrail_trail_region[_number]`), plus `<org id>_*` for organization trails.
 */
export function cloudTrailLogsPolicy(scope: LogsPolicyScope): PolicyDocument {
  const streams = `arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:${scope.logGroupName}:log-stream:`;
  const resources = [`${streams}${scope.account}_CloudTrail_${scope.region}*`];
  if (scope.organizationId !== undefined) resources.push(`${streams}${scope.organizationId}_*`);
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'AWSCloudTrailCreateLogStream',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream'],
        Resource: resources,
      },
      {
        Sid: 'AWSCloudTrailPutLogEvents',
        Effect: 'Allow',
        Action: ['logs:PutLogEvents'],
        Resource: resources,
      },
    ],
  };
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(normalize).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return items.length === 1 ? items[0] : items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, normalize((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * True when two IAM documents mean the same: IAM keeps documents as written, so key order, array order and
 * `"x"` versus `["x"]` are ignored.
 */
export function samePolicy(a: unknown, b: unknown): boolean {
  return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
}

/** Parses a document as IAM returns it (URL-encoded JSON); undefined when it is not JSON. */
export function decodePolicy(encoded: string | undefined): unknown {
  if (encoded === undefined) return undefined;
  try {
    return JSON.parse(decodeURIComponent(encoded));
  } catch {
    // A document we cannot read cannot be the documented one: undefined makes the plan rewrite it.
    return undefined;
  }
}

const CLOUDTRAIL_SERVICE = 'cloudtrail.amazonaws.com';
const ASSUME_ROLE_ACTIONS: ReadonlySet<string> = new Set(['sts:assumerole', 'sts:*', '*']);

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function letsCloudTrailAssume(statement: Record<string, unknown>): boolean {
  const service = strings(record(statement.Principal)?.Service);
  const actions = strings(statement.Action).map((action) => action.toLowerCase());
  return service.includes(CLOUDTRAIL_SERVICE) && actions.some((action) => ASSUME_ROLE_ACTIONS.has(action));
}

/**
 * True when a trust policy (parsed) lets cloudtrail.amazonaws.com assume the role as CloudTrail does: an Allow
 * statement for that service principal and sts:AssumeRole without a Condition (CloudTrail sends no
 * aws:SourceArn or aws:SourceAccount, see cloudTrailTrustPolicy, so a conditioned statement never matches),
 * and no Deny statement for it. A role judged by this is one the remediation did not create; its own roles
 * are compared with the documented policy instead.
 */
export function trustsCloudTrail(trustPolicy: unknown): boolean {
  const statement = record(trustPolicy)?.Statement;
  const items: unknown[] = Array.isArray(statement) ? statement : [statement];
  const statements = items.flatMap((item): Record<string, unknown>[] => {
    const found = record(item);
    return found === undefined ? [] : [found];
  });
  const denied = statements.some((item) => item.Effect === 'Deny' && letsCloudTrailAssume(item));
  return (
    !denied &&
    statements.some(
      (item) => item.Effect === 'Allow' && item.Condition === undefined && letsCloudTrailAssume(item),
    )
  );
}
