import type { CallerContext } from '../actions.js';

/**
 * What the integration's plan reads: the trail as GetTrail returns it, and the log group, role and delivery
 * status around it. The orchestrator (remediation/remediate.ts) fills one RemediationState with the readers
 * (trail-api.ts, log-group-api.ts, role-api.ts) and hands it to the pure planners (integrate.ts, repair.ts).
 */

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
