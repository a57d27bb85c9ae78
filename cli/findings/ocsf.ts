import { TRAIL_RESOURCE_TYPE } from '../../rule/definition.js';
import { CHECK, findingId, findingText, isGone, type TrailEvaluation } from './trail-evaluation.js';

/**
 * Findings as OCSF Compliance Finding events (class 2003, category Findings), the format of the new AWS
 * Security Hub and of Amazon Security Lake. Written to OCSF_VERSION:
 * https://schema.ocsf.io/1.3.0/classes/compliance_finding. One event per owned trail; `finding_info.uid` is the
 * same on every run (the trail ARN and the check), so a consumer updates the finding rather than adding one. Pure.
 */

export const OCSF_VERSION = '1.3.0';

const CLASS = { uid: 2003, name: 'Compliance Finding' } as const;
const CATEGORY = { uid: 2, name: 'Findings' } as const;

/** Finding activities (finding.json): a finding reported, or closed because its trail left the check. */
const ACTIVITY = { create: { id: 1, name: 'Create' }, close: { id: 3, name: 'Close' } } as const;

/** compliance.status_id: 1 Pass, 2 Warning, 3 Fail (objects/compliance.json). */
const COMPLIANCE_STATUS = {
  pass: { id: 1, name: 'Pass' },
  warning: { id: 2, name: 'Warning' },
  fail: { id: 3, name: 'Fail' },
} as const;

/** Finding status_id: 1 New, 4 Resolved. */
const FINDING_STATUS = { new: { id: 1, name: 'New' }, resolved: { id: 4, name: 'Resolved' } } as const;

/** severity_id: 1 Informational, 2 Low (Security Hub rates CloudTrail.5 LOW). */
const SEVERITY = { informational: { id: 1, name: 'Informational' }, low: { id: 2, name: 'Low' } } as const;

export interface OcsfComplianceFinding {
  readonly activity_id: number;
  readonly activity_name: string;
  readonly category_uid: number;
  readonly category_name: string;
  readonly class_uid: number;
  readonly class_name: string;
  readonly type_uid: number;
  readonly type_name: string;
  readonly severity_id: number;
  readonly severity: string;
  readonly status_id: number;
  readonly status: string;
  readonly time: number;
  readonly message: string;
  readonly metadata: {
    readonly version: string;
    readonly product: { readonly name: string; readonly vendor_name: string; readonly version: string };
    readonly profiles: readonly string[];
  };
  readonly cloud: {
    readonly provider: 'AWS';
    readonly region: string;
    readonly account: { readonly uid: string; readonly type: 'AWS Account'; readonly type_id: 10 };
  };
  readonly finding_info: {
    readonly uid: string;
    readonly title: string;
    readonly desc: string;
    readonly modified_time: number;
    readonly types: readonly string[];
  };
  readonly compliance: {
    readonly standards: readonly string[];
    readonly control: string;
    readonly requirements: readonly string[];
    readonly status_id: number;
    readonly status: string;
    readonly status_code?: string;
    readonly status_detail?: string;
  };
  readonly remediation: { readonly desc: string };
  readonly resources: readonly {
    readonly uid: string;
    readonly name: string;
    readonly type: string;
    readonly region: string;
    readonly cloud_partition: string;
  }[];
}

function complianceStatus(compliance: string) {
  if (compliance === 'COMPLIANT') return COMPLIANCE_STATUS.pass;
  if (compliance === 'NON_COMPLIANT') return COMPLIANCE_STATUS.fail;
  // NOT_APPLICABLE, INSUFFICIENT_DATA: no result for the control.
  return COMPLIANCE_STATUS.warning;
}

/** One event per evaluation, in the order given; `productVersion` is this package's version. */
export function toOcsfFindings(
  evaluations: readonly TrailEvaluation[],
  productVersion: string,
): OcsfComplianceFinding[] {
  return evaluations.map((evaluation) => {
    const activity = isGone(evaluation) ? ACTIVITY.close : ACTIVITY.create;
    const status = complianceStatus(evaluation.compliance);
    const failed = status === COMPLIANCE_STATUS.fail;
    const time = Date.parse(evaluation.evaluatedAt);
    const { annotation, description: message } = findingText(evaluation);
    const severity = failed ? SEVERITY.low : SEVERITY.informational;
    const findingStatus = failed ? FINDING_STATUS.new : FINDING_STATUS.resolved;
    return {
      activity_id: activity.id,
      activity_name: activity.name,
      category_uid: CATEGORY.uid,
      category_name: CATEGORY.name,
      class_uid: CLASS.uid,
      class_name: CLASS.name,
      type_uid: CLASS.uid * 100 + activity.id,
      type_name: `${CLASS.name}: ${activity.name}`,
      severity_id: severity.id,
      severity: severity.name,
      status_id: findingStatus.id,
      status: findingStatus.name,
      time,
      message,
      metadata: {
        version: OCSF_VERSION,
        product: {
          name: 'cloudtrail-logs-guard',
          vendor_name: 'cloudtrail-logs-guard',
          version: productVersion,
        },
        profiles: ['cloud'],
      },
      cloud: {
        provider: 'AWS',
        region: evaluation.region,
        account: { uid: evaluation.account, type: 'AWS Account', type_id: 10 },
      },
      finding_info: {
        uid: findingId(evaluation),
        title: CHECK.title,
        desc: message,
        modified_time: time,
        types: [CHECK.securityControlId],
      },
      compliance: {
        standards: CHECK.cisRequirements.map((requirement) => requirement.split('/')[0] ?? requirement),
        control: CHECK.securityControlId,
        requirements: CHECK.cisRequirements,
        status_id: status.id,
        status: status.name,
        ...(evaluation.reasonCode === undefined ? {} : { status_code: evaluation.reasonCode }),
        ...(annotation === undefined ? {} : { status_detail: annotation }),
      },
      remediation: { desc: CHECK.remediation },
      resources: [
        {
          uid: evaluation.trailArn,
          name: evaluation.trailName,
          type: TRAIL_RESOURCE_TYPE,
          region: evaluation.region,
          cloud_partition: evaluation.partition,
        },
      ],
    };
  });
}
