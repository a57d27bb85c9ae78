import { TOPIC_ARN_PATTERN } from './arns.js';
import {
  DEFAULT_RETENTION_DAYS,
  MONITORING_PAYLOAD_KEY,
  ORGANIZATION_PAYLOAD_KEY,
  PAYLOAD_KEY,
} from './definition.js';

/**
 * The SSM Automation document (schemaVersion 0.3) that AWS Config's remediation runs. Plain data, no I/O and
 * no aws-cdk-lib, so the CDK stack deploys exactly what the tests check.
 */

/** Document parameter names; `trailName` is bound to Config's RESOURCE_ID by the remediation configuration. */
export const DOCUMENT_PARAMETER = {
  trailName: PAYLOAD_KEY.trailName,
  automationAssumeRole: 'AutomationAssumeRole',
  retentionInDays: PAYLOAD_KEY.retentionInDays,
  kmsKeyArn: PAYLOAD_KEY.kmsKeyArn,
  dryRun: PAYLOAD_KEY.dryRun,
  adoptExisting: PAYLOAD_KEY.adoptExisting,
  monitoring: MONITORING_PAYLOAD_KEY.monitoring,
  monitoringTopicArn: MONITORING_PAYLOAD_KEY.monitoringTopicArn,
} as const;

/**
 * What the document uses for a parameter its execution was started without: the hub compares an execution's
 * parameters with the request it received (remediation/organization/execution-proof.ts), and an absent one
 * means this.
 */
export const DOCUMENT_PARAMETER_DEFAULTS = {
  [DOCUMENT_PARAMETER.retentionInDays]: DEFAULT_RETENTION_DAYS,
  [DOCUMENT_PARAMETER.kmsKeyArn]: '',
  [DOCUMENT_PARAMETER.dryRun]: false,
  [DOCUMENT_PARAMETER.adoptExisting]: false,
  [DOCUMENT_PARAMETER.monitoring]: false,
  [DOCUMENT_PARAMETER.monitoringTopicArn]: '',
} as const;

/** Step names: the console lists them, and `outputs` refers to them. */
export const DOCUMENT_STEP = {
  invoke: 'InvokeRemediationFunction',
  check: 'FailUnlessRemediated',
} as const;

/** Document output: the Lambda's JSON summary, as the string the function returned. */
export const DOCUMENT_OUTPUT = `${DOCUMENT_STEP.invoke}.Payload`;

const P = DOCUMENT_PARAMETER;

// The payload is JSON text with the parameters substituted in. TrailName is quoted, so its allowedPattern
// (names and ARNs have no quote or backslash) keeps the text valid JSON; RetentionInDays, DryRun and
// AdoptExisting and Monitoring are Integer and Boolean and go in bare; KmsKeyArn's and MonitoringTopicArn's default
// '' arrives as "" and the Lambda reads it as "no key" and "the deployment's topic".
const PAYLOAD_FIELDS =
  `"${P.trailName}":"{{${P.trailName}}}","${P.retentionInDays}":{{${P.retentionInDays}}},` +
  `"${P.kmsKeyArn}":"{{${P.kmsKeyArn}}}","${P.dryRun}":{{${P.dryRun}}},` +
  `"${P.adoptExisting}":{{${P.adoptExisting}}},` +
  `"${P.monitoring}":{{${P.monitoring}}},"${P.monitoringTopicArn}":"{{${P.monitoringTopicArn}}}"`;

/**
 * Whether aws:invokeLambdaFunction fails when the function throws is not documented (nor whether its
 * FunctionError output can be referenced when unset), so this step decides from the Payload alone: a thrown
 * error returns Lambda's error object (`errorType`, `errorMessage`), a success returns the summary (an object
 * with `trail` and `actions`). Anything but a summary fails the execution. The script calls no AWS API, so
 * the step needs no permissions.
 */
export const CHECK_SCRIPT = `import json


def handler(events, context):
    payload = events.get('Payload') or ''
    try:
        summary = json.loads(payload)
    except ValueError:
        summary = None
    if not isinstance(summary, dict):
        raise Exception('Remediation Lambda returned no summary: %s' % payload[:1000])
    if 'errorMessage' in summary:
        raise Exception('Remediation Lambda failed: %s: %s' % (
            summary.get('errorType', 'Error'), summary['errorMessage']))
    if 'trail' not in summary or 'actions' not in summary:
        raise Exception('Remediation Lambda returned no summary: %s' % payload[:1000])
    return {'outcome': summary.get('outcome', '')}
`;

/** What a spoke's document adds to the payload for the hub's Lambda (organization mode). */
export interface OrganizationPayload {
  /** The spoke role the hub Lambda assumes in the account the automation runs in. */
  readonly executionRoleName: string;
  /** That account's delivery boundary, for the roles the remediation creates there. */
  readonly permissionsBoundaryArn?: string;
}

