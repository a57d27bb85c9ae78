import { CloudTrailClient, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { AccessDeniedError, InvalidEventError } from '../../rule/errors.js';
import { handler } from '../../rule/handler.js';
import { loadFixture, trailChangeEvent } from './fixtures.js';

/** The rule Lambda's own log lines (common/log.ts): one per evaluation, one per failure, nothing else at INFO. */

const config = mockClient(ConfigServiceClient);
const cloudTrail = mockClient(CloudTrailClient);
const sts = mockClient(STSClient);

const ACCOUNT = '123456789012';
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e812345678';
const context = { awsRequestId: REQUEST_ID };
const INTEGRATED = 'Integrated: the trail sends events to CloudWatch Logs log group';

let debug: MockInstance<typeof console.debug>;
let info: MockInstance<typeof console.info>;
let error: MockInstance<typeof console.error>;

/** The objects logged at one level, in order. */
const lines = (spy: MockInstance<(...args: unknown[]) => void>) => spy.mock.calls.map(([line]) => line);

beforeEach(() => {
  config.reset();
  cloudTrail.reset();
  sts.reset();
  config.on(PutEvaluationsCommand).resolves({ FailedEvaluations: [] });
  config.on(GetComplianceDetailsByConfigRuleCommand).resolves({ EvaluationResults: [] });
  debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rule handler log', () => {
  it('logs one INFO line for the evaluation of a change event, with the request id', async () => {
    await handler(trailChangeEvent(), context);
    expect(lines(info)).toEqual([
      {
        event: 'evaluation',
        requestId: REQUEST_ID,
        configRuleName: RULE,
        accountId: ACCOUNT,
        messageType: 'ConfigurationItemChangeNotification',
        resourceType: 'AWS::CloudTrail::Trail',
        resourceId: 'management-events',
        complianceType: 'COMPLIANT',
        annotation: `${INTEGRATED} aws-cloudtrail-logs-123456789012-7f92262f.`,
        orderingTimestamp: '2026-11-29T08:59:12.114Z',
      },
    ]);
    expect(lines(error)).toEqual([]);
  });

  it('logs what the invocation is about at DEBUG, without the event itself', async () => {
    await handler(trailChangeEvent(), context);
    expect(lines(debug)).toEqual([
      {
        event: 'invocation',
        requestId: REQUEST_ID,
        configRuleName: RULE,
        accountId: ACCOUNT,
        messageType: 'ConfigurationItemChangeNotification',
      },
    ]);
  });

  it('logs one line per evaluation of a sweep, the account-level one included', async () => {
    const trail = (name: string, integrated: boolean) => ({
      Name: name,
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`,
      HomeRegion: 'us-east-1',
      ...(integrated
        ? {
            CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
            CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/logs`,
          }
        : {}),
    });
    cloudTrail.on(DescribeTrailsCommand).resolves({ trailList: [trail('a', true), trail('b', false)] });
    await handler(loadFixture('scheduled.json'), context);
    expect(
      lines(info).map((line) => {
        const { resourceType, resourceId, complianceType, messageType } = line as Record<string, unknown>;
        return [resourceType, resourceId, complianceType, messageType];
      }),
    ).toEqual([
      ['AWS::CloudTrail::Trail', 'a', 'COMPLIANT', 'ScheduledNotification'],
      ['AWS::CloudTrail::Trail', 'b', 'NON_COMPLIANT', 'ScheduledNotification'],
      ['AWS::::Account', ACCOUNT, 'NON_COMPLIANT', 'ScheduledNotification'],
    ]);
  });

  it('logs a failure once, as ERROR with the error, its cause and stack, and rethrows the same error', async () => {
    const denied = Object.assign(
      new Error('User: arn:aws:sts::123456789012:assumed-role/rule is not authorized'),
      {
        name: 'AccessDeniedException',
      },
    );
    config.on(PutEvaluationsCommand).rejects(denied);
    const thrown = await handler(trailChangeEvent(), context).catch((failure: unknown) => failure);
    expect(thrown).toBeInstanceOf(AccessDeniedError);
    expect(lines(info)).toEqual([]);
    expect(lines(error)).toHaveLength(1);
    const [line] = lines(error) as Record<string, unknown>[];
    expect(line).toMatchObject({
      event: 'evaluation failed',
      requestId: REQUEST_ID,
      configRuleName: RULE,
      accountId: ACCOUNT,
      messageType: 'ConfigurationItemChangeNotification',
      error: {
        type: 'AccessDeniedError',
        message: (thrown as Error).message,
        causes: [{ type: 'AccessDeniedException', message: denied.message, causes: [] }],
      },
    });
    expect(line?.stack).toEqual(expect.arrayContaining([expect.stringMatching(/^at /)]));
  });

  it('logs an event it cannot parse as ERROR without any of its content', async () => {
    const event = { ...trailChangeEvent(), invokingEvent: '{"secret-looking": "AKIAEVENTCONTENT"' };
    await expect(handler(event, context)).rejects.toBeInstanceOf(InvalidEventError);
    expect(lines(error)).toEqual([
      expect.objectContaining({
        event: 'evaluation failed',
        requestId: REQUEST_ID,
        error: expect.anything(),
      }),
    ]);
    expect(JSON.stringify(lines(error))).not.toContain('AKIAEVENTCONTENT');
  });

  it('writes neither the event, the result token nor the assumed credentials into any line', async () => {
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'AKIAMEMBERLOG',
        SecretAccessKey: 'member-secret-log',
        SessionToken: 'member-token-log',
        Expiration: new Date(Date.now() + 900_000),
      },
    });
    const event = {
      ...trailChangeEvent(),
      ruleParameters: JSON.stringify({ ExecutionRoleName: 'spoke-rule-log-test' }),
    };
    await handler(event, {
      ...context,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:cloudtrail-logs-guard-rule',
    });
    const logged = JSON.stringify([...lines(debug), ...lines(info), ...lines(error)]);
    expect(lines(info)).toHaveLength(1);
    for (const secret of ['AKIAMEMBERLOG', 'member-secret-log', 'member-token-log', 'myResultToken']) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toContain('configurationItem');
    expect(logged).not.toContain('ruleParameters');
  });

  it('logs a null request id when called without a Lambda context', async () => {
    await handler(trailChangeEvent());
    expect(lines(info)).toEqual([expect.objectContaining({ event: 'evaluation', requestId: null })]);
  });
});
