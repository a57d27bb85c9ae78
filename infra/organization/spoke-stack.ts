import {
  Aws,
  CfnMapping,
  CfnParameter,
  DefaultStackSynthesizer,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { buildAutomationDocument } from '../../remediation/automation-document.js';
import { RULE_NAME } from '../../rule/definition.js';
import { ComplianceEventForwarding } from '../compliance-alerts.js';
import { CONTEXT_KEY, type GuardContext, InvalidContextError } from '../context.js';
import { DeliveryBoundary } from '../delivery-boundary.js';
import { prefixedName } from '../guard-stack.js';
import { MonitoringTopic } from '../monitoring-topic.js';
import {
  EXECUTION_PROOF_REASON,
  executionProofStatement,
  monitoringScopeOf,
  monitoringStatements,
  remediationScopeOf,
  remediationStatements,
} from '../remediation-function.js';
import { ruleCleanUpStatement, ruleStatements } from '../rule-function.js';
import { RuleRemediation } from '../rule-remediation.js';
import { TrailLogsRule } from '../trail-rule.js';
import type { OrganizationNames } from './names.js';

/** The spoke template's one parameter; the hub's StackSet sets it. */
export const HUB_ACCOUNT_PARAMETER = 'HubAccountId';

export interface SpokeStackProps extends StackProps {
  readonly settings: GuardContext;
  readonly names: OrganizationNames;
  /**
   * The hub's account, written into the template in place of the HubAccountId parameter: for the management
   * account's spokes (infra/management-app.ts), which `cdk deploy` creates without a StackSet to set the
   * parameter. A literal rather than a parameter default, because on an update the CDK CLI keeps a parameter's
   * previous value (UsePreviousValue) and would silently ignore a changed hubAccountId.
   * @default the HubAccountId parameter, which the StackSet sets
   */
  readonly hubAccountId?: string;
  /**
   * The KMS key of each governed region (infra/kms-keys.ts kmsKeysByRegion), chosen in the template by the
   * region the StackSet deploys to. @default no key: CloudWatch Logs' default encryption
   */
  readonly kmsKeysByRegion?: Readonly<Record<string, string>>;
  /**
   * The region of the hub's alert bus (OrganizationAlertBus): with context `complianceAlerts`, every spoke
   * forwards its alerting compliance changes there. @default no forwarding
   */
  readonly alertBusRegion?: string;
}

/**
 * What the StackSet deploys in every member account and governed region, and infra/management-app.ts in the
 * management account (which a StackSet never reaches), with no asset and no Lambda code:
 * the Config rule backed by the hub's rule Lambda of the same region, the Automation document that invokes
 * the hub's remediation Lambda, the remediation configuration, and the roles the hub Lambdas assume here
 * (each trusting only its hub Lambda's role, each holding exactly the single-account Lambda's permissions).
 */
export class SpokeStack extends Stack {
  readonly ruleExecutionRole: iam.Role;
  readonly remediationExecutionRole: iam.Role;
  readonly deliveryBoundary: DeliveryBoundary;
  readonly automationRole: iam.Role;
  readonly rule: TrailLogsRule;
  readonly document: ssm.CfnDocument;
  readonly remediation: RuleRemediation;
  /** This account's topic of the monitoring alarms; undefined unless context `monitoring` is on. */
  readonly monitoringTopic: MonitoringTopic | undefined;
  /** Forwards the alerting compliance changes to the hub; undefined unless alerts are on. */
  readonly alertForwarding: ComplianceEventForwarding | undefined;

  constructor(scope: Construct, id: string, props: SpokeStackProps) {
    super(scope, id, {
      // StackSets deploy the template as is: no bootstrap stack in member accounts to check for.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
      ...props,
    });
    const { settings, names } = props;
    const partition = Aws.PARTITION;
    const region = Aws.REGION;

    const hubAccount =
      props.hubAccountId ??
      new CfnParameter(this, HUB_ACCOUNT_PARAMETER, {
        type: 'String',
        allowedPattern: '^\\d{12}$',
        description: 'Account that runs the hub stack (the rule and remediation Lambdas).',
      }).valueAsString;
    const hubRoleArn = (kind: 'hub-rule' | 'hub-fix') =>
      `arn:${partition}:iam::${hubAccount}:role/${names.roleName(kind, region)}`;
    const hubFunctionArn = (name: string) =>
      `arn:${partition}:lambda:${region}:${hubAccount}:function:${name}`;

    const ruleStatementsHere = ruleStatements(this);
    this.ruleExecutionRole = new iam.Role(this, 'RuleExecutionRole', {
      roleName: names.roleName('rule', region),
      description:
        'Assumed by the hub rule Lambda to read trail status and report evaluations in this account.',
      assumedBy: new iam.ArnPrincipal(hubRoleArn('hub-rule')),
      inlinePolicies: { rule: new iam.PolicyDocument({ statements: ruleStatementsHere }) },
    });
    // As in single-account mode, every role the remediation creates here is capped by the delivery boundary.
    // Its generated name reaches the hub through the document's payload; a failed first create removes it, a
    // deletion keeps it for the roles that use it, and a later create (the account rejoins) makes a new one.
    this.deliveryBoundary = new DeliveryBoundary(this, 'DeliveryBoundary');
    const scopeHere = remediationScopeOf(this, this.deliveryBoundary.policyArn);
    // The monitoring's alarms live in this account, so they notify a topic of this account, with the same
    // subscribers in every account and region (each confirms once per topic).
    const notifications = settings.alarmNotifications;
    if (notifications.topicArn !== undefined) {
      throw new InvalidContextError(
        CONTEXT_KEY.alarmTopicArn,
        notifications.topicArn,
        `no value in the organization app: its alarms live in every member account and region, each notifying a ` +
          `topic of its own; use ${CONTEXT_KEY.alarmEmail} or ${CONTEXT_KEY.alarmHttpsEndpoint} to subscribe to them`,
      );
    }
    this.monitoringTopic = settings.monitoring
      ? new MonitoringTopic(this, 'MonitoringTopic', {
          emails: notifications.emails,
          httpsEndpoints: notifications.httpsEndpoints,
        })
      : undefined;
    const remediationStatementsHere = [
      ...remediationStatements(scopeHere),
      ...(settings.monitoring ? monitoringStatements(scopeHere, monitoringScopeOf(this)) : []),
    ];
    this.remediationExecutionRole = new iam.Role(this, 'RemediationExecutionRole', {
      roleName: names.roleName('fix', region),
      description:
        'Assumed by the hub remediation Lambda to integrate trails of this account with CloudWatch Logs.',
      assumedBy: new iam.ArnPrincipal(hubRoleArn('hub-fix')),
      inlinePolicies: {
        remediation: new iam.PolicyDocument({ statements: remediationStatementsHere }),
      },
    });

    this.allowExecutionProof(this.remediationExecutionRole);
    acknowledgeSingleAccountScopes(
      this.ruleExecutionRole,
      ruleStatementsHere,
      'ruleStatements in infra/rule-function.ts',
    );
    acknowledgeSingleAccountScopes(
      this.remediationExecutionRole,
      remediationStatementsHere,
      'remediationStatements (and monitoringStatements) in infra/remediation-function.ts',
    );

    const ruleFunction = lambda.Function.fromFunctionAttributes(this, 'HubRuleFunction', {
      functionArn: hubFunctionArn(names.ruleFunction),
      skipPermissions: true,
    });
    this.rule = new TrailLogsRule(this, 'TrailLogsRule', {
      ruleFunction,
      ruleName: prefixedName(settings.namePrefix, RULE_NAME),
      maximumExecutionFrequency: settings.ruleSchedule,
      expectedDeliveryWindowAge: settings.expectedDeliveryWindowAge,
      executionRoleName: names.roleName('rule', region),
      // The hub stack's resource policy admits Config from every account of the organization.
      grantConfigInvoke: false,
    });
    // The first evaluation starts as soon as the rule exists; the role it assumes must be there already.
    this.rule.node.addDependency(this.ruleExecutionRole);
    // As in single-account mode, the clean-up read needs the rule's ARN, so it is a policy of its own.
    new iam.Policy(this, 'RuleCleanUpPermissions', {
      roles: [this.ruleExecutionRole],
      statements: [ruleCleanUpStatement(this.rule.ruleArn)],
    });

    const remediationFunctionArn = hubFunctionArn(names.remediationFunction);
    this.automationRole = new iam.Role(this, 'AutomationRole', {
      roleName: names.roleName('ssm', region),
      description:
        'Assumed by SSM Automation to invoke the hub remediation Lambda for a trail of this account.',
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      }),
      inlinePolicies: {
        invoke: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({
              sid: 'InvokeHubRemediationFunction',
              actions: ['lambda:InvokeFunction'],
              resources: [remediationFunctionArn],
            }),
          ],
        }),
      },
    });

    this.document = new ssm.CfnDocument(this, 'RemediationDocument', {
      // Fixed: the hub accepts only executions of this document (remediation/organization/execution-proof.ts).
      name: names.remediationDocument,
      documentType: 'Automation',
      documentFormat: 'JSON',
      updateMethod: 'NewVersion',
      content: buildAutomationDocument(remediationFunctionArn, {
        executionRoleName: names.roleName('fix', region),
        permissionsBoundaryArn: this.deliveryBoundary.policyArn,
      }),
    });
    this.remediation = new RuleRemediation(this, 'RuleRemediation', {
      configRuleName: this.rule.ruleName,
      documentName: this.document.ref,
      automationRoleArn: this.automationRole.roleArn,
      retentionDays: settings.retentionDays,
      kmsKeyArn: this.regionalKmsKey(props.kmsKeysByRegion ?? {}),
      automatic: settings.autoRemediation,
      ...(this.monitoringTopic === undefined
        ? {}
        : { monitoring: { topicArn: this.monitoringTopic.topic.topicArn } }),
    });

    this.alertForwarding =
      settings.complianceAlerts && props.alertBusRegion !== undefined
        ? new ComplianceEventForwarding(this, 'AlertForwarding', {
            ruleName: prefixedName(settings.namePrefix, RULE_NAME),
            hubBusArn: `arn:${partition}:events:${props.alertBusRegion}:${hubAccount}:event-bus/${names.alertBus}`,
          })
        : undefined;
  }

  /**
   * One template serves every governed region, so the key is looked up by `AWS::Region` in a mapping of the
   * keys kmsKeysByRegion checked (a key per governed region, each in its own region). Undefined: no key.
   */
  private regionalKmsKey(byRegion: Readonly<Record<string, string>>): string | undefined {
    if (Object.keys(byRegion).length === 0) return undefined;
    const mapping = new CfnMapping(this, 'KmsKeys', {
      mapping: Object.fromEntries(Object.entries(byRegion).map(([region, key]) => [region, { KeyArn: key }])),
    });
    return mapping.findInMap(Aws.REGION, 'KeyArn');
  }

  /**
   * The hub reads, with the fix role, the Automation execution that asked it to act here: its proof that the
   * request comes from this account (remediation/organization/automation-api.ts). Read-only, executions of this account and
   * region only; a policy of its own, so the role's remediation policy stays the single-account one.
   */
  private allowExecutionProof(role: iam.Role): void {
    const executions = `arn:${Aws.PARTITION}:ssm:${Aws.REGION}:${Aws.ACCOUNT_ID}:automation-execution/*`;
    const policy = new iam.Policy(this, 'ExecutionProofPermissions', {
      roles: [role],
      statements: [executionProofStatement(executions)],
    });
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]',
      reason: EXECUTION_PROOF_REASON,
    });
  }
}