/**
 * `{{global:ACCOUNT_ID}}` is the account the automation runs in, so the hub Lambda acts where the trail is, and
 * `{{automation:EXECUTION_ID}}` the execution itself, which the hub reads back there before acting; the other
 * values are fixed by the spoke template (no quotes or backslashes: role names and ARNs).
 */
function organizationPayloadFields(organization: OrganizationPayload | undefined): string {
  if (organization === undefined) return '';
  const K = ORGANIZATION_PAYLOAD_KEY;
  return (
    `,"${K.targetAccountId}":"{{global:ACCOUNT_ID}}","${K.executionRoleName}":"${organization.executionRoleName}"` +
    `,"${K.automationExecutionId}":"{{automation:EXECUTION_ID}}"` +
    (organization.permissionsBoundaryArn === undefined
      ? ''
      : `,"${K.permissionsBoundaryArn}":"${organization.permissionsBoundaryArn}"`)
  );
}

/**
 * The Automation document content for the remediation Lambda `functionName` (a name, or an ARN for a function
 * in another account). Parameters: TrailName, AutomationAssumeRole, RetentionInDays (365), KmsKeyArn ('' =
 * none), DryRun (false), AdoptExisting (false), Monitoring (false), MonitoringTopicArn ('' = the stack's). With `organization`, the payload also names the account, role and boundary for a
 * hub Lambda in another account.
 */
export function buildAutomationDocument(
  functionName: string,
  organization?: OrganizationPayload,
): Record<string, unknown> {
  return {
    schemaVersion: '0.3',
    description:
      '# Send a CloudTrail trail to CloudWatch Logs\n\n' +
      'Creates (or reuses) a log group and an IAM role for the trail, then points the trail at them with ' +
      'UpdateTrail. A trail that already sends to CloudWatch Logs is left untouched. With DryRun the ' +
      'summary lists what would change and nothing is written.',
    assumeRole: `{{${P.automationAssumeRole}}}`,
    parameters: {
      [P.trailName]: {
        type: 'String',
        description: 'Name or ARN of the trail (AWS Config passes its RESOURCE_ID).',
        allowedPattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{2,2047}$',
      },
      [P.automationAssumeRole]: {
        type: 'String',
        description: 'ARN of the role Automation assumes to invoke the remediation Lambda.',
        allowedPattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$',
      },
      [P.retentionInDays]: {
        type: 'Integer',
        description: 'Retention of the log group in days, one CloudWatch Logs accepts; a longer one is kept.',
        default: DOCUMENT_PARAMETER_DEFAULTS[P.retentionInDays],
      },
      [P.kmsKeyArn]: {
        type: 'String',
        description: "ARN of a KMS key for the log group; '' (the default) for none.",
        default: DOCUMENT_PARAMETER_DEFAULTS[P.kmsKeyArn],
        allowedPattern: '^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:key/[A-Za-z0-9-]+$',
      },
      [P.dryRun]: {
        type: 'Boolean',
        description: 'true: report what would change and write nothing.',
        default: DOCUMENT_PARAMETER_DEFAULTS[P.dryRun],
      },
      [P.adoptExisting]: {
        type: 'Boolean',
        description:
          "true: reuse a log group or role under the remediation's names that it did not create (no managed-by " +
          "tag); the summary lists the log group's subscription filters and KMS key. false (the default): refuse.",
        default: DOCUMENT_PARAMETER_DEFAULTS[P.adoptExisting],
      },
      [P.monitoring]: {
        type: 'Boolean',
        description:
          'true: after the integration, create the CIS monitoring metric filters and alarms (Security Hub ' +
          "CloudWatch.1-14) on the trail's log group, when the trail qualifies. false (the default): none.",
        default: DOCUMENT_PARAMETER_DEFAULTS[P.monitoring],
      },
      [P.monitoringTopicArn]: {
        type: 'String',
        description:
          "SNS topic the monitoring alarms notify; '' (the default) for the topic the stack created.",
        default: DOCUMENT_PARAMETER_DEFAULTS[P.monitoringTopicArn],
        allowedPattern: `^$|${TOPIC_ARN_PATTERN.source}`,
      },
    },
    mainSteps: [
      {
        name: DOCUMENT_STEP.invoke,
        action: 'aws:invokeLambdaFunction',
        onFailure: 'Abort',
        inputs: {
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          Payload: `{${PAYLOAD_FIELDS}${organizationPayloadFields(organization)}}`,
        },
      },
      {
        name: DOCUMENT_STEP.check,
        action: 'aws:executeScript',
        onFailure: 'Abort',
        isEnd: true,
        inputs: {
          Runtime: 'python3.11',
          Handler: 'handler',
          Script: CHECK_SCRIPT,
          InputPayload: { Payload: `{{${DOCUMENT_STEP.invoke}.Payload}}` },
        },
      },
    ],
    outputs: [DOCUMENT_OUTPUT],
  };
}
