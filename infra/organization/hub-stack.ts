import { Annotations, CfnOutput, Stack, type StackProps, Token, Validations } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as config from 'aws-cdk-lib/aws-config';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { PROOF_DOCUMENT_ENV, SPOKE_KMS_KEY_ENV } from '../../remediation/definition.js';
import { RULE_NAME } from '../../rule/definition.js';
import { OrganizationAlertBus } from '../compliance-alerts.js';
import type { GuardContext } from '../context.js';
import { type DeploymentExemptions, namesOrganizationalUnits } from '../exemptions.js';
import type { GuardFunction } from '../guard-function.js';
import { prefixedName } from '../guard-stack.js';
import {
  EXECUTION_PROOF_REASON,
  executionProofStatement,
  RemediationFunction,
} from '../remediation-function.js';
import { RuleFunction } from '../rule-function.js';
import type { OrganizationContext } from './context.js';
import type { OrganizationNames } from './names.js';
import { HUB_ACCOUNT_PARAMETER } from './spoke-stack.js';
import { spokeTemplateBody } from './spoke-template.js';

export interface HubStackProps extends StackProps {
  readonly settings: GuardContext;
  readonly organization: OrganizationContext;
  readonly names: OrganizationNames;
  /**
   * The region whose hub also holds the organization-wide pieces: the StackSet (deploying the spoke to every
   * governed region) and the aggregator. Exactly one hub has it.
   */
  readonly organizationWide: boolean;
  /**
   * The KMS key of each governed region (infra/kms-keys.ts kmsKeysByRegion): the spokes get the map, this hub's
   * remediation Lambda its own region's key (SPOKE_KMS_KEY_ENV). @default no key
   */
  readonly kmsKeysByRegion?: Readonly<Record<string, string>>;
  /**
   * The validated exemptions file (infra/exemptions.ts), shipped in both hub Lambdas' code: the hub judges and
   * remediates every account, so one file serves the organization. @default none
   */
  readonly exemptions?: DeploymentExemptions;
}

/**
 * The hub for one region, in the delegated administrator (or management) account: the rule and remediation
 * Lambdas built exactly as in single-account mode (they keep their own-account permissions, so the hub
 * account is governed like any other), under the fixed names the spoke computes, with resource policies that
 * admit only the organization. With `organizationWide`, also the StackSet and the aggregator.
 */
export class HubStack extends Stack {
  readonly ruleFunction: RuleFunction;
  readonly remediationFunction: RemediationFunction;
  readonly stackSet?: cloudformation.CfnStackSet;
  readonly aggregator?: config.CfnConfigurationAggregator;
  /** The bus and topic every spoke's compliance alerts go to: the organization-wide hub, with `complianceAlerts`. */
  readonly alertBus?: OrganizationAlertBus;

