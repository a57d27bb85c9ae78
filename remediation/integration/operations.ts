import type { Step } from '../actions.js';
import type { PolicyDocument } from './policies.js';
import type { SubscriptionFilterState } from './state.js';

/**
 * The shape of the integration's plan: the AWS operations it may take, one union per resource (the trail, its
 * log group, its role), the plan's steps and the plan itself. The planners build it, the orchestrator
 * (remediation/remediate.ts) hands each operation to the writer of its resource. Types only.
 */

export type LogGroupOperation =
  | {
      readonly type: 'CreateLogGroup';
      readonly logGroupName: string;
      readonly tags: Readonly<Record<string, string>>;
    }
  | { readonly type: 'PutRetentionPolicy'; readonly logGroupName: string; readonly retentionInDays: number }
  | { readonly type: 'AssociateKmsKey'; readonly logGroupName: string; readonly kmsKeyArn: string };

export type RoleOperation =
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
  | { readonly type: 'DetachRolePolicy'; readonly roleName: string; readonly policyArn: string };

export interface UpdateTrailOperation {
  readonly type: 'UpdateTrail';
  readonly trailArn: string;
  readonly logGroupArn: string;
  readonly roleArn: string;
}

export type Operation = LogGroupOperation | RoleOperation | UpdateTrailOperation;

/** One step of the plan: `required` false means the resource is already as wanted (`detail` says why). */
export type PlanStep = Step<Operation>;

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
  /**
   * The log group reused because it carries the remediation's tag, with where else its events go: anyone allowed
   * to tag a log group can make it look like the remediation's, so its filters are shown like an adopted one's.
   * Empty when the plan creates the log group, adopts it, or repairs an integrated trail.
   */
  readonly reused: readonly AdoptedResource[];
}
