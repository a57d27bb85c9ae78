import {
  parseKmsKeyArn,
  parsePolicyArn,
  parseTrailArn,
  remediationRoleArn,
  type TrailArn,
  trailLogGroupArn,
} from './arns.js';
import {
  CREATED_BY_TAGS,
  logGroupNameFor,
  ROLE_PATH,
  ROLE_POLICY_NAME,
  roleNameFor,
  TRAIL_TAG_KEY,
} from './definition.js';
import {
  AdoptionRefusedError,
  RemediationConflictError,
  TrailNotInHomeRegionError,
  TrailOfOtherAccountError,
} from './errors.js';
import type { MonitoringSummary } from './monitoring.js';
import type { RemediationRequest } from './payload.js';
import { cloudTrailLogsPolicy, cloudTrailTrustPolicy, type PolicyDocument, samePolicy } from './policies.js';

/**
 * The pure half of the remediation: given what exists, decide what must change. No SDK, no environment.
 */

/** Where the remediation runs: the caller's account (STS) and the clients' region. */
export interface CallerContext {
  readonly account: string;
  readonly region: string;
}

/** The trail as GetTrail returns it. */
export interface TrailState {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly isOrganizationTrail: boolean;
  readonly cloudWatchLogsLogGroupArn: string | undefined;
  readonly cloudWatchLogsRoleArn: string | undefined;
}

/** A trail that names both halves of the integration. */
export type IntegratedTrailState = TrailState & {
  readonly cloudWatchLogsLogGroupArn: string;
  readonly cloudWatchLogsRoleArn: string;
};

/** A subscription filter of a log group: a copy of its events goes to `destinationArn`. */
export interface SubscriptionFilterState {
  readonly name: string;
  readonly destinationArn: string;
}

export interface LogGroupState {
  /** undefined: no retention policy, the events never expire. */
  readonly retentionInDays: number | undefined;
  readonly kmsKeyId: string | undefined;
  /**
   * Tagged with CREATED_BY_TAGS. Only such a group is reused without the operator's AdoptExisting; a group this
   * remediation created and then failed to set retention on gets it on the re-run, while an operator's "never
   * expire" is kept; only our own group's key may be replaced.
   */
  readonly createdByRemediation: boolean;
  /** Read only for a group not created by the remediation (empty otherwise): where else its events go. */
  readonly subscriptionFilters: readonly SubscriptionFilterState[];
}

export interface RoleState {
  readonly path: string;
  /** Parsed trust policy; undefined when IAM returned something that is not JSON. */
  readonly trustPolicy: unknown;
  readonly inlinePolicyNames: readonly string[];
  /** Parsed ROLE_POLICY_NAME document; undefined when the role has no such inline policy. */
  readonly remediationPolicy: unknown;
  readonly attachedPolicyArns: readonly string[];
  /** ARN of the role's permissions boundary; undefined when it has none. */
  readonly permissionsBoundaryArn: string | undefined;
  /** GetRole's CreateDate; undefined when IAM did not say. */
  readonly createdAt: Date | undefined;
  /** Tagged with CREATED_BY_TAGS (GetRole's Tags): only such a role is reused without AdoptExisting. */
  readonly createdByRemediation: boolean;
}

/** What CloudTrail says of its last delivery to CloudWatch Logs (GetTrailStatus in the home region). */
export interface DeliveryState {
  readonly latestDeliveryError: string | undefined;
  readonly latestDeliveryTime: Date | undefined;
}

/** The role an integrated trail names was not read: outside ROLE_PATH, where the remediation's role may not. */
export const ROLE_NOT_READ = 'not-read';

/** The log group an integrated trail names, as DescribeLogGroups shows it (its tags are not read). */
export interface IntegratedLogGroupState {
  readonly kmsKeyId: string | undefined;
}

