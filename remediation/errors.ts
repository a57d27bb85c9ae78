/**
 * One error class per way the remediation can fail. Every message names the resource and what to do, and
 * the original SDK error stays reachable through `cause`: the SSM step shows the message, the Lambda log
 * keeps the chain.
 */

/** The payload the SSM document (or a person) passed is not usable; nothing was read or written. */
export class InvalidPayloadError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid remediation payload: ${problems.join('; ')}.`);
    this.name = 'InvalidPayloadError';
    this.problems = problems;
  }
}

/** The remediation Lambda's environment is not usable (a deployment defect); nothing was read or written. */
export class InvalidConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidConfigurationError';
  }
}

/** Where a trail not found here lives: its home region and owning account, as a copy seen here names them. */
export interface TrailElsewhere {
  readonly arn: string;
  readonly homeRegion: string;
  readonly account: string;
  readonly isOrganizationTrail: boolean;
}

function whereToRun(copy: TrailElsewhere, account: string): string {
  const kind = copy.isOrganizationTrail ? 'organization trail' : 'multi-region trail';
  const owner = copy.account === account ? '' : ` in account ${copy.account}`;
  return `${kind} ${copy.arn}: run the remediation in region ${copy.homeRegion}${owner}`;
}

/**
 * GetTrail does not know the trail in this account and region; nothing was created. When this region sees a
 * copy of a trail of that name (DescribeTrails with shadow trails), the message names where to run instead.
 */
export class TrailNotFoundError extends Error {
  readonly elsewhere: readonly TrailElsewhere[];

  constructor(
    trail: string,
    account: string,
    region: string,
    options?: ErrorOptions & { readonly elsewhere?: readonly TrailElsewhere[] },
  ) {
    const elsewhere = options?.elsewhere ?? [];
    super(
      elsewhere.length === 0
        ? `Trail ${trail} was not found in account ${account}, region ${region}. Check the name or ARN, and run ` +
            `the remediation in the account and region where the trail was created.`
        : `Trail ${trail} was not created in account ${account}, region ${region}: this region only sees a copy ` +
            `of ${elsewhere.map((copy) => whereToRun(copy, account)).join('; ')}. Nothing was changed.`,
      options,
    );
    this.name = 'TrailNotFoundError';
    this.elsewhere = elsewhere;
  }
}

/** The trail seen here is a copy (shadow) of a multi-region trail created in another region. */
export class TrailNotInHomeRegionError extends Error {
  readonly homeRegion: string;

  constructor(trailArn: string, homeRegion: string, region: string) {
    super(
      `Trail ${trailArn} is a copy of a multi-region trail in region ${region}; its home region is ` +
        `${homeRegion}. Nothing was changed: run the remediation in ${homeRegion}.`,
    );
    this.name = 'TrailNotInHomeRegionError';
    this.homeRegion = homeRegion;
  }
}

/** The trail belongs to another account (an organization trail seen from a member account). */
export class TrailOfOtherAccountError extends Error {
  readonly ownerAccount: string;

  constructor(trailArn: string, ownerAccount: string, account: string) {
    super(
      `Trail ${trailArn} belongs to account ${ownerAccount}, not to account ${account} where the remediation ` +
        `runs (an organization trail seen from a member account). Nothing was changed: run the remediation ` +
        `in account ${ownerAccount}.`,
    );
    this.name = 'TrailOfOtherAccountError';
    this.ownerAccount = ownerAccount;
  }
}

/**
 * The deployment's exemptions excuse the trail until a date: the remediation refuses it, before anything is
 * written, from every path (the Config console, automatic remediation, the organization hub, the CLI's fix).
 */
export class ExemptTrailError extends Error {
  readonly expires: string;
  readonly reference: string;

  constructor(
    trailArn: string,
    exemption: {
      readonly expires: string;
      readonly reason: string;
      readonly reference: string;
      readonly approver: string;
    },
  ) {
    super(
      `Trail ${trailArn} is exempt until ${exemption.expires}: ${exemption.reason} (${exemption.reference}, approved ` +
        `by ${exemption.approver}). Nothing was changed: the remediation refuses an exempt trail. To remediate it ` +
        "now, remove its exemption from the deployment's exemptions file and deploy the guard again.",
    );
    this.name = 'ExemptTrailError';
    this.expires = exemption.expires;
    this.reference = exemption.reference;
  }
}

/** What exists conflicts with what the remediation would create; a person has to decide. */
export class RemediationConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemediationConflictError';
  }
}

/**
 * A log group or role under the remediation's names exists but was not created by it (no managed-by tag), and
 * the operator did not opt in to adopt it: a trail pointed at it could send its events wherever that resource's
 * owner arranged. Thrown before any write.
 */
export class AdoptionRefusedError extends Error {
  readonly resources: readonly string[];

  constructor(trailArn: string, resources: readonly string[], createdByTag: string) {
    super(
      `Trail ${trailArn} was not changed: ${resources.join('; ')}. The remediation reuses only what carries its ` +
        `tag ${createdByTag}. Delete or rename what you do not trust and run the remediation again, or, after ` +
        'checking where it sends events, run it with AdoptExisting=true (CLI: --adopt-existing) to use it as it is.',
    );
    this.name = 'AdoptionRefusedError';
    this.resources = resources;
  }
}

/**
 * An integrated trail's log group, role or delivery is broken in a way the remediation may not repair (the
 * broken part is not one it created), or cannot see the cause of. Nothing was changed.
 */
export class IntegrationBrokenError extends Error {
  readonly problems: readonly string[];

  constructor(trailArn: string, problems: readonly string[]) {
    super(
      `Trail ${trailArn} names a CloudWatch Logs integration that is broken, and nothing was changed: ` +
        `${problems.join('; ')}.`,
    );
    this.name = 'IntegrationBrokenError';
    this.problems = problems;
  }
}

const ACCESS_DENIED = /AccessDenied|Unauthorized|AuthorizationError|NotAuthorized/;

/** An AWS API call failed for a reason the remediation does not handle; names the IAM action and resource. */
export class AwsCallError extends Error {
  readonly action: string;
  readonly resource: string;

  constructor(action: string, resource: string, cause: unknown) {
    const name = cause instanceof Error ? cause.name : 'Error';
    const detail = cause instanceof Error ? cause.message : String(cause);
    const hint = ACCESS_DENIED.test(name)
      ? ` The remediation Lambda's role needs ${action} on ${resource}.`
      : ' Fix the cause and run the remediation again; finished steps are not repeated.';
    super(`${action} on ${resource} failed: ${name}: ${detail}.${hint}`, { cause });
    this.name = 'AwsCallError';
    this.action = action;
    this.resource = resource;
  }
}

