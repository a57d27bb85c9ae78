import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  LOG_GROUP_PREFIX,
  MONITORING_NAME_PREFIX,
  MONITORING_TOPIC_ENV,
  PERMISSIONS_BOUNDARY_ENV,
  ROLE_NAME_BASE,
  ROLE_PATH,
  UPDATE_TRAIL_RETRY_BOUND_MS,
} from '../remediation/definition.js';
import { LAMBDA_ENTRY } from './bundling.js';
import type { LogLevel, RetentionDays } from './context.js';
import { DeliveryBoundary } from './delivery-boundary.js';
import type { DeploymentExemptions } from './exemptions.js';
import { GuardFunction } from './guard-function.js';

/**
 * Time the remediation needs besides waiting for IAM propagation: the log group, role and policy calls and
 * the final GetTrail, each a single request.
 */
export const REMEDIATION_TIMEOUT_MARGIN = Duration.seconds(60);

/** Covers the UpdateTrail retry bound plus the other calls, so Lambda never cuts the retry loop short. */
export const REMEDIATION_TIMEOUT = Duration.millis(
  UPDATE_TRAIL_RETRY_BOUND_MS + REMEDIATION_TIMEOUT_MARGIN.toMilliseconds(),
);

/** ARN patterns the remediation may act on, in one account. */
export interface RemediationScope {
  /** Log groups under LOG_GROUP_PREFIX. */
  readonly logGroups: string;
  /** Roles under ROLE_PATH. */
  readonly roles: string;
  /**
   * Root-path roles named like the remediation's roles. Whether IAM authorizes GetRole of a role that does not
   * exist yet against its path is not documented (its path is unknown then): assuming the root path, the
   * look-up is allowed here too, read-only, so a first remediation gets NoSuchEntity rather than AccessDenied.
   */
  readonly roleLookUp: string;
  /** Trails whose configuration it may update: those of this account and region. */
  readonly trails: string;
  /**
   * Trails it may read (GetTrail): any trail of any account and region. GetTrail authorizes against the trail's
   * own ARN, which for a copy of a multi-region trail names its home region and for an organization trail seen
   * from a member account names the management account; the remediation must read those to refuse them with
   * TrailNotInHomeRegionError / TrailOfOtherAccountError (which say where to run) instead of AccessDenied.
   */
  readonly trailReads: string;
  /**
   * ARN of the delivery boundary (infra/delivery-boundary.ts) in this account: roles may then be created,
   * given a boundary, a trust policy or an inline policy only with exactly this boundary.
   * @default undefined: those role writes are not conditioned on a boundary (no protection against escalation)
   */
  readonly permissionsBoundary?: string;
}

/** The ARN patterns for the account and region of `scope`'s stack, with the boundary its roles must carry. */
export function remediationScopeOf(scope: Construct, permissionsBoundary?: string): RemediationScope {
  const { partition, region, account } = Stack.of(scope);
  return {
    logGroups: `arn:${partition}:logs:${region}:${account}:log-group:${LOG_GROUP_PREFIX}*`,
    roles: `arn:${partition}:iam::${account}:role${ROLE_PATH}*`,
    roleLookUp: `arn:${partition}:iam::${account}:role/${ROLE_NAME_BASE}-*`,
    trails: `arn:${partition}:cloudtrail:${region}:${account}:trail/*`,
    trailReads: `arn:${partition}:cloudtrail:*:*:trail/*`,
    ...(permissionsBoundary === undefined ? {} : { permissionsBoundary }),
  };
}

/**
 * Role writes that could grant a role permissions or let another principal assume it. With a boundary, each is
 * allowed only when the role carries it (CreateRole, PutRolePermissionsBoundary: the boundary requested;
 * PutRolePolicy, UpdateAssumeRolePolicy: the role's current boundary; all four support iam:PermissionsBoundary).
 */
const BOUNDED_ROLE_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePermissionsBoundary',
  'iam:PutRolePolicy',
  'iam:UpdateAssumeRolePolicy',
];

/**
 * The remediation Lambda's policy statements: exactly the actions remediation/clients.ts and the readers and
 * writers of remediation/integration/ (trail-api.ts, log-group-api.ts, role-api.ts) list. The explicit denies
 * keep the role inside its path and away from managed policies and permissions boundaries even if a broader
 * policy is attached to it later. With `scope.permissionsBoundary`, the role writes that
 * could escalate (BOUNDED_ROLE_WRITES) are allowed only with that boundary and denied with any other, and no
 * boundary can be removed; without it, the statements are those of the deployments before the boundary.
 */