/** What an integrated trail's CloudWatch Logs settings name, read where the trail lives (see repair.ts). */
export interface IntegrationState {
  /** The log group the trail names; undefined when it does not exist (or is not in this account and region). */
  readonly logGroup: IntegratedLogGroupState | undefined;
  /** The role the trail names; undefined when no role has that ARN. */
  readonly role: RoleState | undefined | typeof ROLE_NOT_READ;
  readonly delivery: DeliveryState;
}

/**
 * Everything the plan depends on. `logGroup` and `role` (the remediation's own names for the trail) are
 * undefined when the resource does not exist; they are not read when the trail is already integrated, whose
 * settings are read into `integration` instead.
 */
export interface RemediationState {
  readonly caller: CallerContext;
  readonly trail: TrailState;
  /** Organization id, read only for organization trails whose role may be written. */
  readonly organizationId: string | undefined;
  readonly logGroup: LogGroupState | undefined;
  readonly role: RoleState | undefined;
  /** Set for an integrated trail only. */
  readonly integration?: IntegrationState;
}

export type Operation =
  | {
      readonly type: 'CreateLogGroup';
      readonly logGroupName: string;
      readonly tags: Readonly<Record<string, string>>;
    }
  | { readonly type: 'PutRetentionPolicy'; readonly logGroupName: string; readonly retentionInDays: number }
  | { readonly type: 'AssociateKmsKey'; readonly logGroupName: string; readonly kmsKeyArn: string }
  | {
      readonly type: 'CreateRole';
      readonly roleName: string;
      readonly path: string;
      readonly trustPolicy: PolicyDocument;
      readonly description: string;
      readonly tags: Readonly<Record<string, string>>;
      /** Managed policy ARN set as the role's permissions boundary; absent for none. */
      readonly permissionsBoundary?: string;
    }
  | {
      readonly type: 'PutRolePermissionsBoundary';
      readonly roleName: string;
      readonly permissionsBoundary: string;
    }
  | {
      readonly type: 'UpdateAssumeRolePolicy';
      readonly roleName: string;
      readonly trustPolicy: PolicyDocument;
    }
  | {
      readonly type: 'PutRolePolicy';
      readonly roleName: string;
      readonly policyName: string;
      readonly policy: PolicyDocument;
    }
  | { readonly type: 'DeleteRolePolicy'; readonly roleName: string; readonly policyName: string }
  | { readonly type: 'DetachRolePolicy'; readonly roleName: string; readonly policyArn: string }
  | {
      readonly type: 'UpdateTrail';
      readonly trailArn: string;
      readonly logGroupArn: string;
      readonly roleArn: string;
    };

/** One step of the plan: `required` false means the resource is already as wanted (`detail` says why). */
export interface PlanStep {
  readonly operation: Operation;
  readonly required: boolean;
  readonly detail: string;
}

/** How the deployment wants roles built; not part of the operator's request. */
export interface PlanOptions {
  /**
   * Managed policy ARN every role created or repaired must carry as permissions boundary (the remediation
   * Lambda's IAM policy allows role writes only with it). @default no boundary: existing boundaries are kept
   */
  readonly permissionsBoundaryArn?: string | undefined;
}

/** A resource the remediation did not create, reused because the operator opted in (AdoptExisting). */
export interface AdoptedResource {
  readonly type: 'log-group' | 'role';
  /** Log group name or role name. */
  readonly name: string;
  /** Log group only: where copies of its events go. */
  readonly subscriptionFilters?: readonly SubscriptionFilterState[];
  /** Log group only: its KMS key; absent for none. */
  readonly kmsKeyId?: string;
}

export interface RemediationPlan {
  /** `integrate`: point a trail without integration at the log group and role; `repair`: fix what it names. */
  readonly kind: 'integrate' | 'repair';
  readonly trailArn: string;
  readonly logGroupName: string;
  /** In the form UpdateTrail requires (trailing `:*`). */
  readonly logGroupArn: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly steps: readonly PlanStep[];
  /** When the existing role was created (GetRole); undefined when the plan creates it or IAM did not say. */
  readonly roleCreatedAt: Date | undefined;
  /** What the operator let the remediation adopt; empty without AdoptExisting. */
  readonly adopted: readonly AdoptedResource[];
}

