import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../rule/handler.js';
import { loadFixture } from './fixtures.js';

const config = mockClient(ConfigServiceClient);
const cloudTrail = mockClient(CloudTrailClient);

beforeEach(() => {
  config.reset();
  cloudTrail.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({
    EvaluationResults: [
      {
        EvaluationResultIdentifier: {
          EvaluationResultQualifier: { ResourceType: 'AWS::CloudTrail::Trail', ResourceId: 'deleted' },
        },
      },
    ],
  });
  cloudTrail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'bare',
        TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/bare',
        HomeRegion: 'us-east-1',
      },
    ],
  });
});

describe('handler: scheduled sweep in test mode', () => {
  it('reads no stored results and reports only the trails it sees, with TestMode', async () => {
    await handler({ ...loadFixture('scheduled.json'), resultToken: 'TESTMODE' });
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(0);
    expect(config.commandCalls(PutEvaluationsCommand).map((call) => call.args[0].input)).toEqual([
      {
        ResultToken: 'TESTMODE',
        TestMode: true,
        Evaluations: [
          {
            ComplianceResourceType: 'AWS::CloudTrail::Trail',
            ComplianceResourceId: 'bare',
            ComplianceType: 'NON_COMPLIANT',
            Annotation:
              'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
            OrderingTimestamp: new Date('2026-11-29T12:00:00.373Z'),
          },
        ],
      },
    ]);
  });

  it('still cleans up stored results of deleted trails for a real result token', async () => {
    await handler(loadFixture('scheduled.json'));
    expect(config.commandCalls(GetComplianceDetailsByConfigRuleCommand)).toHaveLength(1);
    expect(
      config
        .commandCalls(PutEvaluationsCommand)
        .flatMap((call) => call.args[0].input.Evaluations ?? [])
        .map((evaluation) => [evaluation.ComplianceResourceId, evaluation.ComplianceType]),
    ).toEqual([
      ['bare', 'NON_COMPLIANT'],
      ['deleted', 'NOT_APPLICABLE'],
    ]);
  });
});
