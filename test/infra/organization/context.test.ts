import { describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../../infra/context.js';
import {
  type OrganizationContext,
  type OrganizationContextKey,
  parseOrganizationContext,
} from '../../../infra/organization/context.js';

const REQUIRED = {
  organizationId: 'o-a1b2c3d4e5',
  deploymentTargets: 'r-ab12',
  governedRegions: 'eu-west-1',
} as const;

function readerOf(values: Partial<Record<OrganizationContextKey, unknown>>) {
  return (key: OrganizationContextKey): unknown => values[key];
}

describe('parseOrganizationContext', () => {
  it('applies the defaults when only the required keys are set', () => {
    expect(parseOrganizationContext(readerOf(REQUIRED))).toEqual<OrganizationContext>({
      organizationId: 'o-a1b2c3d4e5',
      deploymentTargets: ['r-ab12'],
      governedRegions: ['eu-west-1'],
      callAs: 'DELEGATED_ADMIN',
      ruleInvokerAccounts: [],
      hubRuleConcurrency: 10,
      hubRemediationConcurrency: 5,
    });
  });

  it.each<[string, Partial<Record<OrganizationContextKey, unknown>>, Partial<OrganizationContext>]>([
    [
      'OUs and regions from -c (comma-separated, spaces, duplicates)',
      {
        deploymentTargets: 'ou-ab12-cdefgh34, ou-ab12-ijklmn56',
        governedRegions: 'eu-west-1, us-east-1,eu-west-1',
      },
      {
        deploymentTargets: ['ou-ab12-cdefgh34', 'ou-ab12-ijklmn56'],
        governedRegions: ['eu-west-1', 'us-east-1'],
      },
    ],
    [
      'regions from cdk.json (array)',
      { governedRegions: ['us-gov-west-1', 'ap-southeast-2'] },
      { governedRegions: ['us-gov-west-1', 'ap-southeast-2'] },
    ],
    ['the management account as caller', { callAs: 'SELF' }, { callAs: 'SELF' }],
    [
      'listed rule invoker accounts',
      { ruleInvokerAccounts: '111122223333,444455556666' },
      { ruleInvokerAccounts: ['111122223333', '444455556666'] },
    ],
    [
      'hub reserved concurrency from -c (strings)',
      { hubRuleConcurrency: '1', hubRemediationConcurrency: '250' },
      { hubRuleConcurrency: 1, hubRemediationConcurrency: 250 },
    ],
    [
      'hub reserved concurrency from cdk.json (numbers)',
      { hubRuleConcurrency: 40, hubRemediationConcurrency: 20 },
      { hubRuleConcurrency: 40, hubRemediationConcurrency: 20 },
    ],
  ])('accepts %s', (_name, values, expected) => {
    expect(parseOrganizationContext(readerOf({ ...REQUIRED, ...values }))).toMatchObject(expected);
  });

  it.each<[Partial<Record<OrganizationContextKey, unknown>>, string]>([
    [
      { organizationId: undefined },
      `Invalid CDK context 'organizationId': got undefined; expected the organization id (o- followed by 10-32 ` +
        'lowercase letters or digits), as shown by aws organizations describe-organization. Pass it as ' +
        `-c organizationId=<value> or set it under "context" in cdk.json.`,
    ],
    [
      { organizationId: 'o-SHORT' },
      `Invalid CDK context 'organizationId': got "o-SHORT"; expected the organization id (o- followed by 10-32 ` +
        'lowercase letters or digits), as shown by aws organizations describe-organization. Pass it as ' +
        `-c organizationId=<value> or set it under "context" in cdk.json.`,
    ],
    [
      { deploymentTargets: '' },
      `Invalid CDK context 'deploymentTargets': got ""; expected the organization root id (r-...) or OU ids ` +
        `(ou-...-...), comma-separated. Pass it as -c deploymentTargets=<value> or set it under "context" in cdk.json.`,
    ],
    [
      { deploymentTargets: '123456789012' },
      `Invalid CDK context 'deploymentTargets': got "123456789012"; expected the organization root id (r-...) or ` +
        'OU ids (ou-...-...), comma-separated. Pass it as -c deploymentTargets=<value> or set it under "context" ' +
        'in cdk.json.',
    ],
    [
      { governedRegions: 'eu-west-1,Europe' },
      `Invalid CDK context 'governedRegions': got "eu-west-1,Europe"; expected region names such as ` +
        'eu-west-1,us-east-1, comma-separated. Pass it as -c governedRegions=<value> or set it under "context" in ' +
        'cdk.json.',
    ],
    [
      { governedRegions: [1] },
      `Invalid CDK context 'governedRegions': got [1]; expected region names such as eu-west-1,us-east-1, ` +
        'comma-separated. Pass it as -c governedRegions=<value> or set it under "context" in cdk.json.',
    ],
    [
      { callAs: 'ADMIN' },
      `Invalid CDK context 'callAs': got "ADMIN"; expected DELEGATED_ADMIN or SELF. Pass it as -c callAs=<value> ` +
        'or set it under "context" in cdk.json.',
    ],
    [
      { ruleInvokerAccounts: '1111-2222-3333' },
      `Invalid CDK context 'ruleInvokerAccounts': got "1111-2222-3333"; expected 12-digit account ids, ` +
        'comma-separated. Pass it as -c ruleInvokerAccounts=<value> or set it under "context" in cdk.json.',
    ],
    ...(['hubRuleConcurrency', 'hubRemediationConcurrency'] as const).flatMap((key) =>
      [0, '0', -1, '-1', 1.5, '1.5', 'abc', '251', 251, true].map(
        (value): [Partial<Record<OrganizationContextKey, unknown>>, string] => [
          { [key]: value },
          `Invalid CDK context '${key}': got ${JSON.stringify(value)}; expected a whole number from 1 to 250. ` +
            `Pass it as -c ${key}=<value> or set it under "context" in cdk.json.`,
        ],
      ),
    ),
  ])('rejects %j', (values, message) => {
    const read = readerOf({ ...REQUIRED, ...values });
    expect(() => parseOrganizationContext(read)).toThrow(InvalidContextError);
    expect(() => parseOrganizationContext(read)).toThrow(message);
  });
});
