import * as config from 'aws-cdk-lib/aws-config';
import { Construct } from 'constructs';
import { DOCUMENT_PARAMETER } from '../remediation/automation-document.js';
import { TRAIL_RESOURCE_TYPE } from '../rule/definition.js';
import type { AutomaticRemediation, RetentionDays } from './context.js';

export interface RuleRemediationProps {
  /** The Config rule whose NON_COMPLIANT trails this remediates. */
  readonly configRuleName: string;
  /** The SSM Automation document to run. */
  readonly documentName: string;
  /** The role the document assumes (`AutomationAssumeRole`). */
  readonly automationRoleArn: string;
  /** Retention of the log groups the remediation creates, in days. */
  readonly retentionDays: RetentionDays;
  /** KMS key for the log groups the remediation creates. @default - CloudWatch Logs' default encryption */
  readonly kmsKeyArn?: string;
  /** Run automatically with these bounds. @default - manual: an operator presses Remediate in the Config console */
  readonly automatic?: AutomaticRemediation;
  /**
   * Turn the CIS monitoring on (document parameter Monitoring), notifying `topicArn` (MonitoringTopicArn; absent:
   * the Lambda's own topic). @default - off
   */
  readonly monitoring?: { readonly topicArn?: string };
}

/**
 * Binds the Automation document to the Config rule: `TrailName` takes each trail's RESOURCE_ID, the other
 * parameters are fixed at deploy time.
 */
export class RuleRemediation extends Construct {
  readonly remediation: config.CfnRemediationConfiguration;

  constructor(scope: Construct, id: string, props: RuleRemediationProps) {
    super(scope, id);
    const staticValue = (value: string) => ({ StaticValue: { Values: [value] } });
    const parameters: Record<string, unknown> = {
      [DOCUMENT_PARAMETER.automationAssumeRole]: staticValue(props.automationRoleArn),
      [DOCUMENT_PARAMETER.trailName]: { ResourceValue: { Value: 'RESOURCE_ID' } },
      [DOCUMENT_PARAMETER.retentionInDays]: staticValue(String(props.retentionDays)),
    };
    if (props.kmsKeyArn !== undefined) {
      parameters[DOCUMENT_PARAMETER.kmsKeyArn] = staticValue(props.kmsKeyArn);
    }
    if (props.monitoring !== undefined) {
      parameters[DOCUMENT_PARAMETER.monitoring] = staticValue('true');
      if (props.monitoring.topicArn !== undefined) {
        parameters[DOCUMENT_PARAMETER.monitoringTopicArn] = staticValue(props.monitoring.topicArn);
      }
    }

    this.remediation = new config.CfnRemediationConfiguration(this, 'Remediation', {
      configRuleName: props.configRuleName,
      resourceType: TRAIL_RESOURCE_TYPE,
      targetType: 'SSM_DOCUMENT',
      targetId: props.documentName,
      parameters,
      automatic: props.automatic !== undefined,
      maximumAutomaticAttempts: props.automatic?.maxAttempts,
      retryAttemptSeconds: props.automatic?.retrySeconds,
    });
  }
}