  constructor(scope: Construct, id: string, props: HubStackProps) {
    super(scope, id, props);
    const { settings, organization, names } = props;
    const { organizationId } = organization;
    const region = this.region;
    const exemptions = props.exemptions === undefined ? {} : { exemptions: props.exemptions };

    // Reserved concurrency (organization context, HUB_CONCURRENCY_RANGE): a flood of unproven remediation
    // requests, or of invocations by a rule outside the organization, is capped at its function's reservation,
    // so it cannot drain the account's pool and starve the other hub Lambda, and each keeps its reservation
    // whatever else runs in the hub account.
    this.ruleFunction = new RuleFunction(this, 'RuleFunction', {
      logRetentionDays: settings.retentionDays,
      logLevel: settings.logLevel,
      reservedConcurrentExecutions: organization.hubRuleConcurrency,
      ...exemptions,
    });
    // The hub account's own trails get the same delivery boundary as single-account mode; member accounts get
    // their spoke's (the Automation payload names it). In its own account (the spoke the StackSet or the management
    // app put there) the Lambda acts with its own role rather than the spoke's fix role, so that role holds what
    // the spoke's holds: with the monitoring on, the monitoring statements too (the request names the spoke's topic).
    this.remediationFunction = new RemediationFunction(this, 'RemediationFunction', {
      logRetentionDays: settings.retentionDays,
      logLevel: settings.logLevel,
      deliveryBoundary: true,
      reservedConcurrentExecutions: organization.hubRemediationConcurrency,
      ...(settings.monitoring ? { monitoring: {} } : {}),
      ...exemptions,
    });
    fixNames(this.ruleFunction.guard, names.ruleFunction, names.roleName('hub-rule', region));
    fixNames(this.remediationFunction.guard, names.remediationFunction, names.roleName('hub-fix', region));
    acknowledgeRegionalScopes(this);
    this.allowOwnRuleCleanUp();
    allowAssumingSpokeRole(this.ruleFunction.guard, names.roleName('rule', region), organizationId);
    allowAssumingSpokeRole(this.remediationFunction.guard, names.roleName('fix', region), organizationId);
    this.requireExecutionProof(names, props.kmsKeysByRegion?.[region]);
    if (namesOrganizationalUnits(props.exemptions)) {
      for (const guard of [this.ruleFunction.guard, this.remediationFunction.guard]) {
        allowReadingOrganizationalUnits(guard, organizationId);
      }
    }

    // Config documents only aws:SourceAccount and aws:SourceArn for its invocations; whether it also sends
    // aws:SourceOrgID is not documented (AWS-FACTS: UNCLEAR). ...IfExists admits Config of every account of the
    // organization either way, including accounts that join later, in one statement whatever the organization's
    // size (a per-account list would outgrow the 20 KB policy limit), and refuses another organization's rules
    // whenever the key is sent. A rule outside the organization reaches the function only when Config sends no
    // key, and its event then fails before any read or write: the hub rule role may assume the spoke role only
    // in accounts of the organization (AssumeSpokeRoleInOrganization below).
    // https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_nodejs.html#restricted-lambda-policy
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
    const configStatements = [
      new iam.PolicyStatement({
        sid: 'ConfigRulesOfTheOrganization',
        principals: [new iam.ServicePrincipal('config.amazonaws.com')],
        actions: ['lambda:InvokeFunction'],
        resources: [this.ruleFunction.function.functionArn],
        conditions: { StringEqualsIfExists: { 'aws:SourceOrgID': organizationId } },
      }),
    ];
    if (organization.ruleInvokerAccounts.length > 0) {
      Annotations.of(this).addWarningV2(
        'cloudtrail-logs-guard:ruleInvokerAccounts',
        'The ruleInvokerAccounts context is no longer needed and is ignored: the rule Lambda admits AWS Config of ' +
          'every account of the organization, with or without aws:SourceOrgID. Remove it from the context.',
      );
    }
    const ruleFunctionPolicy = new lambda.CfnResourcePolicy(this, 'RuleFunctionPolicy', {
      resourceArn: this.ruleFunction.function.functionArn,
      policyDocument: new iam.PolicyDocument({ statements: configStatements }),
    });
    const remediationFunctionPolicy = new lambda.CfnResourcePolicy(this, 'RemediationFunctionPolicy', {
      resourceArn: this.remediationFunction.function.functionArn,
      policyDocument: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'SpokeAutomationRolesOfTheOrganization',
            principals: [new iam.AnyPrincipal()],
            actions: ['lambda:InvokeFunction'],
            resources: [this.remediationFunction.function.functionArn],
            conditions: {
              StringEquals: { 'aws:PrincipalOrgID': organizationId },
              ArnLike: {
                'aws:PrincipalArn': `arn:${this.partition}:iam::*:role/${names.roleName('ssm', region)}`,
              },
            },
          }),
        ],
      }),
    });

    if (props.organizationWide) {
      this.aggregator = this.organizationAggregator(names.aggregator);
      if (settings.complianceAlerts) {
        this.alertBus = new OrganizationAlertBus(this, 'AlertBus', {
          ruleName: prefixedName(settings.namePrefix, RULE_NAME),
          eventBusName: names.alertBus,
          organizationId,
        });
        new CfnOutput(this, 'ComplianceAlertTopicArn', {
          description:
            'SNS topic told when a trail of any account turns NON_COMPLIANT or stops being so: subscribe to it.',
          value: this.alertBus.alerts.topic.topicArn,
        });
      }
      this.stackSet = this.spokeStackSet(props);
      // Config checks the function policy when a spoke creates its rule, and IAM checks that the hub roles
      // a spoke role trusts exist: the spokes wait for both.
      // With alerts, the spokes' forwarding rules name the alert bus, which must exist (with its policy) first.
      if (this.alertBus !== undefined) this.stackSet.node.addDependency(this.alertBus);
      this.stackSet.node.addDependency(
        ruleFunctionPolicy,
        remediationFunctionPolicy,
        this.ruleFunction.guard.role,
        this.remediationFunction.guard.role,
      );
      new CfnOutput(this, 'AggregatorName', {
        description: 'Configuration aggregator with every account and region of the organization.',
        value: this.aggregator.ref,
      });
      new CfnOutput(this, 'StackSetName', {
        description: 'Service-managed StackSet deploying the spoke to the organization.',
        value: names.stackSet,
      });
    }
  }

  /**
   * The remediation Lambda acts in an account only for a running execution of the spoke's document there
   * (PROOF_DOCUMENT_ENV, remediation/organization/gate.ts). In a member account it reads that execution with
   * the spoke's fix role; in the hub's own account (whose spoke's document calls it too) with its own role,
   * which therefore may read this account's executions in this region.
   */
  private requireExecutionProof(names: OrganizationNames, spokeKmsKeyArn: string | undefined): void {
    const { guard } = this.remediationFunction;
    guard.function.addEnvironment(PROOF_DOCUMENT_ENV, names.remediationDocument);
    // The one key outside a member account a request may name: the one its spoke was deployed with.
    if (spokeKmsKeyArn !== undefined) guard.function.addEnvironment(SPOKE_KMS_KEY_ENV, spokeKmsKeyArn);
    guard.role.addToPrincipalPolicy(
      executionProofStatement(
        `arn:${this.partition}:ssm:${this.region}:${this.account}:automation-execution/*`,
      ),
    );
    Validations.of(guard.role).acknowledge({
      id: concreteIn(
        this,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]',
      ),
      reason: EXECUTION_PROOF_REASON,
    });
  }

  /**
   * In the hub account the rule Lambda acts with its own role, for the rule the StackSet deployed there (when
   * the hub is a member account). That rule's ARN holds an ID generated in the spoke stack, so the clean-up
   * read covers the rules of this account and region.
   */
  private allowOwnRuleCleanUp(): void {
    const rules = `arn:${this.partition}:config:${this.region}:${this.account}:config-rule/*`;
    const policy = this.ruleFunction.allowCleanUpOf(rules);
    Validations.of(policy).acknowledge({
      id: concreteIn(
        this,
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:<AWS::Region>:<AWS::AccountId>:config-rule/*]',
      ),
      reason:
        "Read-only config:GetComplianceDetailsByConfigRule on this account's rules: the hub account's own rule is " +
        'created by the StackSet, with an ID the hub cannot know.',
    });
  }

  private organizationAggregator(name: string): config.CfnConfigurationAggregator {
    // Confused-deputy guard: Config may use the role only for this account's aggregator. AWS's trust policy for
    // Config roles conditions on AWS:SourceAccount, "to restrict the Config service principal to only interact
    // with the AWS IAM Role when performing operations on behalf of specific accounts"
    // (https://docs.aws.amazon.com/config/latest/developerguide/iamrole-permissions.html#iam-trust-policy).
    const role = new iam.Role(this, 'AggregatorRole', {
      description: 'Lets AWS Config read the organization for the organization-wide aggregator.',
      assumedBy: new iam.ServicePrincipal('config.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': this.account },
      }),
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSConfigRoleForOrganizations'),
      ],
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSConfigRoleForOrganizations]',
      reason:
        'The policy AWS Config documents for an organization aggregator: read-only Organizations calls ' +
        '(ListAccounts, DescribeOrganization, ListAWSServiceAccessForOrganization, ListDelegatedAdministrators).',
    });
    return new config.CfnConfigurationAggregator(this, 'Aggregator', {
      configurationAggregatorName: name,
      organizationAggregationSource: { roleArn: role.roleArn, allAwsRegions: true },
    });
  }

  private spokeStackSet(props: HubStackProps): cloudformation.CfnStackSet {
    const { organization, names, settings } = props;
    return new cloudformation.CfnStackSet(this, 'SpokeStackSet', {
      stackSetName: names.stackSet,
      description:
        'cloudtrail-logs-guard spoke: the Config rule, remediation and the roles the hub Lambdas assume.',
      permissionModel: 'SERVICE_MANAGED',
      callAs: organization.callAs,
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      managedExecution: { Active: true },
      capabilities: ['CAPABILITY_NAMED_IAM'],
      operationPreferences: {
        regionConcurrencyType: 'PARALLEL',
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      parameters: [{ parameterKey: HUB_ACCOUNT_PARAMETER, parameterValue: this.account }],
      stackInstancesGroup: [
        {
          deploymentTargets: { organizationalUnitIds: [...organization.deploymentTargets] },
          regions: [...organization.governedRegions],
        },
      ],
      templateBody: spokeTemplateBody(
        {
          settings,
          names,
          kmsKeysByRegion: props.kmsKeysByRegion,
          // One bus and topic for the organization: in the region of this (the organization-wide) hub.
          ...(settings.complianceAlerts ? { alertBusRegion: this.region } : {}),
        },
        this.node.getAllContext(),
      ),
    });
  }
}

/**
 * The single-account constructs acknowledge their wildcard scopes for a region-agnostic stack
 * (`<AWS::Region>`, `<AWS::AccountId>`); a hub names its region (and may name its account), which changes the
 * finding ids. The same acknowledgements, with the same reasons, are repeated with the literal values.
 */
function acknowledgeRegionalScopes(hub: HubStack): void {
  const boundary = hub.remediationFunction.deliveryBoundary?.policy;
  for (const policy of [
    hub.ruleFunction.policy,
    hub.remediationFunction.policy,
    ...(boundary ? [boundary] : []),
  ]) {
    for (const entry of policy.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [key, reason] of Object.entries(entry.data as Record<string, string>)) {
        const id = key.replace(/^Annotation::/, '');
        const concrete = concreteIn(hub, id);
        if (concrete !== id) Validations.of(policy).acknowledge({ id: concrete, reason });
      }
    }
  }
}

/** The finding id as cdk-nag reports it for `hub`, whose region and (when given) account are literal. */
function concreteIn(hub: HubStack, id: string): string {
  let concrete = id;
  if (!Token.isUnresolved(hub.region)) concrete = concrete.replaceAll('<AWS::Region>', hub.region);
  if (!Token.isUnresolved(hub.account)) concrete = concrete.replaceAll('<AWS::AccountId>', hub.account);
  return concrete;
}

/** Fixed physical names, so the spoke can compute the function ARN and trust the role by ARN. */
function fixNames(guard: GuardFunction, functionName: string, roleName: string): void {
  (guard.function.node.defaultChild as lambda.CfnFunction).functionName = functionName;
  (guard.role.node.defaultChild as iam.CfnRole).roleName = roleName;
}

/**
 * An exemption naming trails in an OU needs the OUs above a trail's owner (common/organizational-units-api.ts):
 * organizations:ListParents, read-only, on the accounts and OUs of this organization only. Granted only when the
 * exemptions file holds such an entry.
 */
function allowReadingOrganizationalUnits(guard: GuardFunction, organizationId: string): void {
  const partition = Stack.of(guard).partition;
  // The ARNs hold the management account's id, which the hub does not know: `*`, limited by the organization id.
  const resources = [
    `arn:${partition}:organizations::*:account/${organizationId}/*`,
    `arn:${partition}:organizations::*:ou/${organizationId}/*`,
  ];
  guard.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadOrganizationalUnitsForExemptions',
      actions: ['organizations:ListParents'],
      resources,
    }),
  );
  Validations.of(guard.role).acknowledge(
    ...resources.map((resource) => ({
      id: `AwsSolutions-IAM5[Resource::${resource.replace(partition, '<AWS::Partition>')}]`,
      reason:
        'Read-only organizations:ListParents, for exemptions naming trails in an OU: any account or OU of this ' +
        'organization may hold such a trail (accounts joining later too); the ARNs name the management account, ' +
        'unknown to the hub, and the organization id limits them to this organization.',
    })),
  );
}

/**
 * The hub Lambda may assume the spoke role of its kind in any account, but only in accounts of the
 * organization (`aws:ResourceOrgID`), so even a stray invocation could not act elsewhere.
 */
function allowAssumingSpokeRole(guard: GuardFunction, spokeRoleName: string, organizationId: string): void {
  const resource = `arn:${Stack.of(guard).partition}:iam::*:role/${spokeRoleName}`;
  guard.role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'AssumeSpokeRoleInOrganization',
      actions: ['sts:AssumeRole'],
      resources: [resource],
      conditions: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
    }),
  );
  Validations.of(guard.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${resource.replace(Stack.of(guard).partition, '<AWS::Partition>')}]`,
    reason:
      'Member accounts are not known in advance (accounts that join later are governed too); the role name is ' +
      'fixed and aws:ResourceOrgID limits it to accounts of the organization.',
  });
}