/**
 * Refuses to work on a copy of a trail: a trail owned by another account (an organization trail seen from a
 * member account), or a multi-region trail seen outside its home region. Only the owner, in the home region,
 * may change it. Returns the parsed trail ARN.
 */
export function assertTrailIsLocal(trail: TrailState, caller: CallerContext): TrailArn {
  // The account first (as the rule's evaluate does): another account's trail seen outside its home region
  // cannot be fixed from this account in any region, so "run in <home region>" would send the operator astray.
  const arn = parseTrailArn(trail.arn);
  if (arn?.account !== caller.account) {
    throw new TrailOfOtherAccountError(trail.arn, arn?.account ?? 'unknown', caller.account);
  }
  if (trail.homeRegion !== caller.region) {
    throw new TrailNotInHomeRegionError(trail.arn, trail.homeRegion, caller.region);
  }
  return arn;
}

/**
 * True when the trail already sends to CloudWatch Logs. Both ARNs are set together by UpdateTrail; a trail
 * with only one of them is not something this remediation may guess about.
 */
export function isIntegrated(trail: TrailState): trail is IntegratedTrailState {
  const hasLogGroup = trail.cloudWatchLogsLogGroupArn !== undefined && trail.cloudWatchLogsLogGroupArn !== '';
  const hasRole = trail.cloudWatchLogsRoleArn !== undefined && trail.cloudWatchLogsRoleArn !== '';
  if (hasLogGroup !== hasRole) {
    const half = hasLogGroup
      ? `log group ${trail.cloudWatchLogsLogGroupArn} but no role`
      : `role ${trail.cloudWatchLogsRoleArn} but no log group`;
    throw new RemediationConflictError(
      `Trail ${trail.arn} has ${half}. The remediation never repoints an existing integration: fix the trail ` +
        'by hand in the CloudTrail console.',
    );
  }
  return hasLogGroup;
}

/** CREATED_BY_TAGS as `key=value`, for messages. */
export const CREATED_BY_TAG_TEXT = Object.entries(CREATED_BY_TAGS)
  .map(([key, value]) => `${key}=${value}`)
  .join(', ');

/** `a -> arn, b -> arn` or `none`. */
export function describeSubscriptionFilters(filters: readonly SubscriptionFilterState[]): string {
  return filters.length === 0
    ? 'none'
    : filters.map((filter) => `${filter.name} -> ${filter.destinationArn}`).join(', ');
}

/** What an operator must know of a log group before its trail sends there: its filters and its key. */
export function describeLogGroupReach(logGroup: LogGroupState): string {
  return `subscription filters: ${describeSubscriptionFilters(logGroup.subscriptionFilters)}; KMS key: ${logGroup.kmsKeyId ?? 'none'}`;
}

/**
 * The log group steps for `logGroup` (undefined: create it). `createdDetail` says why it is created; a group
 * that exists but was not created by the remediation is reused only when adopted (see assertAdoptable).
 */