/**
 * The execution roles carry the single-account Lambdas' statements unchanged, so each wildcard scope
 * (cdk-nag IAM5) was already reviewed and acknowledged, with its reason, where those statements are defined.
 */
function acknowledgeSingleAccountScopes(
  role: iam.Role,
  statements: iam.PolicyStatement[],
  source: string,
): void {
  const stack = Stack.of(role);
  for (const statement of statements) {
    if (statement.effect !== iam.Effect.ALLOW) continue;
    for (const resource of statement.resources) {
      const finding = nagForm(stack.resolve(resource));
      if (!finding.includes('*')) continue;
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${finding}]`,
        reason:
          `Statement ${statement.sid ?? '(no sid)'} of ${source}, unchanged: the single-account Lambda holds the ` +
          'same grant, and the scope is acknowledged there with its reason.',
      });
    }
  }
}

/** How cdk-nag writes a resolved value in a finding id: `Ref`s as `<Name>`, `Fn::GetAtt` as `<Id.Attribute>`. */
function nagForm(value: unknown): string {
  if (typeof value === 'string') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return `<${String(object.Ref)}>`;
  if ('Fn::GetAtt' in object) return `<${(object['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in object) {
    const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
    return parts.map(nagForm).join(separator);
  }
  return JSON.stringify(value);
}
