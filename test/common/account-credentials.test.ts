import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  AssumeRoleError,
  CredentialsRequestError,
  credentialsForAccount,
  credentialsForInvocation,
  executionRoleArn,
  FunctionArnError,
  parseFunctionArn,
  REFRESH_MARGIN_MS,
} from '../../common/account-credentials.js';

const sts = mockClient(STSClient);
const HUB = '111111111111';
const NOW = new Date('2026-11-29T12:00:00Z');

/** Each test uses its own member account: providers are shared per account and role for the container's life. */
let nextAccount = 200000000000;
function memberAccount(): string {
  nextAccount += 1;
  return String(nextAccount);
}

function stsCredentials(id: string, validForMs: number) {
  return {
    AccessKeyId: `AKIA${id}`,
    SecretAccessKey: `secret-${id}`,
    SessionToken: `token-${id}`,
    Expiration: new Date(Date.now() + validForMs),
  };
}

beforeEach(() => {
  sts.reset();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('parseFunctionArn', () => {
  it.each([
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:guard-rule',
      { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' },
    ],
    [
      'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:guard-rule:live',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', accountId: '123456789012' },
    ],
    [
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:guard_rule:$LATEST',
      { partition: 'aws-cn', region: 'cn-north-1', accountId: '123456789012' },
    ],
  ])('reads %s', (arn, expected) => {
    expect(parseFunctionArn(arn)).toEqual(expected);
  });

  it.each([
    'guard-rule',
    'arn:aws:lambda:eu-west-1:12345678901:function:guard-rule',
    'arn:aws:s3:::bucket',
    'arn:aws:lambda:eu-west-1:123456789012:layer:guard',
  ])('rejects %s', (arn) => {
    expect(() => parseFunctionArn(arn)).toThrow(new FunctionArnError(arn).message);
  });
});

describe('credentialsForAccount', () => {
  it('returns undefined in the own account, without calling STS', () => {
    expect(
      credentialsForAccount({
        ownAccountId: HUB,
        targetAccountId: HUB,
        roleName: undefined,
        partition: 'aws',
      }),
    ).toBeUndefined();
    expect(sts.calls()).toHaveLength(0);
  });

  it('assumes the named role in the target account with the project session name and the minimal duration', async () => {
    const member = memberAccount();
    sts.on(AssumeRoleCommand).resolves({ Credentials: stsCredentials('ONE', 900_000) });

    const provider = credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'cloudtrail-logs-guard-rule',
      partition: 'aws',
    });
    const credentials = await provider?.();

    expect(credentials).toEqual({
      accessKeyId: 'AKIAONE',
      secretAccessKey: 'secret-ONE',
      sessionToken: 'token-ONE',
      expiration: new Date(NOW.getTime() + 900_000),
    });
    expect(sts.commandCalls(AssumeRoleCommand).map((call) => call.args[0].input)).toEqual([
      {
        RoleArn: `arn:aws:iam::${member}:role/cloudtrail-logs-guard-rule`,
        RoleSessionName: 'cloudtrail-logs-guard',
        DurationSeconds: 900,
      },
    ]);
  });

  it('builds the role ARN in the given partition', async () => {
    const member = memberAccount();
    sts.on(AssumeRoleCommand).resolves({ Credentials: stsCredentials('GOV', 900_000) });

    await credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'spoke',
      partition: 'aws-us-gov',
    })?.();

    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      `arn:aws-us-gov:iam::${member}:role/spoke`,
    );
  });

  it('shares one provider per account and role, and one STS call while the credentials are fresh', async () => {
    const member = memberAccount();
    sts.on(AssumeRoleCommand).resolves({ Credentials: stsCredentials('SHARED', 900_000) });
    const request = { ownAccountId: HUB, targetAccountId: member, roleName: 'spoke', partition: 'aws' };

    const first = credentialsForAccount(request);
    const second = credentialsForAccount({ ...request });
    await Promise.all([first?.(), second?.()]);
    vi.setSystemTime(NOW.getTime() + 900_000 - REFRESH_MARGIN_MS - 1);
    await second?.();

    expect(second).toBe(first);
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(1);
  });

  it('keeps separate providers for different roles in the same account', () => {
    const member = memberAccount();
    const rule = credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'a',
      partition: 'aws',
    });
    const fix = credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'b',
      partition: 'aws',
    });

    expect(rule).not.toBe(fix);
  });

  it('renews the credentials once less than the refresh margin remains', async () => {
    const member = memberAccount();
    sts
      .on(AssumeRoleCommand)
      .resolvesOnce({ Credentials: stsCredentials('OLD', 900_000) })
      .resolvesOnce({ Credentials: stsCredentials('NEW', 900_000) });
    const provider = credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'spoke',
      partition: 'aws',
    });

    await provider?.();
    vi.setSystemTime(NOW.getTime() + 900_000 - REFRESH_MARGIN_MS);
    const renewed = await provider?.();

    expect(renewed?.accessKeyId).toBe('AKIANEW');
    expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(2);
  });

  it('names the role and what to check when AssumeRole is refused, and tries again on the next call', async () => {
    const member = memberAccount();
    const denied = Object.assign(
      new Error('User: arn:aws:sts::111111111111:assumed-role/hub is not authorized'),
      {
        name: 'AccessDenied',
      },
    );
    sts
      .on(AssumeRoleCommand)
      .rejectsOnce(denied)
      .resolvesOnce({ Credentials: stsCredentials('RETRY', 900_000) });
    const provider = credentialsForAccount({
      ownAccountId: HUB,
      targetAccountId: member,
      roleName: 'spoke',
      partition: 'aws',
    });

    const failure = await provider?.().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AssumeRoleError);
    expect((failure as AssumeRoleError).message).toBe(
      `Could not assume arn:aws:iam::${member}:role/spoke to act in account ${member}: STS answered AccessDenied ` +
        "(the hub function's log has the details). Check that the role exists in that account, that its trust " +
        "policy allows the hub Lambda's role, and that the organization StackSet has deployed the spoke stack to " +
        'that account and region.',
    );
    expect((failure as AssumeRoleError).roleArn).toBe(`arn:aws:iam::${member}:role/spoke`);
    expect((failure as AssumeRoleError).cause).toBe(denied);
    expect((await provider?.())?.accessKeyId).toBe('AKIARETRY');
  });

  it('fails clearly when STS answers without credentials', async () => {
    const member = memberAccount();
    sts.on(AssumeRoleCommand).resolves({});

    await expect(
      credentialsForAccount({
        ownAccountId: HUB,
        targetAccountId: member,
        roleName: 'spoke',
        partition: 'aws',
      })?.(),
    ).rejects.toThrow(
      `Could not assume arn:aws:iam::${member}:role/spoke to act in account ${member}: STS returned no ` +
        "credentials (the hub function's log has the details).",
    );
  });

  it.each([
    [
      { ownAccountId: 'hub', targetAccountId: '222222222222', roleName: 'spoke', partition: 'aws' },
      'Own account id "hub" is not a 12-digit AWS account id.',
    ],
    [
      { ownAccountId: HUB, targetAccountId: '2222', roleName: 'spoke', partition: 'aws' },
      `Target account id "2222" is not a 12-digit AWS account id; check the event's accountId.`,
    ],
    [
      { ownAccountId: HUB, targetAccountId: '222222222222', roleName: 'spoke', partition: 'amazon' },
      'Partition "amazon" is not an AWS partition (aws, aws-cn, aws-us-gov, ...).',
    ],
    [
      { ownAccountId: HUB, targetAccountId: '222222222222', roleName: undefined, partition: 'aws' },
      "The event is for account 222222222222, which is not this Lambda's own account, and no execution role name " +
        'is configured; set the execution role name so the Lambda can act in that account.',
    ],
    [
      { ownAccountId: HUB, targetAccountId: '222222222222', roleName: '', partition: 'aws' },
      "The event is for account 222222222222, which is not this Lambda's own account, and no execution role name " +
        'is configured; set the execution role name so the Lambda can act in that account.',
    ],
    [
      { ownAccountId: HUB, targetAccountId: '222222222222', roleName: 'path/spoke', partition: 'aws' },
      'Execution role name "path/spoke" is not a valid IAM role name (1-64 characters of letters, digits and +=,.@_-).',
    ],
    [
      { ownAccountId: HUB, targetAccountId: '222222222222', roleName: 'r'.repeat(65), partition: 'aws' },
      `Execution role name "${'r'.repeat(65)}" is not a valid IAM role name (1-64 characters of letters, digits and +=,.@_-).`,
    ],
  ])('rejects %j without calling STS', (request, message) => {
    expect(() => credentialsForAccount(request)).toThrow(CredentialsRequestError);
    expect(() => credentialsForAccount(request)).toThrow(message);
    expect(sts.calls()).toHaveLength(0);
  });
});