export function logGroupSteps(
  state: Pick<RemediationState, 'caller'>,
  logGroup: LogGroupState | undefined,
  request: RemediationRequest,
  name: string,
  tags: Record<string, string>,
  createdDetail = 'log group does not exist',
): PlanStep[] {
  const wanted = request.retentionInDays;
  const steps: PlanStep[] = [
    {
      operation: { type: 'CreateLogGroup', logGroupName: name, tags },
      required: logGroup === undefined,
      detail:
        logGroup === undefined
          ? createdDetail
          : logGroup.createdByRemediation
            ? 'log group exists; reused'
            : `log group exists, not created by this remediation; adopted as requested (${describeLogGroupReach(logGroup)})`,
    },
  ];
  const retention = { type: 'PutRetentionPolicy', logGroupName: name, retentionInDays: wanted } as const;
  if (logGroup === undefined) {
    steps.push({ operation: retention, required: true, detail: `retention set to ${wanted} days` });
  } else if (logGroup.retentionInDays === undefined && logGroup.createdByRemediation) {
    steps.push({ operation: retention, required: true, detail: `retention set to ${wanted} days` });
  } else if (logGroup.retentionInDays === undefined) {
    steps.push({ operation: retention, required: false, detail: 'log group never expires events; kept' });
  } else if (logGroup.retentionInDays < wanted) {
    steps.push({
      operation: retention,
      required: true,
      detail: `retention raised from ${logGroup.retentionInDays} to ${wanted} days`,
    });
  } else {
    steps.push({
      operation: retention,
      required: false,
      detail: `retention of ${logGroup.retentionInDays} days is not shorter than ${wanted}; kept`,
    });
  }
  if (request.kmsKeyArn !== undefined) {
    const keyRegion = parseKmsKeyArn(request.kmsKeyArn)?.region;
    if (keyRegion !== state.caller.region) {
      throw new RemediationConflictError(
        `KMS key ${request.kmsKeyArn} is in region ${keyRegion ?? 'unknown'}, but log group ${name} is in ` +
          `${state.caller.region}: CloudWatch Logs needs a key of the same region. Pass a key from ${state.caller.region}.`,
      );
    }
    const current = logGroup?.kmsKeyId;
    // The key often comes from the stack-wide kmsKeyArn context, not from a decision about this group: an
    // operator's key is never replaced behind their back.
    if (current !== undefined && current !== request.kmsKeyArn && logGroup?.createdByRemediation !== true) {
      throw new RemediationConflictError(
        `Log group ${name} is encrypted with KMS key ${current}, not ${request.kmsKeyArn}, and was not created ` +
          `by this remediation (no tag ${CREATED_BY_TAG_TEXT}): its key is not replaced and nothing was changed. ` +
          `To keep that key, run the remediation with KmsKeyArn set to it or empty; to use the other key, ` +
          'associate it yourself (aws logs associate-kms-key).',
      );
    }
    steps.push({
      operation: { type: 'AssociateKmsKey', logGroupName: name, kmsKeyArn: request.kmsKeyArn },
      required: current !== request.kmsKeyArn,
      detail:
        current === request.kmsKeyArn
          ? 'key already associated'
          : current === undefined
            ? 'key associated'
            : `key ${current} replaced as requested`,
    });
  }
  return steps;
}

function boundaryStep(roleName: string, current: string | undefined, wanted: string): PlanStep {
  return {
    operation: { type: 'PutRolePermissionsBoundary', roleName, permissionsBoundary: wanted },
    required: current !== wanted,
    detail:
      current === wanted
        ? `permissions boundary ${wanted} already set`
        : current === undefined
          ? `permissions boundary ${wanted} set`
          : `permissions boundary ${current} replaced with ${wanted}`,
  };
}

/**
 * The role steps for `role` (undefined: create it): bring it to the documented trust and policy, nothing else.
 * `createdDetail` says why it is created.
 */
