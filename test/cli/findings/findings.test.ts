import { describe, expect, it } from 'vitest';
import { toAsffFindings } from '../../../cli/findings/asff.js';
import { toOcsfFindings } from '../../../cli/findings/ocsf.js';
import { fromAggregator, fromScan, type TrailEvaluation } from '../../../cli/findings/trail-evaluation.js';
import type { AggregateEvaluation } from '../../../cli/report.js';
import type { ScannedTrail } from '../../../cli/scan.js';
import { ANNOTATION, type ComplianceType } from '../../../rule/evaluate.js';
import { type ReasonCode, reasonCode } from '../../../rule/reason-code.js';
import { asffModel, asffValidator, ocsfValidator } from './schemas.js';

const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const TARGET = { account: ACCOUNT, region: REGION, partition: 'aws' };
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/cloudtrail-logs-guard/main:*`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/CloudTrailToLogs-main`;
const SCANNED_AT = new Date('2026-12-01T09:30:00.000Z');

/** An annotation of every reason of the rule's table, with the verdict the rule gives with it. */
const REASONS: readonly [Exclude<ReasonCode, 'unknown'>, ComplianceType, string][] = [
  ['notConfigured', 'NON_COMPLIANT', ANNOTATION.notConfigured],
  ['noRole', 'NON_COMPLIANT', ANNOTATION.noRole('/cloudtrail-logs-guard/main')],
  ['noLogGroup', 'NON_COMPLIANT', ANNOTATION.noLogGroup(ROLE)],
  [
    'stale',
    'NON_COMPLIANT',
    ANNOTATION.stale('/g', '3 days', '24 hours') +
      ANNOTATION.deliveryError('AccessDenied: "logs:PutLogEvents"'),
  ],
  ['predates', 'NON_COMPLIANT', ANNOTATION.predates('/g', '97 minutes', '90 minutes')],
  ['never', 'NON_COMPLIANT', ANNOTATION.never('/g', '24 hours')],
  ['integrated', 'COMPLIANT', ANNOTATION.integrated('/cloudtrail-logs-guard/main')],
  ['delivering', 'COMPLIANT', ANNOTATION.delivering('/g', '5 hours', '24 hours')],
  ['grace', 'COMPLIANT', ANNOTATION.grace('/g', '3 minutes')],
  ['regionCopy', 'NOT_APPLICABLE', ANNOTATION.regionCopy('main', 'us-east-1')],
  ['accountCopy', 'NOT_APPLICABLE', ANNOTATION.accountCopy('org', '999988887777', 'us-east-1')],
  ['deleted', 'NOT_APPLICABLE', ANNOTATION.deleted('ResourceDeleted')],
  ['notRecorded', 'NOT_APPLICABLE', ANNOTATION.notRecorded('ResourceNotRecorded')],
  ['leftScope', 'NOT_APPLICABLE', ANNOTATION.leftScope],
  ['gone', 'NOT_APPLICABLE', ANNOTATION.gone],
  ['otherResourceType', 'NOT_APPLICABLE', ANNOTATION.otherResourceType('AWS::S3::Bucket')],
  ['exempt', 'NOT_APPLICABLE', ANNOTATION.exempt('2027-01-15', 'Data events cost.', 'SEC-1234')],
  [
    'exemptionExpired',
    'NON_COMPLIANT',
    ANNOTATION.exemptionExpired('2026-11-15', 'SEC-1234', ANNOTATION.notConfigured),
  ],
];

const COPIES: readonly ReasonCode[] = ['regionCopy', 'accountCopy'];

function scanned(name: string, verdict: ComplianceType, reason: string, account = ACCOUNT): ScannedTrail {
  return {
    name,
    arn: `arn:aws:cloudtrail:${REGION}:${account}:trail/${name}`,
    account,
    homeRegion: REGION,
    logGroupArn: LOG_GROUP,
    roleArn: ROLE,
    verdict,
    reasonCode: reasonCode(reason),
    reason,
  };
}

function aggregated(resourceId: string, compliance: string, annotation?: string): AggregateEvaluation {
  return {
    accountId: '444455556666',
    region: 'us-gov-west-1',
    resourceId,
    compliance,
    ...(annotation === undefined ? {} : { annotation }),
    recordedAt: '2026-11-28T10:00:00.000Z',
  };
}