/** UpdateTrail kept failing with a transient error until the retry time bound ran out. */
export class UpdateTrailRetriesExhaustedError extends Error {
  readonly attempts: number;

  constructor(trailArn: string, roleArn: string, attempts: number, boundMs: number, cause: unknown) {
    const name = cause instanceof Error ? cause.name : 'Error';
    super(
      `UpdateTrail on ${trailArn} still failed with ${name} after ${attempts} attempts within the ` +
        `${boundMs} ms retry bound. IAM may not have propagated role ${roleArn} yet, the role cannot be ` +
        `assumed by cloudtrail.amazonaws.com, or the remediation Lambda's role lacks iam:PassRole on it: check ` +
        'those, then run the remediation again.',
      { cause },
    );
    this.name = 'UpdateTrailRetriesExhaustedError';
    this.attempts = attempts;
  }
}

/**
 * UpdateTrail rejected a role that neither this run nor a recent one created or changed, so IAM propagation
 * cannot explain it and retrying would only waste time.
 */
export class RoleNotUsableByCloudTrailError extends Error {
  constructor(trailArn: string, roleArn: string, createdAt: Date | undefined, cause: unknown) {
    const age = createdAt === undefined ? '' : ` (created ${createdAt.toISOString()})`;
    super(
      `UpdateTrail on ${trailArn} failed with InvalidCloudWatchLogsRoleArnException: role ${roleArn} exists${age} ` +
        'and this run did not change it, but CloudTrail cannot use it. Check that its trust policy lets ' +
        'cloudtrail.amazonaws.com assume it, that its permissions (and permissions boundary, and any service ' +
        'control policy) allow logs:CreateLogStream and logs:PutLogEvents on its log group, and that the ' +
        "remediation Lambda's role has iam:PassRole on it; then run the remediation again.",
      { cause },
    );
    this.name = 'RoleNotUsableByCloudTrailError';
  }
}

