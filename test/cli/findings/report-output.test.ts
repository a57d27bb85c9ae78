import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ANNOTATION } from '../../../rule/evaluate.js';
import { aggregatorHolds, MAIN_NOT_CONFIGURED } from '../aggregator-fixtures.js';
import { runInMemory } from '../in-memory.js';
import { asffValidator, ocsfValidator } from './schemas.js';

const config = mockClient(ConfigServiceClient);
const sts = mockClient(STSClient);
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const AUDIT = '111111111111';

beforeEach(() => {
  config.reset();
  sts.reset();
  aggregatorHolds(
    config,
    [{ account: '222222222222', region: 'eu-west-1' }],
    [
      MAIN_NOT_CONFIGURED,
      {
        ...MAIN_NOT_CONFIGURED,
        ComplianceType: 'NOT_APPLICABLE',
        Annotation: ANNOTATION.regionCopy('main', 'eu-west-1'),
        AwsRegion: 'us-east-1',
      },
    ],
  );
  sts.on(GetCallerIdentityCommand).resolves({ Account: AUDIT, Arn: `arn:aws:iam::${AUDIT}:user/auditor` });
});

describe('report --output asff|ocsf', () => {
  it('prints one valid ASFF finding per owned trail, for import in the caller account and SDK region', async () => {
    const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'asff']);
    expect([run.code, run.stderr]).toEqual([3, '']);
    const findings = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(findings.map((f) => [f.Id, f.AwsAccountId, f.ProductArn])).toEqual([
      [
        `arn:aws:cloudtrail:eu-west-1:222222222222:trail/main/cloudtrail-logs-guard/${RULE}`,
        '222222222222',
        `arn:aws:securityhub:us-east-1:${AUDIT}:product/${AUDIT}/default`,
      ],
    ]);
    const validate = asffValidator();
    expect(findings.every((finding) => validate(finding))).toBe(true);
  });

  it('prints one valid OCSF Compliance Finding per owned trail', async () => {
    const run = await runInMemory(['report', '--aggregator', 'org', '--output', 'ocsf']);
    const findings = JSON.parse(run.stdout) as { finding_info: { uid: string } }[];
    expect(findings.map((f) => f.finding_info.uid)).toEqual([
      `arn:aws:cloudtrail:eu-west-1:222222222222:trail/main/cloudtrail-logs-guard/${RULE}`,
    ]);
    const validate = ocsfValidator();
    expect(findings.every((finding) => validate(finding))).toBe(true);
  });
});