export function roleSteps(
  role: RoleState | undefined,
  roleName: string,
  policy: PolicyDocument,
  description: string,
  tags: Record<string, string>,
  boundary: string | undefined,
  createdDetail = 'role does not exist',
): PlanStep[] {
  const trustPolicy = cloudTrailTrustPolicy();
  const putPolicy = { type: 'PutRolePolicy', roleName, policyName: ROLE_POLICY_NAME, policy } as const;
  const createRole = {
    type: 'CreateRole',
    roleName,
    path: ROLE_PATH,
    trustPolicy,
    description,
    tags,
    ...(boundary === undefined ? {} : { permissionsBoundary: boundary }),
  } as const;
  if (role === undefined) {
    return [
      {
        operation: createRole,
        required: true,
        detail:
          boundary === undefined
            ? createdDetail
            : `${createdDetail}; created with permissions boundary ${boundary}`,
      },
      { operation: putPolicy, required: true, detail: 'policy written' },
    ];
  }
  if (role.path !== ROLE_PATH) {
    throw new RemediationConflictError(
      `Role ${roleName} exists with path ${role.path}, not ${ROLE_PATH}: it was not created by this remediation. ` +
        'Rename or delete that role, then run the remediation again.',
    );
  }
  const trustOk = samePolicy(role.trustPolicy, trustPolicy);
  const policyOk = samePolicy(role.remediationPolicy, policy);
  // The boundary goes first: the Lambda's policy allows the trust and inline policy writes only on a role
  // that already carries it.
  const steps: PlanStep[] = [
    {
      operation: createRole,
      required: false,
      detail: role.createdByRemediation
        ? 'role exists; reused'
        : 'role exists, not created by this remediation; adopted as requested (its trust and policies are rewritten)',
    },
    ...(boundary === undefined ? [] : [boundaryStep(roleName, role.permissionsBoundaryArn, boundary)]),
    {
      operation: { type: 'UpdateAssumeRolePolicy', roleName, trustPolicy },
      required: !trustOk,
      detail: trustOk
        ? 'trust policy already as documented'
        : 'trust policy replaced with the documented one',
    },
    {
      operation: putPolicy,
      required: !policyOk,
      detail: policyOk
        ? 'policy already as documented'
        : role.remediationPolicy === undefined
          ? 'policy written'
          : 'policy replaced with the documented one',
    },
  ];
  for (const policyName of role.inlinePolicyNames.filter((name) => name !== ROLE_POLICY_NAME)) {
    steps.push({
      operation: { type: 'DeleteRolePolicy', roleName, policyName },
      required: true,
      detail: 'extra inline policy removed: the role may only write to its log group',
    });
  }
  for (const policyArn of role.attachedPolicyArns) {
    steps.push({
      operation: { type: 'DetachRolePolicy', roleName, policyArn },
      required: true,
      detail: 'managed policy detached: the role may only write to its log group',
    });
  }
  return steps;
}

/** IAM takes as boundary only a policy of the role's own account (or an AWS managed one). */
export function assertBoundaryUsable(boundary: string, caller: CallerContext): void {
  const account = parsePolicyArn(boundary)?.account;
  if (account === caller.account || account === 'aws') return;
  throw new RemediationConflictError(
    `Permissions boundary ${boundary} is not a managed policy of account ${caller.account}, where the role is ` +
      `created: IAM accepts only a policy of the role's own account. Configure the delivery boundary policy of ` +
      `account ${caller.account}.`,
  );
}

/**
 * The organization id a role's policy needs for an organization trail (its `<org id>_*` streams); undefined for
 * another trail. Throws when the trail is an organization trail and the id is unknown.
 */
export function organizationIdForRole(
  state: Pick<RemediationState, 'trail' | 'organizationId'>,
): string | undefined {
  const { trail } = state;
  if (!trail.isOrganizationTrail) return undefined;
  if (state.organizationId === undefined) {
    throw new RemediationConflictError(
      `Trail ${trail.arn} is an organization trail but the organization id is unknown: its role needs the ` +
        '<org id>_* stream pattern. Run the remediation in the management account with organizations:DescribeOrganization.',
    );
  }
  return state.organizationId;
}

/** The description of the role the remediation creates for a trail. */
export function roleDescription(trailName: string, logGroupName: string): string {
  return `Lets CloudTrail trail ${trailName} deliver its events to CloudWatch Logs group ${logGroupName}.`;
}

/** A log group the remediation did not create, as a refusal names it. */
export function foreignLogGroup(name: string, logGroup: LogGroupState): string {
  return `log group ${name} exists but was not created by this remediation (${describeLogGroupReach(logGroup)})`;
}

/** A role under ROLE_PATH the remediation did not create, as a refusal names it. */
export function foreignRole(name: string): string {
  return `role ${name} exists under ${ROLE_PATH} but was not created by this remediation (adopting it rewrites its trust policy and policies)`;
}

/**
 * The existing log group and role (under the remediation's names) it did not create: refused with
 * AdoptionRefusedError unless `request.adoptExisting`, else returned for the summary. A role outside ROLE_PATH
 * is left to roleSteps, which refuses it whatever the opt-in.
 */