export function remediationStatements(scope: RemediationScope): iam.PolicyStatement[] {
  const boundary = scope.permissionsBoundary;
  const ownRoleActions = [
    'iam:CreateRole',
    'iam:TagRole',
    'iam:GetRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:GetRolePolicy',
    'iam:ListRolePolicies',
    'iam:DeleteRolePolicy',
    'iam:ListAttachedRolePolicies',
    'iam:DetachRolePolicy',
  ];
  const boundaryStatements =
    boundary === undefined
      ? []
      : [
          new iam.PolicyStatement({
            sid: 'WriteOwnRolesWithinBoundary',
            actions: BOUNDED_ROLE_WRITES,
            resources: [scope.roles],
            conditions: { StringEquals: { 'iam:PermissionsBoundary': boundary } },
          }),
        ];
  const boundaryDenies =
    boundary === undefined
      ? []
      : [
          new iam.PolicyStatement({
            sid: 'DenyRoleWritesOutsideBoundary',
            effect: iam.Effect.DENY,
            actions: BOUNDED_ROLE_WRITES,
            resources: ['*'],
            // A missing key (a role without boundary) makes StringNotEquals true: denied as well.
            conditions: { StringNotEquals: { 'iam:PermissionsBoundary': boundary } },
          }),
        ];
  return [
    new iam.PolicyStatement({
      sid: 'ManageOwnLogGroups',
      actions: [
        'logs:CreateLogGroup',
        'logs:TagResource',
        'logs:PutRetentionPolicy',
        'logs:AssociateKmsKey',
        'logs:ListTagsForResource',
        // Read for a group under its name that it did not create: the refusal and the adoption name the filters.
        'logs:DescribeSubscriptionFilters',
      ],
      resources: [scope.logGroups],
    }),
    new iam.PolicyStatement({
      sid: 'ManageOwnRoles',
      actions:
        boundary === undefined
          ? ownRoleActions
          : ownRoleActions.filter((action) => !BOUNDED_ROLE_WRITES.includes(action)),
      resources: [scope.roles],
    }),
    ...boundaryStatements,
    new iam.PolicyStatement({
      sid: 'LookUpOwnRoleBeforeItExists',
      actions: ['iam:GetRole'],
      resources: [scope.roleLookUp],
    }),
    new iam.PolicyStatement({
      sid: 'PassOwnRolesToCloudTrail',
      actions: ['iam:PassRole'],
      resources: [scope.roles],
      conditions: { StringEquals: { 'iam:PassedToService': 'cloudtrail.amazonaws.com' } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadTrails',
      // Read-only, wider than the updates: see RemediationScope.trailReads.
      actions: ['cloudtrail:GetTrail'],
      resources: [scope.trailReads],
    }),
    new iam.PolicyStatement({
      sid: 'IntegrateTrails',
      actions: ['cloudtrail:UpdateTrail'],
      resources: [scope.trails],
    }),
    new iam.PolicyStatement({
      sid: 'ReadDeliveryStatus',
      // Asked only for an integrated trail, in its home region, before it is reported compliant.
      actions: ['cloudtrail:GetTrailStatus'],
      resources: [scope.trails],
    }),
    new iam.PolicyStatement({
      sid: 'ReadWithoutResourceScope',
      // No action here supports resource-level permissions; DescribeOrganization runs for organization trails,
      // DescribeTrails only when a trail given by name is not found (to name the region where it lives).
      actions: ['logs:DescribeLogGroups', 'organizations:DescribeOrganization', 'cloudtrail:DescribeTrails'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'DenyIamOutsideRolePath',
      effect: iam.Effect.DENY,
      actions: ['iam:*'],
      notResources: [scope.roles, scope.roleLookUp],
    }),
    new iam.PolicyStatement({
      sid: 'DenyAllButLookUpOutsideRolePath',
      effect: iam.Effect.DENY,
      notActions: ['iam:GetRole'],
      resources: [scope.roleLookUp],
    }),
    new iam.PolicyStatement({
      sid: 'DenyManagedPoliciesAndBoundaries',
      effect: iam.Effect.DENY,
      actions: [
        'iam:AttachRolePolicy',
        ...(boundary === undefined ? ['iam:PutRolePermissionsBoundary'] : []),
        'iam:DeleteRolePermissionsBoundary',
      ],
      resources: ['*'],
    }),
    ...boundaryDenies,
  ];
}

/** ARN patterns of what the monitoring touches, in one account and region. */
export interface MonitoringScope {
  /** The alarms it may create and read: those named MONITORING_NAME_PREFIX*. */
  readonly alarms: string;
  /**
   * The SNS topics its alarms may notify and whose subscribers it may list: every topic of the account and region
   * (a request may name any of them in MonitoringTopicArn; the remediation refuses one of another account or
   * region, and so does this grant).
   */
  readonly topics: string;
}

/** The monitoring's scope in `scope`'s account and region. */
export function monitoringScopeOf(scope: Construct): MonitoringScope {
  const { partition, region, account } = Stack.of(scope);
  return {
    alarms: `arn:${partition}:cloudwatch:${region}:${account}:alarm:${MONITORING_NAME_PREFIX}*`,
    topics: `arn:${partition}:sns:${region}:${account}:*`,
  };
}

/**
 * The opt-in CIS monitoring's statements (context `monitoring`): exactly the actions
 * remediation/monitoring/monitoring-api.ts lists, on the log groups, alarms and topics of the project's account and
 * region. cloudwatch:PutMetricAlarm is allowed only for alarms whose actions all are topics of this account and
 * region (cloudwatch:AlarmActions, "Using condition keys to limit alarm actions",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-alarm-actions.html), so even
 * a compromised function cannot point the alarms elsewhere. cloudtrail:GetTrail and GetTrailStatus are in
 * remediationStatements already.
 */
export function monitoringStatements(
  scope: RemediationScope,
  monitoring: MonitoringScope,
): iam.PolicyStatement[] {
  const { alarms, topics } = monitoring;
  return [
    new iam.PolicyStatement({
      sid: 'ReadTrailEventSelectors',
      // Does the trail log all read and write management events (what the controls require)?
      actions: ['cloudtrail:GetEventSelectors'],
      resources: [scope.trails],
    }),
    new iam.PolicyStatement({
      sid: 'MonitoringFiltersOnOwnLogGroups',
      actions: ['logs:DescribeMetricFilters', 'logs:PutMetricFilter'],
      resources: [scope.logGroups],
    }),
    new iam.PolicyStatement({
      sid: 'MonitoringAlarmsWithOwnPrefix',
      // TagResource: PutMetricAlarm with Tags (the ownership tag); ListTagsForResource: whose is an alarm.
      actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:TagResource'],
      resources: [alarms],
    }),
    new iam.PolicyStatement({
      sid: 'MonitoringAlarmsNotifyTopicsOfThisAccount',
      actions: ['cloudwatch:PutMetricAlarm'],
      resources: [alarms],
      conditions: {
        // Every action a topic of this account and region, and at least one action (an alarm without any would
        // pass the ForAllValues test on an empty set).
        'ForAllValues:ArnLike': { 'cloudwatch:AlarmActions': topics },
        Null: { 'cloudwatch:AlarmActions': 'false' },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ReadAlarmTopicSubscribers',
      // Does anyone get the notifications? Security Hub fails CloudWatch.1-14 without a confirmed subscriber.
      actions: ['sns:ListSubscriptionsByTopic'],
      resources: [topics],
    }),
  ];
}

/** Why the monitoring's alarm grant names a prefix (the cdk-nag acknowledgement's reason). */
export const MONITORING_ALARMS_REASON =
  `One alarm per control and trail, named ${MONITORING_NAME_PREFIX}<trail name>-<control>: the trail names are ` +
  'known only when a trail is remediated, so the grant covers exactly that prefix.';

/** Why the monitoring's topic grant names every topic of the account and region (the cdk-nag acknowledgement's reason). */
export const MONITORING_TOPICS_REASON =
  'Read-only sns:ListSubscriptionsByTopic, and alarm actions (a condition on cloudwatch:PutMetricAlarm), on the SNS ' +
  'topics of this account and region: a remediation request may name any topic of its account and region in ' +
  'MonitoringTopicArn (the remediation refuses any other), known only at run time.';

/**
 * Organization mode: `ssm:GetAutomationExecution` on `executions` (the automation executions of one account and
 * region), the read of the hub's proof check (remediation/organization/automation-api.ts).
 */
export function executionProofStatement(executions: string): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'ReadAutomationExecutionsForProof',
    actions: ['ssm:GetAutomationExecution'],
    resources: [executions],
  });
}

