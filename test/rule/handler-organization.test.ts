import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetResourceConfigHistoryCommand,
  PutEvaluationsCommand,
} from '@aws-sdk/client-config-service';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AssumeRoleError, CredentialsRequestError } from '../../common/account-credentials.js';
import { handler } from '../../rule/handler.js';
import { assumeRoleDenied, memberRoleCredentials } from '../common/assume-role.js';
import { historyItem, loadFixture, type RawRuleEvent, trailChangeEvent } from './fixtures.js';
import { iam, LONG_AGO, logs } from './integration-resources.js';

/**
 * Organization mode: the hub's rule Lambda receives events of member accounts (the fixtures' account) and must
 * make every AWS call there with the credentials of the role named by ExecutionRoleName.
 */

const config = mockClient(ConfigServiceClient);
const cloudTrail = mockClient(CloudTrailClient);
const sts = mockClient(STSClient);

const MEMBER = '123456789012';
const HUB = '111111111111';
const hubContext = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${HUB}:function:cloudtrail-logs-guard-rule`,
};
const memberContext = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${MEMBER}:function:guard-rule` };
/** The access key vitest's environment gives the default credential chain (vitest.config.ts). */
const OWN_KEY = 'test';

/** Every AWS call, in order, with the access key of the client that made it. */
let calls: string[];

function recorded<T>(name: string, output: T) {
  return async (
    _input: unknown,
    getClient: () => { config: { credentials: () => Promise<AwsCredentialIdentity> } },
  ) => {
    const credentials = await getClient().config.credentials();
    calls.push(`${name} ${credentials.accessKeyId}`);
    return output;
  };
}

/** Each test names its own role: credentials are shared per account and role for the container's life. */
let roleSerial = 0;
function withRole(event: RawRuleEvent, parameters: Record<string, string> = {}) {
  roleSerial += 1;
  const roleName = `spoke-rule-${roleSerial}`;
  return {
    roleName,
    event: { ...event, ruleParameters: JSON.stringify({ ...parameters, ExecutionRoleName: roleName }) },
  };
}

beforeEach(() => {
  calls = [];
  config.reset();
  cloudTrail.reset();
  sts.reset();
  sts.on(AssumeRoleCommand).callsFake(recorded('AssumeRole', memberRoleCredentials()));
  config.on(PutEvaluationsCommand).callsFake(recorded('PutEvaluations', { FailedEvaluations: [] }));
  config
    .on(GetResourceConfigHistoryCommand)
    .callsFake(recorded('GetResourceConfigHistory', { configurationItems: [historyItem()] }));
  config
    .on(GetComplianceDetailsByConfigRuleCommand)
    .callsFake(recorded('GetComplianceDetailsByConfigRule', { EvaluationResults: [] }));
  cloudTrail.on(DescribeTrailsCommand).callsFake(
    recorded('DescribeTrails', {
      trailList: [
        {
          Name: 'management-events',
          TrailARN: `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/management-events`,
          HomeRegion: 'us-east-1',
          IsMultiRegionTrail: true,
          IsOrganizationTrail: false,
          CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${MEMBER}:log-group:trail:*`,
          CloudWatchLogsRoleArn: `arn:aws:iam::${MEMBER}:role/CloudTrailToLogs`,
        },
      ],
    }),
  );
  cloudTrail
    .on(GetTrailStatusCommand)
    .callsFake(recorded('GetTrailStatus', { IsLogging: true, LatestCloudWatchLogsDeliveryTime: new Date() }));
  logs.reset();
  iam.reset();
  logs.on(DescribeLogGroupsCommand).callsFake(
    recorded('DescribeLogGroups', {
      logGroups: [{ logGroupName: 'trail', creationTime: LONG_AGO.getTime() }],
    }),
  );
  iam
    .on(GetRoleCommand)
    .callsFake(recorded('GetRole', { Role: { RoleName: 'CloudTrailToLogs', CreateDate: LONG_AGO } }));
});

describe('handler in organization mode', () => {
  it('assumes the ExecutionRoleName role in the event account and reports the change with its credentials', async () => {
    const { roleName, event } = withRole(trailChangeEvent());

    await handler(event, hubContext);

    expect(calls).toEqual([`AssumeRole ${OWN_KEY}`, 'PutEvaluations AKIAMEMBER']);
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${MEMBER}:role/${roleName}`,
        RoleSessionName: 'cloudtrail-logs-guard',
        DurationSeconds: 900,
      },
    ]);
  });

  it('makes every call of a periodic sweep with the member-account credentials', async () => {
    const { event } = withRole(loadFixture<RawRuleEvent>('scheduled.json'), {
      expectedDeliveryWindowAge: '24',
    });

    await handler(event, hubContext);

    expect(calls[0]).toBe(`AssumeRole ${OWN_KEY}`);
    expect(calls.slice(1).sort()).toEqual([
      'DescribeLogGroups AKIAMEMBER',
      'DescribeTrails AKIAMEMBER',
      'GetComplianceDetailsByConfigRule AKIAMEMBER',
      'GetResourceConfigHistory AKIAMEMBER',
      'GetRole AKIAMEMBER',
      'GetTrailStatus AKIAMEMBER',
      // The trails' verdicts, then the account-level result in a call of its own.
      'PutEvaluations AKIAMEMBER',
      'PutEvaluations AKIAMEMBER',
    ]);
  });

  it('uses its own credentials for an event of its own account, without calling STS', async () => {
    const { event } = withRole(trailChangeEvent());

    await handler(event, memberContext);

    expect(calls).toEqual([`PutEvaluations ${OWN_KEY}`]);
  });

  it('fails with the role ARN and what to check when AssumeRole is refused, writing nothing', async () => {
    sts.on(AssumeRoleCommand).rejects(
      Object.assign(
        new Error(`User: arn:aws:sts::${HUB}:assumed-role/hub is not authorized to perform: sts:AssumeRole`),
        {
          name: 'AccessDenied',
        },
      ),
    );
    const { roleName, event } = withRole(trailChangeEvent());

    const failure = await handler(event, hubContext).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AssumeRoleError);
    expect((failure as Error).message).toBe(assumeRoleDenied(MEMBER, roleName));
    // The SDK resolves credentials before it signs a request: no call was made with any credentials.
    expect(calls).toEqual([]);
  });

  it('refuses an event of another account when no ExecutionRoleName is set, before any AWS call', async () => {
    await expect(handler(trailChangeEvent(), hubContext)).rejects.toThrow(CredentialsRequestError);
    await expect(handler(trailChangeEvent(), hubContext)).rejects.toThrow(
      `The event is for account ${MEMBER}, which is not this Lambda's own account, and no execution role name is ` +
        'configured; set the execution role name so the Lambda can act in that account.',
    );
    expect(calls).toEqual([]);
  });
});