export function adoptions(
  state: Pick<RemediationState, 'trail' | 'logGroup' | 'role'>,
  logGroupName: string,
  roleName: string,
  request: RemediationRequest,
): AdoptedResource[] {
  const { logGroup, role } = state;
  const adopted: AdoptedResource[] = [];
  const refusals: string[] = [];
  if (logGroup !== undefined && !logGroup.createdByRemediation) {
    refusals.push(foreignLogGroup(logGroupName, logGroup));
    adopted.push({
      type: 'log-group',
      name: logGroupName,
      subscriptionFilters: logGroup.subscriptionFilters,
      ...(logGroup.kmsKeyId === undefined ? {} : { kmsKeyId: logGroup.kmsKeyId }),
    });
  }
  if (role !== undefined && role.path === ROLE_PATH && !role.createdByRemediation) {
    refusals.push(foreignRole(roleName));
    adopted.push({ type: 'role', name: roleName });
  }
  if (refusals.length > 0 && request.adoptExisting !== true) {
    throw new AdoptionRefusedError(state.trail.arn, refusals, CREATED_BY_TAG_TEXT);
  }
  return adopted;
}

/**
 * Plans the remediation of one trail. Returns null when the trail already sends to CloudWatch Logs (it is
 * never repointed). Throws for a trail copy, an organization trail without its organization id, a log group or
 * role under the remediation's names that it did not create (unless `request.adoptExisting`), a role of the
 * same name outside ROLE_PATH, a KMS key from another region or one that would replace the key of a log group
 * this remediation did not create, or a permissions boundary of another account.
 * With `options.permissionsBoundaryArn`, a new role is created with that boundary and an existing role whose
 * boundary differs gets it (PutRolePermissionsBoundary) before anything else is written to it.
 */
export function planRemediation(
  state: RemediationState,
  request: RemediationRequest,
  options: PlanOptions = {},
): RemediationPlan | null {
  const { trail, caller } = state;
  const { partition } = assertTrailIsLocal(trail, caller);
  if (isIntegrated(trail)) return null;
  const boundary = options.permissionsBoundaryArn;
  if (boundary !== undefined) assertBoundaryUsable(boundary, caller);
  const organizationId = organizationIdForRole(state);
  const logGroupName = logGroupNameFor(trail.name);
  const roleName = roleNameFor(trail.name, trail.homeRegion);
  const adopted = adoptions(state, logGroupName, roleName, request);
  const logGroupArn = trailLogGroupArn(partition, caller.region, caller.account, logGroupName);
  const roleArn = remediationRoleArn(partition, caller.account, roleName);
  const tags = { ...CREATED_BY_TAGS, [TRAIL_TAG_KEY]: trail.arn };
  const policy = cloudTrailLogsPolicy({
    partition,
    region: caller.region,
    account: caller.account,
    logGroupName,
    organizationId,
  });
  const description = roleDescription(trail.name, logGroupName);
  return {
    kind: 'integrate',
    trailArn: trail.arn,
    logGroupName,
    logGroupArn,
    roleName,
    roleArn,
    steps: [
      ...logGroupSteps(state, state.logGroup, request, logGroupName, tags),
      ...roleSteps(state.role, roleName, policy, description, tags, boundary),
      {
        operation: { type: 'UpdateTrail', trailArn: trail.arn, logGroupArn, roleArn },
        required: true,
        detail: 'trail pointed at the log group and role',
      },
    ],
    roleCreatedAt: state.role?.createdAt,
    adopted,
  };
}

/** Plan operations after which IAM may still be propagating what CloudTrail needs to use the role. */
const ROLE_GRANTING_OPERATIONS: ReadonlySet<Operation['type']> = new Set([
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'PutRolePolicy',
  'PutRolePermissionsBoundary',
]);

/**
 * True when UpdateTrail's InvalidCloudWatchLogsRoleArnException may be IAM propagation and is worth retrying:
 * this plan creates the role or writes its trust policy, inline policy or boundary, or the role is younger than
 * `windowMs` at `nowMs` (an earlier run created it and failed; a creation time ahead of the clock counts as
 * young). An unknown creation time counts as old. Otherwise the role has been as it is for a while and retrying
 * cannot help.
 */