describe('executionRoleArn', () => {
  it('joins partition, account and role name', () => {
    expect(executionRoleArn('aws-cn', '123456789012', 'spoke')).toBe(
      'arn:aws-cn:iam::123456789012:role/spoke',
    );
  });
});

describe('credentialsForInvocation', () => {
  const FUNCTION_ARN = `arn:aws-cn:lambda:cn-north-1:${HUB}:function:cloudtrail-logs-guard-rule`;

  it('keeps the default chain without a Lambda context', () => {
    expect(
      credentialsForInvocation({
        invokedFunctionArn: undefined,
        targetAccountId: memberAccount(),
        roleName: 'spoke',
      }),
    ).toBeUndefined();
    expect(sts.calls()).toHaveLength(0);
  });

  it('keeps the default chain for an event of the own account', () => {
    expect(
      credentialsForInvocation({
        invokedFunctionArn: FUNCTION_ARN,
        targetAccountId: HUB,
        roleName: undefined,
      }),
    ).toBeUndefined();
  });

  it('assumes the role in another account, in the partition of the function', async () => {
    const member = memberAccount();
    sts.on(AssumeRoleCommand).resolves({ Credentials: stsCredentials('CN', 900_000) });

    await credentialsForInvocation({
      invokedFunctionArn: FUNCTION_ARN,
      targetAccountId: member,
      roleName: 'spoke',
    })?.();

    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input.RoleArn).toBe(
      `arn:aws-cn:iam::${member}:role/spoke`,
    );
  });

  it('rejects an invocation ARN that is not a function ARN', () => {
    expect(() =>
      credentialsForInvocation({
        invokedFunctionArn: 'not-an-arn',
        targetAccountId: memberAccount(),
        roleName: 'x',
      }),
    ).toThrow(FunctionArnError);
  });
});
