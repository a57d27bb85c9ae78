import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { RULE_NAME } from '../rule/definition.js';
import { ComplianceAlerts } from './compliance-alerts.js';
import type { GuardContext } from './context.js';
import type { DeploymentExemptions } from './exemptions.js';
import { singleAccountKmsKey } from './kms-keys.js';
import { MonitoringTopic } from './monitoring-topic.js';
import { RemediationAutomation } from './remediation-automation.js';
import { RemediationFunction } from './remediation-function.js';
import { RuleFunction } from './rule-function.js';
import { RuleRemediation } from './rule-remediation.js';
import { TrailLogsRule } from './trail-rule.js';

/** Base name of the single-account stack; the name prefix, when set, goes in front. */
export const GUARD_STACK_NAME = 'cloudtrail-logs-guard';

/** `<prefix>-<name>`, or the name alone when no prefix is set. */
export function prefixedName(prefix: string | undefined, name: string): string {
  return prefix === undefined ? name : `${prefix}-${name}`;
}

export interface GuardStackProps extends StackProps {
  readonly settings: GuardContext;
  /** The validated exemptions file (infra/exemptions.ts), shipped in both Lambdas' code. @default none */
  readonly exemptions?: DeploymentExemptions;
}

/**
 * Everything for one account and region: the rule Lambda and its Config rule, the remediation Lambda, the SSM
 * Automation document with its role, and the remediation configuration binding them to the rule.
 */
export class GuardStack extends Stack {
  readonly ruleFunction: RuleFunction;
  readonly remediationFunction: RemediationFunction;
  readonly rule: TrailLogsRule;
  readonly automation: RemediationAutomation;
  readonly remediation: RuleRemediation;
  /**
   * The topic of the monitoring alarms; undefined unless context `monitoring` is on, or when the alarms notify the
   * team's own topic (context alarmTopicArn).
   */
  readonly monitoringTopic: MonitoringTopic | undefined;
  /** The alert on change; undefined unless context `complianceAlerts` is on. */
  readonly complianceAlerts: ComplianceAlerts | undefined;

  constructor(scope: Construct, id: string, props: GuardStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const exemptions = props.exemptions === undefined ? {} : { exemptions: props.exemptions };

    this.ruleFunction = new RuleFunction(this, 'RuleFunction', {
      logRetentionDays: settings.retentionDays,
      logLevel: settings.logLevel,
      ...exemptions,
    });
    this.rule = new TrailLogsRule(this, 'TrailLogsRule', {
      ruleFunction: this.ruleFunction.function,
      ruleName: prefixedName(settings.namePrefix, RULE_NAME),
      maximumExecutionFrequency: settings.ruleSchedule,
      expectedDeliveryWindowAge: settings.expectedDeliveryWindowAge,
    });
    this.ruleFunction.allowCleanUpOf(this.rule.ruleArn);
    this.complianceAlerts = settings.complianceAlerts
      ? new ComplianceAlerts(this, 'ComplianceAlerts', { ruleName: this.rule.ruleName })
      : undefined;

    const notifications = settings.alarmNotifications;
    this.monitoringTopic =
      settings.monitoring && notifications.topicArn === undefined
        ? new MonitoringTopic(this, 'MonitoringTopic', {
            emails: notifications.emails,
            httpsEndpoints: notifications.httpsEndpoints,
          })
        : undefined;
    const alarmsTopicArn = notifications.topicArn ?? this.monitoringTopic?.topic.topicArn;
    const monitoring =
      settings.monitoring && alarmsTopicArn !== undefined ? { topicArn: alarmsTopicArn } : undefined;
    this.remediationFunction = new RemediationFunction(this, 'RemediationFunction', {
      logRetentionDays: settings.retentionDays,
      logLevel: settings.logLevel,
      deliveryBoundary: true,
      ...(monitoring === undefined ? {} : { monitoring }),
      ...exemptions,
    });
    this.automation = new RemediationAutomation(this, 'RemediationAutomation', {
      remediationFunction: this.remediationFunction.function,
    });
    this.remediation = new RuleRemediation(this, 'RuleRemediation', {
      configRuleName: this.rule.ruleName,
      documentName: this.automation.documentName,
      automationRoleArn: this.automation.automationRole.roleArn,
      retentionDays: settings.retentionDays,
      kmsKeyArn: singleAccountKmsKey(settings.kmsKeyArns),
      automatic: settings.autoRemediation,
      // The Lambda's environment names the topic: the document's MonitoringTopicArn stays ''.
      ...(monitoring === undefined ? {} : { monitoring: {} }),
    });

    new CfnOutput(this, 'ConfigRuleName', {
      description: "Open this rule in the AWS Config console to see each trail's compliance.",
      value: this.rule.ruleName,
    });
    new CfnOutput(this, 'RemediationDocumentName', {
      description: 'SSM Automation document the Remediate action runs.',
      value: this.automation.documentName,
    });
    new CfnOutput(this, 'AutomationRoleArn', {
      description: 'AutomationAssumeRole for running the document by hand.',
      value: this.automation.automationRole.roleArn,
    });
    if (monitoring !== undefined) {
      new CfnOutput(this, 'MonitoringTopicArn', {
        description:
          "SNS topic the CIS monitoring alarms notify: Security Hub's CloudWatch.1-14 pass only once it has a " +
          'confirmed subscriber.',
        value: monitoring.topicArn,
      });
    }
    if (this.complianceAlerts !== undefined) {
      new CfnOutput(this, 'ComplianceAlertTopicArn', {
        description: 'SNS topic told when a trail turns NON_COMPLIANT or stops being so: subscribe to it.',
        value: this.complianceAlerts.topic.topicArn,
      });
    }
  }
}