/** Every reason of the table as scan and as an aggregator give it, copies included (they must drop out). */
function everyReason(): { scan: TrailEvaluation[]; report: TrailEvaluation[] } {
  return {
    scan: fromScan(
      REASONS.map(([code, verdict, text]) => scanned(`trail-${code}`, verdict, text)),
      ACCOUNT,
      SCANNED_AT,
    ),
    report: fromAggregator(
      [
        ...REASONS.map(([code, verdict, text]) => aggregated(`trail-${code}`, verdict, text)),
        aggregated('trail-unknown', 'NON_COMPLIANT', 'A reason no version of the rule writes.'),
        aggregated('trail-none', 'INSUFFICIENT_DATA'),
      ],
      SCANNED_AT,
    ),
  };
}

describe('trail evaluations', () => {
  it("cover every reason of the rule's annotation table, so a new reason cannot go untested", () => {
    expect(REASONS.map(([code]) => code).sort()).toEqual(
      Object.keys(ANNOTATION)
        .filter((key) => key !== 'deliveryError')
        .sort(),
    );
  });

  it('keep one evaluation per owned trail: copies and other accounts are left to their owners', () => {
    const evaluations = fromScan(
      [
        scanned('main', 'NON_COMPLIANT', ANNOTATION.notConfigured),
        scanned('main-copy', 'NOT_APPLICABLE', ANNOTATION.regionCopy('main', 'us-east-1')),
        scanned(
          'org',
          'NOT_APPLICABLE',
          ANNOTATION.accountCopy('org', '999988887777', REGION),
          '999988887777',
        ),
      ],
      ACCOUNT,
      SCANNED_AT,
    );
    expect(evaluations.map((e) => e.trailName)).toEqual(['main']);
    const { scan, report } = everyReason();
    expect(scan.map((e) => e.reasonCode)).toEqual(
      REASONS.map(([code]) => code).filter((code) => !COPIES.includes(code)),
    );
    expect(report.map((e) => e.trailName)).not.toContain('trail-regionCopy');
  });

  it.each([
    [
      'a trail name',
      'main',
      'arn:aws-us-gov:cloudtrail:us-gov-west-1:444455556666:trail/main',
      'main',
      'aws-us-gov',
    ],
    [
      'a trail ARN',
      'arn:aws:cloudtrail:us-east-1:777788889999:trail/org',
      'arn:aws:cloudtrail:us-east-1:777788889999:trail/org',
      'org',
      'aws',
    ],
  ])('name the trail an aggregator knows by %s with its ARN', (_case, resourceId, arn, name, partition) => {
    const [evaluation] = fromAggregator(
      [aggregated(resourceId, 'COMPLIANT', ANNOTATION.integrated('/g'))],
      SCANNED_AT,
    );
    expect([evaluation?.trailArn, evaluation?.trailName, evaluation?.partition]).toEqual([
      arn,
      name,
      partition,
    ]);
  });
});