/** Why the execution-proof read names no single execution (the cdk-nag acknowledgement's reason). */
export const EXECUTION_PROOF_REASON =
  'Read-only ssm:GetAutomationExecution on the automation executions of this account and region: the hub reads ' +
  'the execution that asked it to act, whose id is known only at run time, to verify the request before any write.';

export interface RemediationFunctionProps {
  /** Retention of the function's own log group, in days. */
  readonly logRetentionDays: RetentionDays;
  /** The function's application log level. */
  readonly logLevel: LogLevel;
  /**
   * Create the delivery boundary and let the Lambda write roles only with it (PERMISSIONS_BOUNDARY_ENV tells
   * it the ARN). Without it, a compromised Lambda could give a role under ROLE_PATH any policy and trust.
   * @default false, for the organization hub until its spokes carry the boundary; GuardStack sets it
   */
  readonly deliveryBoundary?: boolean;
  /**
   * The opt-in CIS monitoring: the Lambda gets monitoringStatements and, in MONITORING_TOPIC_ENV, the topic its
   * alarms notify when a request names none. Without `topicArn` (the organization hub, which has no topic of its
   * own: every spoke's request names the spoke's), only the statements. @default undefined: no monitoring permission
   */
  readonly monitoring?: { readonly topicArn?: string };
  /** @default none (single-account mode); the organization hub sets hubRemediationConcurrency */
  readonly reservedConcurrentExecutions?: number;
  /** The deployment's exemptions, shipped in the function's code: the remediation refuses exempt trails. @default none */
  readonly exemptions?: DeploymentExemptions;
}

