import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { TRAIL_RESOURCE_TYPE } from '../rule/definition.js';

/**
 * The alert on change (context `complianceAlerts`): AWS Config sends a "Config Rules Compliance Change" event to
 * EventBridge when a resource's compliance with a rule changes (EventBridge reference, AWS Config events:
 * https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-config.html). Its `detail` is Config's compliance
 * change notification: awsAccountId, awsRegion, configRuleName, configRuleARN, resourceType, resourceId,
 * messageType ComplianceChangeNotification, notificationCreationTime, recordVersion, and newEvaluationResult and
 * oldEvaluationResult, each an EvaluationResult with complianceType, resultRecordedTime, configRuleInvokedTime
 * and `annotation` (AWS Config developer guide, "Example Compliance Change Notification":
 * https://docs.aws.amazon.com/config/latest/developerguide/example-config-rule-compliance-notification.html;
 * EvaluationResult: https://docs.aws.amazon.com/config/latest/APIReference/API_EvaluationResult.html).
 * oldEvaluationResult is absent at a resource's first evaluation. The annotation is in the event, so an input
 * transformer writes the message and no Lambda is needed: the annotation the rule wrote (rule/evaluate.ts, at
 * most 256 characters) is the reason. Should Config ever leave it out, EventBridge leaves the variable empty
 * ("a variable whose JSON path does not exist is not created") and the message still names the trail and links
 * to the console, where the annotation is shown.
 */

/** The `detail-type` of the events, as EventBridge's reference for AWS Config names it. */
export const COMPLIANCE_CHANGE_DETAIL_TYPE = 'Config Rules Compliance Change';

/** The values of the event the message is written from (InputPathsMap: JSON paths into the event). */
export const ALERT_INPUT_PATHS = {
  trail: '$.detail.resourceId',
  account: '$.detail.awsAccountId',
  region: '$.detail.awsRegion',
  rule: '$.detail.configRuleName',
  newCompliance: '$.detail.newEvaluationResult.complianceType',
  oldCompliance: '$.detail.oldEvaluationResult.complianceType',
  annotation: '$.detail.newEvaluationResult.annotation',
  recordedAt: '$.detail.newEvaluationResult.resultRecordedTime',
} as const;

type AlertVariable = keyof typeof ALERT_INPUT_PATHS;

const NON_COMPLIANT = 'NON_COMPLIANT';

/** The two kinds of transition that alert: a change of compliance, and a first evaluation that fails. */
export type AlertKind = 'change' | 'first';

function placeholder(name: AlertVariable): string {
  return `<${name}>`;
}

/**
 * The alert's text with `<variable>` placeholders (EventBridge substitutes them). Plain text for e-mail and
 * chat subscribers; the console link opens the trail's page in AWS Config (commercial partition console).
 */
export function alertText(kind: AlertKind): string {
  const v = placeholder;
  const headline =
    kind === 'change'
      ? `CloudTrail trail ${v('trail')} in account ${v('account')} (${v('region')}) is now ${v('newCompliance')}, was ${v('oldCompliance')}.`
      : `CloudTrail trail ${v('trail')} in account ${v('account')} (${v('region')}) is ${v('newCompliance')} at its first evaluation.`;
  return [
    headline,
    `Reason: ${v('annotation')}`,
    `Rule: ${v('rule')}, result recorded ${v('recordedAt')}.`,
    `AWS Config: https://${v('region')}.console.aws.amazon.com/config/home?region=${v('region')}#/resources/details?resourceId=${v('trail')}&resourceType=${TRAIL_RESOURCE_TYPE}`,
  ].join('\n');
}

/** The InputTemplate: the text as one JSON string, so the target receives plain text. */
export function alertInputTemplate(kind: AlertKind): string {
  return JSON.stringify(alertText(kind));
}

/** The fields every matched event shares: the rule's compliance change notifications for trails. */
function ruleEvents(ruleName: string): Record<string, unknown> {
  return {
    messageType: ['ComplianceChangeNotification'],
    configRuleName: [ruleName],
    resourceType: [TRAIL_RESOURCE_TYPE],
  };
}

const TO_NON_COMPLIANT = {
  newEvaluationResult: { complianceType: [NON_COMPLIANT] },
  oldEvaluationResult: { complianceType: [{ 'anything-but': NON_COMPLIANT }] },
};
const FROM_NON_COMPLIANT = {
  oldEvaluationResult: { complianceType: [NON_COMPLIANT] },
  newEvaluationResult: { complianceType: [{ 'anything-but': NON_COMPLIANT }] },
};
const FIRST_NON_COMPLIANT = {
  newEvaluationResult: { complianceType: [NON_COMPLIANT] },
  oldEvaluationResult: { complianceType: [{ exists: false }] },
};

/**
 * The event pattern of one kind of transition of rule `ruleName`: `change` matches to and from NON_COMPLIANT
 * (a re-report of the same compliance, NON_COMPLIANT again or COMPLIANT after NOT_APPLICABLE, does not match);
 * `first` a first evaluation that is NON_COMPLIANT. Pure.
 */
export function transitionPattern(ruleName: string, kind: AlertKind): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: [COMPLIANCE_CHANGE_DETAIL_TYPE],
    detail: {
      ...ruleEvents(ruleName),
      ...(kind === 'change' ? { $or: [TO_NON_COMPLIANT, FROM_NON_COMPLIANT] } : FIRST_NON_COMPLIANT),
    },
  };
}