describe('ASFF findings', () => {
  const validate = asffValidator();

  it('come with the source and version of the model they are validated against', () => {
    const model = asffModel();
    expect(model.source).toBe(
      'https://github.com/boto/botocore/blob/1.43.11/botocore/data/securityhub/2018-10-26/service-2.json',
    );
    expect(model.version).toMatch(/^AWS Security Hub API 2018-10-26, as published in botocore 1\.43\.11/);
  });

  it.each(['scan', 'report'] as const)('validate for every reason code (%s)', (source) => {
    const findings = toAsffFindings(everyReason()[source], TARGET);
    expect(findings.length).toBeGreaterThanOrEqual(REASONS.length - COPIES.length);
    for (const finding of findings) {
      const valid = validate(finding);
      expect([finding.Id, valid ? [] : validate.errors]).toEqual([finding.Id, []]);
    }
  });

  it('say why, where and which control, for a failing trail', () => {
    const [finding] = toAsffFindings(
      fromScan([scanned('main', 'NON_COMPLIANT', ANNOTATION.notConfigured)], ACCOUNT, SCANNED_AT),
      TARGET,
    );
    expect(finding).toEqual({
      SchemaVersion: '2018-10-08',
      Id: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main/cloudtrail-logs-guard/cloudtrail-cloudwatch-logs-integrated`,
      ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      ProductName: 'cloudtrail-logs-guard',
      CompanyName: 'cloudtrail-logs-guard',
      Region: REGION,
      GeneratorId: 'cloudtrail-logs-guard/cloudtrail-cloudwatch-logs-integrated',
      AwsAccountId: ACCOUNT,
      Types: [
        'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      ],
      CreatedAt: '2026-12-01T09:30:00.000Z',
      UpdatedAt: '2026-12-01T09:30:00.000Z',
      Severity: { Label: 'LOW' },
      Title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
      Description: ANNOTATION.notConfigured,
      Remediation: {
        Recommendation: {
          Text:
            'Run cloudtrail-logs-guard fix TRAIL (or the Remediate action of the AWS Config rule) to create the log ' +
            'group and role and point the trail at them.',
        },
      },
      ProductFields: {
        'cloudtrail-logs-guard/ReasonCode': 'notConfigured',
        'cloudtrail-logs-guard/ConfigCompliance': 'NON_COMPLIANT',
      },
      Resources: [
        {
          Type: 'AwsCloudTrailTrail',
          Id: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
          Partition: 'aws',
          Region: REGION,
          Details: {
            AwsCloudTrailTrail: {
              Name: 'main',
              TrailArn: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
              HomeRegion: REGION,
              CloudWatchLogsLogGroupArn: LOG_GROUP,
              CloudWatchLogsRoleArn: ROLE,
            },
          },
        },
      ],
      Compliance: {
        Status: 'FAILED',
        SecurityControlId: 'CloudTrail.5',
        RelatedRequirements: [
          'CIS AWS Foundations Benchmark v1.2.0/2.4',
          'CIS AWS Foundations Benchmark v1.4.0/3.4',
        ],
        StatusReasons: [{ ReasonCode: 'notConfigured', Description: ANNOTATION.notConfigured }],
      },
      RecordState: 'ACTIVE',
    });
  });

  it.each<[string, string, string | undefined, string, string]>([
    ['a compliant trail', 'COMPLIANT', ANNOTATION.integrated('/g'), 'PASSED', 'ACTIVE'],
    [
      'a deleted trail, closed',
      'NOT_APPLICABLE',
      ANNOTATION.deleted('ResourceDeleted'),
      'NOT_AVAILABLE',
      'ARCHIVED',
    ],
    ['a trail out of scope, closed', 'NOT_APPLICABLE', ANNOTATION.leftScope, 'NOT_AVAILABLE', 'ARCHIVED'],
    ['no result Config could record', 'INSUFFICIENT_DATA', undefined, 'WARNING', 'ACTIVE'],
  ])('map %s', (_case, compliance, annotation, status, recordState) => {
    const [finding] = toAsffFindings(
      fromAggregator([aggregated('main', compliance, annotation)], SCANNED_AT),
      TARGET,
    );
    expect([finding?.Compliance.Status, finding?.RecordState, finding?.Severity.Label]).toEqual([
      status,
      recordState,
      'INFORMATIONAL',
    ]);
  });

  it('keep their ids on a re-run whose verdicts, reasons and times changed, one id per trail', () => {
    const first = toAsffFindings(everyReason().scan, TARGET);
    const names = first.map((f) => f.Resources[0]?.Details.AwsCloudTrailTrail.Name ?? '');
    const rerun = toAsffFindings(
      fromScan(
        names.map((name) => scanned(name, 'COMPLIANT', ANNOTATION.integrated('/other'))),
        ACCOUNT,
        new Date('2026-12-02T00:00:00.000Z'),
      ),
      TARGET,
    );
    expect(rerun.map((f) => f.Id)).toEqual(first.map((f) => f.Id));
    expect(rerun.map((f) => f.UpdatedAt)).not.toEqual(first.map((f) => f.UpdatedAt));
    expect(new Set(first.map((f) => f.Id)).size).toBe(first.length);
  });

  it.each<[string, (finding: Record<string, unknown>) => void]>([
    ['without a Title', (f) => delete f.Title],
    ['with a misspelt attribute', (f) => (f.Severty = { Label: 'LOW' })],
    ['with a compliance status ASFF does not know', (f) => (f.Compliance = { Status: 'NON_COMPLIANT' })],
    ['with a Description over 1024 characters', (f) => (f.Description = 'x'.repeat(1025))],
    ['with a local time', (f) => (f.UpdatedAt = '2026-12-01 09:30')],
  ])('are refused by the schema %s', (_case, spoil) => {
    const [finding] = toAsffFindings(everyReason().scan, TARGET);
    const spoilt = structuredClone(finding) as unknown as Record<string, unknown>;
    spoil(spoilt);
    expect(validate(finding)).toBe(true);
    expect(validate(spoilt)).toBe(false);
  });
});

describe('OCSF Compliance Findings', () => {
  const validate = ocsfValidator();

  it.each(['scan', 'report'] as const)('validate for every reason code (%s)', (source) => {
    for (const finding of toOcsfFindings(everyReason()[source], '0.1.0')) {
      const valid = validate(finding);
      expect([finding.finding_info.uid, valid ? [] : validate.errors]).toEqual([
        finding.finding_info.uid,
        [],
      ]);
    }
  });

  it('say why, where and which control, for a failing trail', () => {
    const [finding] = toOcsfFindings(
      fromScan([scanned('main', 'NON_COMPLIANT', ANNOTATION.notConfigured)], ACCOUNT, SCANNED_AT),
      '0.1.0',
    );
    expect(finding).toEqual({
      activity_id: 1,
      activity_name: 'Create',
      category_uid: 2,
      category_name: 'Findings',
      class_uid: 2003,
      class_name: 'Compliance Finding',
      type_uid: 200301,
      type_name: 'Compliance Finding: Create',
      severity_id: 2,
      severity: 'Low',
      status_id: 1,
      status: 'New',
      time: SCANNED_AT.getTime(),
      message: ANNOTATION.notConfigured,
      metadata: {
        version: '1.3.0',
        product: { name: 'cloudtrail-logs-guard', vendor_name: 'cloudtrail-logs-guard', version: '0.1.0' },
        profiles: ['cloud'],
      },
      cloud: { provider: 'AWS', region: REGION, account: { uid: ACCOUNT, type: 'AWS Account', type_id: 10 } },
      finding_info: {
        uid: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main/cloudtrail-logs-guard/cloudtrail-cloudwatch-logs-integrated`,
        title: 'CloudTrail trails should be integrated with Amazon CloudWatch Logs',
        desc: ANNOTATION.notConfigured,
        modified_time: SCANNED_AT.getTime(),
        types: ['CloudTrail.5'],
      },
      compliance: {
        standards: ['CIS AWS Foundations Benchmark v1.2.0', 'CIS AWS Foundations Benchmark v1.4.0'],
        control: 'CloudTrail.5',
        requirements: [
          'CIS AWS Foundations Benchmark v1.2.0/2.4',
          'CIS AWS Foundations Benchmark v1.4.0/3.4',
        ],
        status_id: 3,
        status: 'Fail',
        status_code: 'notConfigured',
        status_detail: ANNOTATION.notConfigured,
      },
      remediation: {
        desc:
          'Run cloudtrail-logs-guard fix TRAIL (or the Remediate action of the AWS Config rule) to create the log ' +
          'group and role and point the trail at them.',
      },
      resources: [
        {
          uid: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/main`,
          name: 'main',
          type: 'AWS::CloudTrail::Trail',
          region: REGION,
          cloud_partition: 'aws',
        },
      ],
    });
  });

  it('close the finding of a trail that left the check, and keep its uid on a re-run', () => {
    const before = toOcsfFindings(
      fromAggregator([aggregated('main', 'NON_COMPLIANT', ANNOTATION.notConfigured)], SCANNED_AT),
      '0.1.0',
    );
    const after = toOcsfFindings(
      fromAggregator([aggregated('main', 'NOT_APPLICABLE', ANNOTATION.gone)], SCANNED_AT),
      '0.1.0',
    );
    expect([after[0]?.activity_id, after[0]?.type_uid, after[0]?.compliance.status_id]).toEqual([
      3, 200303, 2,
    ]);
    expect(after[0]?.finding_info.uid).toBe(before[0]?.finding_info.uid);
  });

  it.each<[string, (finding: Record<string, unknown>) => void]>([
    ['without finding_info', (f) => delete f.finding_info],
    ['with another class', (f) => (f.class_uid = 2001)],
    ['with a time in seconds as a string', (f) => (f.time = '2026-12-01T09:30:00Z')],
    ['with a misspelt attribute', (f) => (f.severty_id = 2)],
    ['without compliance standards', (f) => (f.compliance = { control: 'CloudTrail.5' })],
  ])('are refused by the schema %s', (_case, spoil) => {
    const [finding] = toOcsfFindings(everyReason().scan, '0.1.0');
    const spoilt = structuredClone(finding) as unknown as Record<string, unknown>;
    spoil(spoilt);
    expect(validate(finding)).toBe(true);
    expect(validate(spoilt)).toBe(false);
  });
});