/**
 * The remediation Lambda with its least-privilege policy: it may create and configure only the log groups
 * under LOG_GROUP_PREFIX and the roles under ROLE_PATH (each capped by the delivery boundary), pass only those
 * roles and only to CloudTrail, and update trails of its own account and region.
 */
export class RemediationFunction extends Construct {
  readonly function: lambda.IFunction;
  readonly guard: GuardFunction;
  readonly policy: iam.Policy;
  /** The permissions boundary of the roles the Lambda creates; undefined with `deliveryBoundary: false`. */
  readonly deliveryBoundary: DeliveryBoundary | undefined;

  constructor(scope: Construct, id: string, props: RemediationFunctionProps) {
    super(scope, id);
    this.deliveryBoundary =
      props.deliveryBoundary === true ? new DeliveryBoundary(this, 'DeliveryBoundary') : undefined;
    const boundaryArn = this.deliveryBoundary?.policyArn;
    this.guard = new GuardFunction(this, 'Lambda', {
      entry: LAMBDA_ENTRY.remediation,
      description:
        'Integrates a CloudTrail trail with CloudWatch Logs (invoked by the SSM Automation document).',
      logRetentionDays: props.logRetentionDays,
      logLevel: props.logLevel,
      timeout: REMEDIATION_TIMEOUT,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      ...(props.exemptions === undefined ? {} : { exemptions: props.exemptions }),
      environment: {
        ...(boundaryArn === undefined ? {} : { [PERMISSIONS_BOUNDARY_ENV]: boundaryArn }),
        ...(props.monitoring?.topicArn === undefined
          ? {}
          : { [MONITORING_TOPIC_ENV]: props.monitoring.topicArn }),
      },
    });
    this.function = this.guard.function;

    this.policy = new iam.Policy(this, 'Permissions', {
      roles: [this.guard.role],
      statements: [
        ...remediationStatements(remediationScopeOf(this, boundaryArn)),
        ...(props.monitoring === undefined
          ? []
          : monitoringStatements(remediationScopeOf(this, boundaryArn), monitoringScopeOf(this))),
      ],
    });
    if (props.monitoring !== undefined) {
      Validations.of(this.policy).acknowledge(
        {
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:${MONITORING_NAME_PREFIX}*]`,
          reason: MONITORING_ALARMS_REASON,
        },
        {
          id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:*]',
          reason: MONITORING_TOPICS_REASON,
        },
      );
    }
    // Created before the function, so an automatic remediation never runs without its permissions.
    this.guard.function.node.addDependency(this.policy);
    Validations.of(this.policy).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:${LOG_GROUP_PREFIX}*]`,
        reason:
          `One log group per remediated trail, named ${LOG_GROUP_PREFIX}<trail name>: the names are known only ` +
          'when a trail is remediated, so the grant covers exactly that prefix.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role${ROLE_PATH}*]`,
        reason:
          `One role per remediated trail, all under the path ${ROLE_PATH}: the names are known only when a trail ` +
          'is remediated, so the grant covers exactly that path (an explicit deny covers every other IAM resource).',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/${ROLE_NAME_BASE}-*]`,
        reason:
          'Read-only iam:GetRole of a root-path role named like the remediation roles, for the look-up before ' +
          'the role exists (IAM cannot know its path yet); an explicit deny blocks every other action there.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'logs:DescribeLogGroups, organizations:DescribeOrganization and cloudtrail:DescribeTrails support no ' +
          'resource-level permissions (Service Authorization Reference): Resource must be *. All are reads.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail/*]',
        reason:
          'Any trail of this account and region may be found non-compliant and remediated (UpdateTrail) or checked ' +
          '(GetTrailStatus), including trails created after the deployment, so the trail name cannot be fixed.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:*:*:trail/*]',
        reason:
          'Read-only cloudtrail:GetTrail: a copy of a multi-region trail or an organization trail seen here has ' +
          'an ARN of another region or account, and reading it is what lets the remediation refuse it with an ' +
          'error naming where to run. UpdateTrail stays limited to trails of this account and region.',
      },
    );
  }
}
