import { readFile } from 'node:fs/promises';
import {
  ConfigServiceClient,
  DescribeAggregateComplianceByConfigRulesCommand,
  GetAggregateComplianceDetailsByConfigRuleCommand,
} from '@aws-sdk/client-config-service';
import {
  AccessDeniedException,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordedCoverage, serveAccounts, serveConfig } from './coverage-fixtures.js';
import { runInMemory } from './in-memory.js';

/**
 * The IAM policy docs/cli.md documents for `report`, proved with iam-simulate against the calls the commands
 * really make: every call `report` and `report --coverage` (with and without the organization's account list)
 * send is allowed, every action the policy grants is one of them, and nothing else is.
 */

const ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const AGGREGATOR_ARN = `arn:aws:config:${REGION}:${ACCOUNT}:config-aggregator/config-aggregator-p7kq2xzd`;
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/operator`;

interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly { readonly Action: string | readonly string[] }[];
}

/** The first ```json block under the heading `### IAM policy for `report``, placeholders filled in. */
async function documentedPolicy(): Promise<PolicyDocument> {
  const page = await readFile(new URL('../../docs/cli.md', import.meta.url), 'utf8');
  const section = page.split('\n### IAM policy for `report`\n')[1];
  const block = section === undefined ? undefined : /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (block === undefined) throw new Error('docs/cli.md has no JSON block under "IAM policy for `report`"');
  return JSON.parse(
    block.replaceAll('AGGREGATOR_REGION', REGION).replaceAll('AGGREGATOR_ACCOUNT_ID', ACCOUNT),
  ) as PolicyDocument;
}

/** `service:Operation` of every call the mocks received. */
function actionsCalled(mocks: Record<string, ReturnType<typeof mockClient>>): string[] {
  return Object.entries(mocks).flatMap(([service, mock]) =>
    mock
      .calls()
      .map((call) => `${service}:${(call.args[0] as object).constructor.name.replace(/Command$/, '')}`),
  );
}

/** Runs `report`, then `report --coverage` with and without the account list, and returns what they called. */
async function callsOfReport(): Promise<Set<string>> {
  const config = mockClient(ConfigServiceClient);
  const organizations = mockClient(OrganizationsClient);
  const record = recordedCoverage();
  serveConfig(config, record);
  config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
    AggregateComplianceByConfigRules: [
      {
        ConfigRuleName: 'cloudtrail-cloudwatch-logs-integrated',
        Compliance: { ComplianceType: 'COMPLIANT' },
        AccountId: ACCOUNT,
        AwsRegion: REGION,
      },
    ],
  });
  config.on(GetAggregateComplianceDetailsByConfigRuleCommand).resolves({ AggregateEvaluationResults: [] });
  serveAccounts(organizations, record);
  const called = new Set<string>();
  const run = async (argv: string[]) => {
    config.resetHistory();
    organizations.resetHistory();
    const { code } = await runInMemory(argv);
    expect(code).not.toBe(1);
    for (const action of actionsCalled({ config, organizations })) called.add(action);
  };
  await run(['report', '--aggregator', 'organization']);
  await run(['report', '--coverage', '--aggregator', 'organization']);
  organizations
    .on(ListAccountsCommand)
    .rejects(new AccessDeniedException({ message: 'Denied.', $metadata: { httpStatusCode: 400 } }));
  await run(['report', '--coverage', '--aggregator', 'organization']);
  config.restore();
  organizations.restore();
  return called;
}

type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

async function decide(policy: PolicyDocument, action: string, resource: string): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: PRINCIPAL,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: {},
    },
    identityPolicies: [{ name: 'report', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error')
    throw new Error(`Simulation of ${action} failed: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Decision;
}

/** Config's aggregate reads act on the aggregator; Organizations' ListAccounts on no resource. */
const resourceOf = (action: string) => (action.startsWith('config:') ? AGGREGATOR_ARN : '*');

let policy: PolicyDocument;
let called: Set<string>;

beforeAll(async () => {
  [policy, called] = await Promise.all([documentedPolicy(), callsOfReport()]);
});

describe('the IAM policy docs/cli.md documents for report', () => {
  it('is exercised by every read the commands make, the fallback included', () => {
    expect([...called].sort()).toEqual([
      'config:DescribeAggregateComplianceByConfigRules',
      'config:DescribeConfigurationAggregatorSourcesStatus',
      'config:GetAggregateComplianceDetailsByConfigRule',
      'config:GetAggregateConfigRuleComplianceSummary',
      'organizations:ListAccounts',
    ]);
  });

  it('grants exactly the actions the commands call', () => {
    const granted = policy.Statement.flatMap((statement) =>
      typeof statement.Action === 'string' ? [statement.Action] : statement.Action,
    );
    expect(granted.sort()).toEqual([...called].sort());
  });

  it('allows every call the commands make, on the aggregator', async () => {
    for (const action of called) {
      expect(`${action}: ${await decide(policy, action, resourceOf(action))}`).toBe(`${action}: Allowed`);
    }
  });

  it.each<[string, string, string]>([
    [
      "reading another account's aggregator",
      'config:DescribeConfigurationAggregatorSourcesStatus',
      'arn:aws:config:us-east-1:999988887777:config-aggregator/config-aggregator-p7kq2xzd',
    ],
    [
      'reading an aggregator of another region',
      'config:DescribeAggregateComplianceByConfigRules',
      `arn:aws:config:eu-west-1:${ACCOUNT}:config-aggregator/config-aggregator-p7kq2xzd`,
    ],
    ['changing the aggregator', 'config:PutConfigurationAggregator', AGGREGATOR_ARN],
    ['deleting the aggregator', 'config:DeleteConfigurationAggregator', AGGREGATOR_ARN],
    [
      'reading one account of the organization',
      'organizations:DescribeAccount',
      `arn:aws:organizations::111111111111:account/o-a1b2c3d4e5/${ACCOUNT}`,
    ],
    ['listing the organizational units', 'organizations:ListOrganizationalUnitsForParent', '*'],
  ])('denies %s', async (_case, action, resource) => {
    expect(await decide(policy, action, resource)).toBe('ImplicitlyDenied');
  });
});
