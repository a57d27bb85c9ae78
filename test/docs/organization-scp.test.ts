import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { describe, expect, it } from 'vitest';

/**
 * The service control policy docs/organization.md suggests for the spoke and hub roles, read from the page itself
 * and simulated: it must stop a member account's administrator from replacing, widening or disarming those roles,
 * and let through the two principals that deploy them (a StackSet execution role in member accounts, the CDK
 * bootstrap's CloudFormation execution role in the hub account), or the hub's own updates would fail.
 */

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const HUB = '111111111111';
const MEMBER = '222222222222';
const REGION = 'eu-west-1';

/** The page's JSON block that holds the statement with this Sid, the hub account filled in. */
function documentedStatement(sid: string): unknown {
  const page = readFileSync(resolve(root, 'docs/organization.md'), 'utf8');
  const block = [...page.matchAll(/```json\n([\s\S]*?)```/g)]
    .map((match) => match[1] ?? '')
    .find((json) => json.includes(`"Sid": "${sid}"`));
  if (block === undefined) throw new Error(`docs/organization.md has no JSON block with Sid ${sid}`);
  return JSON.parse(block.replaceAll('<hub account>', HUB));
}

const ADMINISTRATOR_ACCESS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
};

async function decide(principal: string, action: string, role: string): Promise<string> {
  const account = /^arn:aws:iam::(\d{12}):/.exec(role)?.[1] ?? '';
  const response = await runSimulation(
    {
      request: {
        principal,
        action,
        resource: { resource: role, accountId: account },
        contextVariables: { 'aws:PrincipalArn': principal },
      },
      identityPolicies: [{ name: 'AdministratorAccess', policy: ADMINISTRATOR_ACCESS }],
      serviceControlPolicies: [
        {
          orgIdentifier: 'r-ab12',
          policies: [
            { name: 'FullAWSAccess', policy: ADMINISTRATOR_ACCESS },
            {
              name: 'KeepCloudTrailLogsGuardRolesAsDeployed',
              policy: {
                Version: '2012-10-17',
                Statement: [documentedStatement('KeepCloudTrailLogsGuardRolesAsDeployed')],
              },
            },
          ],
        },
      ],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const SPOKE_ROLE = `arn:aws:iam::${MEMBER}:role/cloudtrail-logs-guard-fix-${REGION}`;
const MEMBER_ADMIN = `arn:aws:iam::${MEMBER}:role/Administrator`;

describe('the SCP docs/organization.md suggests', () => {
  it.each([
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
  ])("denies a member account's administrator %s on a spoke role", async (action) => {
    expect(await decide(MEMBER_ADMIN, action, SPOKE_ROLE)).toBe('ExplicitlyDenied');
  });

  it.each([
    [
      'the StackSet execution role, on a spoke role',
      `arn:aws:iam::${MEMBER}:role/stacksets-exec-0123456789abcdef0123456789abcdef`,
      'iam:PutRolePolicy',
      SPOKE_ROLE,
    ],
    [
      "the hub account's CDK execution role, updating a hub role",
      `arn:aws:iam::${HUB}:role/cdk-hnb659fds-cfn-exec-role-${HUB}-${REGION}`,
      'iam:PutRolePolicy',
      `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-fix-${REGION}`,
    ],
    [
      "the hub account's CDK execution role, creating the aggregator role (a generated name)",
      `arn:aws:iam::${HUB}:role/cdk-hnb659fds-cfn-exec-role-${HUB}-${REGION}`,
      'iam:CreateRole',
      `arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-AggregatorRoleF3CD1E9A-1A2B3C4D5E6F`,
    ],
    [
      "a member account's administrator, on a role of its own",
      MEMBER_ADMIN,
      'iam:DeleteRole',
      `arn:aws:iam::${MEMBER}:role/app`,
    ],
  ])('lets through %s', async (_name, principal, action, role) => {
    expect(await decide(principal, action, role)).toBe('Allowed');
  });

  it("denies a member account's own CDK execution role on a spoke role: the exception is the hub account's", async () => {
    const memberCdk = `arn:aws:iam::${MEMBER}:role/cdk-hnb659fds-cfn-exec-role-${MEMBER}-${REGION}`;

    expect(await decide(memberCdk, 'iam:PutRolePolicy', SPOKE_ROLE)).toBe('ExplicitlyDenied');
  });
});