export function mayAwaitRolePropagation(plan: RemediationPlan, nowMs: number, windowMs: number): boolean {
  const changed = plan.steps.some(
    ({ operation, required }) => required && ROLE_GRANTING_OPERATIONS.has(operation.type),
  );
  if (changed) return true;
  return plan.roleCreatedAt !== undefined && nowMs - plan.roleCreatedAt.getTime() < windowMs;
}

export type ActionStatus = 'planned' | 'applied' | 'skipped';

/** One line of the summary the SSM console shows. */
export interface SummaryAction {
  /** The AWS API operation, e.g. CreateLogGroup. */
  readonly action: Operation['type'];
  /** Log group name, role name (or role/policy), or trail ARN. */
  readonly resource: string;
  readonly status: ActionStatus;
  readonly detail: string;
}

export type RemediationOutcome = 'ALREADY_COMPLIANT' | 'REMEDIATED' | 'REPAIRED' | 'DRY_RUN';

/** What the Lambda returns and the SSM step outputs. */
export interface RemediationSummary {
  readonly trail: string;
  readonly logGroupArn: string;
  readonly roleArn: string;
  readonly outcome: RemediationOutcome;
  readonly actions: readonly SummaryAction[];
  readonly dryRun: boolean;
  /** Present only when the operator let the remediation adopt something it did not create (AdoptExisting). */
  readonly adopted?: readonly AdoptedResource[];
  /** Present only when the request turned the CIS monitoring on (Monitoring): its filters and alarms. */
  readonly monitoring?: MonitoringSummary;
}

function resourceOf(operation: Operation): string {
  switch (operation.type) {
    case 'CreateLogGroup':
    case 'PutRetentionPolicy':
    case 'AssociateKmsKey':
      return operation.logGroupName;
    case 'CreateRole':
    case 'PutRolePermissionsBoundary':
    case 'UpdateAssumeRolePolicy':
      return operation.roleName;
    case 'PutRolePolicy':
    case 'DeleteRolePolicy':
      return `${operation.roleName}/${operation.policyName}`;
    case 'DetachRolePolicy':
      return `${operation.roleName}/${operation.policyArn}`;
    case 'UpdateTrail':
      return operation.trailArn;
  }
}

/** One step as a summary line: required steps `planned` (dry run) or `applied`, the others `skipped`. */
export function summarizeStep(step: PlanStep, dryRun: boolean): SummaryAction {
  return {
    action: step.operation.type,
    resource: resourceOf(step.operation),
    status: step.required ? (dryRun ? 'planned' : 'applied') : 'skipped',
    detail: step.detail,
  };
}

/**
 * The summary of a plan: each step as {@link summarizeStep} describes it; outcome REMEDIATED for a trail newly
 * integrated, REPAIRED for an integration repaired in place.
 */
export function summarizePlan(plan: RemediationPlan, dryRun: boolean): RemediationSummary {
  return {
    trail: plan.trailArn,
    logGroupArn: plan.logGroupArn,
    roleArn: plan.roleArn,
    outcome: dryRun ? 'DRY_RUN' : plan.kind === 'repair' ? 'REPAIRED' : 'REMEDIATED',
    actions: plan.steps.map((step) => summarizeStep(step, dryRun)),
    dryRun,
    ...(plan.adopted.length === 0 ? {} : { adopted: plan.adopted }),
  };
}

/** The summary of a trail that already sends to CloudWatch Logs: nothing done, its own ARNs reported. */
export function summarizeCompliant(trail: TrailState, dryRun: boolean): RemediationSummary {
  return {
    trail: trail.arn,
    logGroupArn: trail.cloudWatchLogsLogGroupArn ?? '',
    roleArn: trail.cloudWatchLogsRoleArn ?? '',
    outcome: 'ALREADY_COMPLIANT',
    actions: [],
    dryRun,
  };
}