/** Every event that alerts, of either kind: what a spoke forwards to the hub. Pure. */
export function alertingEventsPattern(ruleName: string): events.EventPattern {
  return {
    source: ['aws.config'],
    detailType: [COMPLIANCE_CHANGE_DETAIL_TYPE],
    detail: { ...ruleEvents(ruleName), $or: [TO_NON_COMPLIANT, FROM_NON_COMPLIANT, FIRST_NON_COMPLIANT] },
  };
}

/** The InputTransformer of an alert, exactly as written here (no generated variable names). */
class AlertMessage extends events.RuleTargetInput {
  constructor(private readonly kind: AlertKind) {
    super();
  }

  bind(): events.RuleTargetInputProperties {
    return { inputPathsMap: { ...ALERT_INPUT_PATHS }, inputTemplate: alertInputTemplate(this.kind) };
  }
}

/**
 * The topic as a rule target, without the SnsTopic target's own grant (an unconditioned sns:Publish for every
 * EventBridge rule): the topic policy below admits only this construct's rules.
 */
class AlertTopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly kind: AlertKind,
  ) {}

  bind(): events.RuleTargetConfig {
    return { arn: this.topic.topicArn, input: new AlertMessage(this.kind) };
  }
}

export interface ComplianceAlertsProps {
  /** The Config rule whose compliance changes alert. */
  readonly ruleName: string;
  /** The bus the events arrive on. @default the account's default event bus */
  readonly eventBus?: events.IEventBus;
}

/**
 * The alert on change: two EventBridge rules (a change to or from NON_COMPLIANT; a first evaluation that is
 * NON_COMPLIANT), each with an input transformer writing the short message, and the SNS topic they notify,
 * encrypted with a customer managed key (the AWS managed key of SNS cannot be used: its key policy does not let
 * EventBridge encrypt for it). Only these two rules may publish (aws:SourceArn), and only over TLS.
 */
export class ComplianceAlerts extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;
  readonly rules: readonly [events.Rule, events.Rule];

  constructor(scope: Construct, id: string, props: ComplianceAlertsProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const eventBridge = new iam.ServicePrincipal('events.amazonaws.com');
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the SNS topic of the cloudtrail-logs-guard compliance alerts.',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    // EventBridge publishes to an encrypted topic with these two actions on its key.
    // https://repost.aws/knowledge-center/sns-not-getting-eventbridge-notification
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgeOfThisAccountEncryptsForTheTopic',
        principals: [eventBridge],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'cloudtrail-logs-guard compliance alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    const rule = (ruleId: string, kind: AlertKind, description: string) =>
      new events.Rule(this, ruleId, {
        description,
        ...(props.eventBus === undefined ? {} : { eventBus: props.eventBus }),
        eventPattern: transitionPattern(props.ruleName, kind),
        targets: [new AlertTopicTarget(this.topic, kind)],
      });
    this.rules = [
      rule(
        'ChangeRule',
        'change',
        'A CloudTrail trail turned NON_COMPLIANT, or stopped being NON_COMPLIANT: notify the alert topic.',
      ),
      rule(
        'FirstEvaluationRule',
        'first',
        'A CloudTrail trail is NON_COMPLIANT at its first evaluation: notify the alert topic.',
      ),
    ];
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AlertRulesPublish',
        principals: [eventBridge],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((each) => each.ruleArn) } },
      }),
    );
  }
}

export interface ComplianceEventForwardingProps {
  readonly ruleName: string;
  /** The hub's alert bus (OrganizationAlertBus), in another account and possibly another region. */
  readonly hubBusArn: string;
}

/**
 * In a spoke: the rule's alerting events go to the hub's alert bus. A bus policy that admits an organization
 * requires the sending rule to name a role (PutPermission: "accounts in that organization must specify a RoleArn
 * with proper permissions when they use PutTarget"); the role may put events on that bus only.
 */
export class ComplianceEventForwarding extends Construct {
  readonly rule: events.Rule;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ComplianceEventForwardingProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      description: "Lets EventBridge forward this account's compliance alerts to the hub's alert bus.",
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      }),
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Forwards the CloudTrail trail compliance changes that alert to the hub alert bus.',
      eventPattern: alertingEventsPattern(props.ruleName),
      targets: [
        new targets.EventBus(events.EventBus.fromEventBusArn(this, 'HubBus', props.hubBusArn), {
          role: this.role,
        }),
      ],
    });
  }
}

export interface OrganizationAlertBusProps {
  readonly ruleName: string;
  /** Fixed, so the spokes can compute the bus ARN. */
  readonly eventBusName: string;
  /** `o-...`: the only organization whose accounts may put events on the bus. */
  readonly organizationId: string;
}

/**
 * In the hub: the bus every spoke forwards to, whose policy admits events:PutEvents from principals of the
 * organization only (aws:PrincipalOrgID), and the alert rules and topic on it: one topic for every account.
 */
export class OrganizationAlertBus extends Construct {
  readonly eventBus: events.EventBus;
  readonly policy: events.CfnEventBusPolicy;
  readonly alerts: ComplianceAlerts;

  constructor(scope: Construct, id: string, props: OrganizationAlertBusProps) {
    super(scope, id);
    this.eventBus = new events.EventBus(this, 'Bus', { eventBusName: props.eventBusName });
    this.policy = new events.CfnEventBusPolicy(this, 'Policy', {
      eventBusName: this.eventBus.eventBusName,
      statementId: 'SpokesOfTheOrganizationPutEvents',
      statement: {
        Sid: 'SpokesOfTheOrganizationPutEvents',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Resource: this.eventBus.eventBusArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
      },
    });
    this.alerts = new ComplianceAlerts(this, 'Alerts', {
      ruleName: props.ruleName,
      eventBus: this.eventBus,
    });
  }
}
