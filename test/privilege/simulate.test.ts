import { describe, expect, it } from 'vitest';
import { decide, simulatedResource } from './simulate.js';

const ACCOUNT = '123456789012';
const GROUP = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cloudtrail-logs-guard/main`;

async function decision(
  statementResource: string,
  requestResource: string,
  action = 'logs:PutRetentionPolicy',
) {
  const answer = await decide({
    principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
    account: ACCOUNT,
    statements: [{ Effect: 'Allow', Action: action, Resource: statementResource }],
    authorization: {
      action,
      resource: requestResource,
      resourceType: 'log-group',
      context: {},
      neededBy: action,
    },
  });
  return answer.decision;
}

describe('decide', () => {
  it.each([
    { statement: 'the ARN exactly', resource: `${GROUP}:*`, expected: 'Allowed' },
    { statement: 'the ARN without :*', resource: GROUP, expected: 'ImplicitlyDenied' },
    {
      statement: 'a prefix pattern',
      resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cloudtrail-logs-guard/*`,
      expected: 'Allowed',
    },
    { statement: 'a pattern with ? for the star', resource: `${GROUP}:?`, expected: 'Allowed' },
    {
      statement: 'another group',
      resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/other:*`,
      expected: 'ImplicitlyDenied',
    },
  ])(
    'reads a request ARN ending in a literal :* as IAM does: a statement on $statement gives $expected',
    async ({ resource, expected }) => {
      expect(await decision(resource, `${GROUP}:*`)).toBe(expected);
    },
  );

  it('lets an unknown part (*) of a request ARN match only a wildcard of a statement', async () => {
    const prefix = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:cloudtrail-logs-guard-main-`;
    const ask = (resource: string) => decision(resource, `${prefix}*`, 'cloudwatch:DescribeAlarms');
    expect([await ask(`${prefix}*`), await ask(`${prefix}CloudWatch.1`)]).toEqual([
      'Allowed',
      'ImplicitlyDenied',
    ]);
  });

  it("reports the Service Authorization Reference's resource type of the ARN", async () => {
    const answer = await decide({
      principalArn: `arn:aws:sts::${ACCOUNT}:assumed-role/r/s`,
      account: ACCOUNT,
      statements: [],
      authorization: {
        action: 'iam:GetRole',
        resource: `arn:aws:iam::${ACCOUNT}:role/x`,
        resourceType: 'role',
        context: {},
        neededBy: '',
      },
    });
    expect(answer).toEqual({ decision: 'ImplicitlyDenied', resourceType: 'role', ignoredContextKeys: [] });
  });
});

describe('simulatedResource', () => {
  it('keeps a bare * and replaces each * of an ARN by U+2217', () => {
    expect([simulatedResource('*'), simulatedResource('arn:a:*:b*')]).toEqual(['*', 'arn:a:\u2217:b\u2217']);
  });
});
