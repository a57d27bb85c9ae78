import { CHECK, findingId, findingText, isGone, type TrailEvaluation } from './trail-evaluation.js';

/**
 * Findings in the AWS Security Finding Format (ASFF), ready for `aws securityhub batch-import-findings`. Pure.
 * Attributes: https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html and the
 * required top-level ones: https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html.
 * Security Hub updates a finding it already holds with the same ProductArn and Id, so a re-run updates the
 * findings of the last run instead of adding new ones (`Id` is the trail ARN and the check, nothing else).
 */

/** ASFF's one schema version. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** The finding type of a CIS benchmark check, from the ASFF types taxonomy. */
const FINDING_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark';

/** BatchImportFindings limits a Description to 1024 characters and a status reason's to 2048. */
const DESCRIPTION_MAX = 1024;

export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';

export interface AsffFinding {
  readonly SchemaVersion: string;
  readonly Id: string;
  readonly ProductArn: string;
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly Region: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: 'INFORMATIONAL' | 'LOW' };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { readonly Recommendation: { readonly Text: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: readonly AsffResource[];
  readonly Compliance: {
    readonly Status: AsffComplianceStatus;
    readonly SecurityControlId: string;
    readonly RelatedRequirements: readonly string[];
    readonly StatusReasons?: readonly { readonly ReasonCode: string; readonly Description: string }[];
  };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

export interface AsffResource {
  readonly Type: 'AwsCloudTrailTrail';
  readonly Id: string;
  readonly Partition: string;
  readonly Region: string;
  readonly Details: {
    readonly AwsCloudTrailTrail: {
      readonly Name: string;
      readonly TrailArn: string;
      readonly HomeRegion: string;
      readonly CloudWatchLogsLogGroupArn?: string;
      readonly CloudWatchLogsRoleArn?: string;
    };
  };
}

/** Where the findings are imported: BatchImportFindings takes the default product of the calling account and region. */
export interface AsffTarget {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
}

/** Config's compliance in ASFF's words; anything Config did not decide (INSUFFICIENT_DATA) is a WARNING. */
export function asffStatus(compliance: string): AsffComplianceStatus {
  switch (compliance) {
    case 'COMPLIANT':
      return 'PASSED';
    case 'NON_COMPLIANT':
      return 'FAILED';
    case 'NOT_APPLICABLE':
      return 'NOT_AVAILABLE';
    default:
      return 'WARNING';
  }
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One finding per evaluation, in the order given. */
export function toAsffFindings(evaluations: readonly TrailEvaluation[], target: AsffTarget): AsffFinding[] {
  const productArn = `arn:${target.partition}:securityhub:${target.region}:${target.account}:product/${target.account}/default`;
  return evaluations.map((evaluation) => {
    const status = asffStatus(evaluation.compliance);
    const { description } = findingText(evaluation);
    return {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: findingId(evaluation),
      ProductArn: productArn,
      ProductName: 'cloudtrail-logs-guard',
      CompanyName: 'cloudtrail-logs-guard',
      Region: evaluation.region,
      GeneratorId: CHECK.generatorId,
      AwsAccountId: evaluation.account,
      Types: [FINDING_TYPE],
      CreatedAt: evaluation.evaluatedAt,
      UpdatedAt: evaluation.evaluatedAt,
      // Security Hub rates CloudTrail.5 LOW; a check that passed or could not apply is informational.
      Severity: { Label: status === 'FAILED' ? 'LOW' : 'INFORMATIONAL' },
      Title: CHECK.title,
      Description: cut(description, DESCRIPTION_MAX),
      Remediation: { Recommendation: { Text: CHECK.remediation } },
      ProductFields: {
        'cloudtrail-logs-guard/ReasonCode': evaluation.reasonCode ?? 'none',
        'cloudtrail-logs-guard/ConfigCompliance': evaluation.compliance,
      },
      Resources: [
        {
          Type: 'AwsCloudTrailTrail',
          Id: evaluation.trailArn,
          Partition: evaluation.partition,
          Region: evaluation.region,
          Details: {
            AwsCloudTrailTrail: {
              Name: evaluation.trailName,
              TrailArn: evaluation.trailArn,
              HomeRegion: evaluation.region,
              ...(evaluation.logGroupArn === undefined
                ? {}
                : { CloudWatchLogsLogGroupArn: evaluation.logGroupArn }),
              ...(evaluation.roleArn === undefined ? {} : { CloudWatchLogsRoleArn: evaluation.roleArn }),
            },
          },
        },
      ],
      Compliance: {
        Status: status,
        SecurityControlId: CHECK.securityControlId,
        RelatedRequirements: CHECK.cisRequirements,
        ...(evaluation.reasonCode === undefined
          ? {}
          : { StatusReasons: [{ ReasonCode: evaluation.reasonCode, Description: cut(description, 2048) }] }),
      },
      // A trail that left the check (deleted, out of scope) closes its finding.
      RecordState: isGone(evaluation) ? 'ARCHIVED' : 'ACTIVE',
    };
  });
}