/** UpdateTrail succeeded but GetTrail does not read back the log group and role just set. */
export class VerificationError extends Error {
  constructor(trailArn: string, expected: string, actual: string) {
    super(
      `Trail ${trailArn} does not read back the CloudWatch Logs settings just written: expected ${expected}, ` +
        `found ${actual}. Another change may have raced this one; run the remediation again.`,
    );
    this.name = 'VerificationError';
  }
}

/**
 * A metric filter or alarm under the monitoring's names exists but is not the remediation's (another pattern or
 * metric, or an alarm without its tag): it is never changed, so nothing of the monitoring was written.
 */
export class MonitoringConflictError extends Error {
  readonly problems: readonly string[];

  constructor(trailArn: string, problems: readonly string[]) {
    super(
      `The CIS monitoring of trail ${trailArn} was not set up, because names it would use are taken by resources ` +
        `it did not create: ${problems.join('; ')}. Rename or delete them, then run the remediation again.`,
    );
    this.name = 'MonitoringConflictError';
    this.problems = problems;
  }
}

/**
 * The SNS topic the monitoring's alarms would notify is not in the account and region of the trail's log group
 * (where the alarms live): a re-run with another MonitoringTopicArn must never move the alarms to someone else's
 * topic. Thrown before any write.
 */
export class MonitoringTopicRefusedError extends Error {
  readonly topicArn: string;

  constructor(topicArn: string, account: string, region: string) {
    super(
      `The CIS monitoring was not set up and nothing was changed: SNS topic ${topicArn} is not a topic of account ` +
        `${account} in region ${region}, where the trail's log group and its alarms are. Give MonitoringTopicArn ` +
        `(CLI: --monitoring-topic) a topic of account ${account} in ${region}, or leave it empty for the ` +
        "deployment's topic.",
    );
    this.name = 'MonitoringTopicRefusedError';
    this.topicArn = topicArn;
  }
}

/** ListSubscriptionsByTopic does not know the alarms' topic: alarms notifying it would notify nobody. */
export class MonitoringTopicNotFoundError extends Error {
  constructor(topicArn: string, cause: unknown) {
    super(
      `The CIS monitoring was not set up: SNS topic ${topicArn} does not exist (ListSubscriptionsByTopic: ` +
        'NotFound), so its alarms would notify nobody. Name an existing topic in MonitoringTopicArn (CLI: ' +
        "--monitoring-topic), or deploy with context monitoring=true for the stack's topic, then run the " +
        'remediation again.',
      { cause },
    );
    this.name = 'MonitoringTopicNotFoundError';
  }
}

/**
 * CreateLogGroup or CreateRole answered "already exists": someone created the resource between the remediation's
 * read and its create. The orchestrator reads it anew and goes on only when it is the remediation's own (or
 * adopted); seen by an operator only when it happens twice in one run.
 */
export class CreatedMeanwhileError extends Error {
  readonly resourceType: 'log-group' | 'role';
  readonly resourceName: string;

  constructor(resourceType: 'log-group' | 'role', resourceName: string, cause: unknown) {
    const what = resourceType === 'log-group' ? 'log group' : 'role';
    super(
      `The ${what} ${resourceName} was created by someone else between the remediation's read and its create ` +
        `(again, after one re-read), and nothing was pointed at it. Run the remediation again: it reads the ${what} ` +
        'anew and uses it only when it carries its tag, or with AdoptExisting=true.',
      { cause },
    );
    this.name = 'CreatedMeanwhileError';
    this.resourceType = resourceType;
    this.resourceName = resourceName;
  }
}
