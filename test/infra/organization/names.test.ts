import { Aws } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { OrganizationNameError, organizationNames } from '../../../infra/organization/names.js';

describe('organizationNames', () => {
  it('derives every fixed name from the project name', () => {
    const names = organizationNames(undefined);

    expect([
      names.ruleFunction,
      names.remediationFunction,
      names.stackSet,
      names.aggregator,
      names.alertBus,
    ]).toEqual([
      'cloudtrail-logs-guard-rule',
      'cloudtrail-logs-guard-remediation',
      'cloudtrail-logs-guard-spoke',
      'cloudtrail-logs-guard-organization',
      'cloudtrail-logs-guard-alerts',
    ]);
  });

  it.each([
    ['hub-rule', 'eu-west-1', 'cloudtrail-logs-guard-hub-rule-eu-west-1'],
    ['hub-fix', 'ap-southeast-2', 'cloudtrail-logs-guard-hub-fix-ap-southeast-2'],
    ['rule', 'us-east-1', 'cloudtrail-logs-guard-rule-us-east-1'],
    ['fix', 'us-east-1', 'cloudtrail-logs-guard-fix-us-east-1'],
    ['ssm', 'us-east-1', 'cloudtrail-logs-guard-ssm-us-east-1'],
  ] as const)('names the %s role in %s', (kind, region, expected) => {
    expect(organizationNames(undefined).roleName(kind, region)).toBe(expected);
  });

  it('puts the name prefix first', () => {
    const names = organizationNames('acme');

    expect([names.ruleFunction, names.roleName('hub-fix', 'eu-west-1')]).toEqual([
      'acme-cloudtrail-logs-guard-rule',
      'acme-cloudtrail-logs-guard-hub-fix-eu-west-1',
    ]);
  });

  it('accepts the longest prefix that keeps role names within 64 characters for any region', () => {
    expect(() => organizationNames('p'.repeat(16)).roleName('hub-rule', Aws.REGION)).not.toThrow();
  });

  it.each([
    ['a region token', 17, Aws.REGION],
    ['a literal region', 20, 'ap-southeast-2'],
  ])('rejects a prefix that makes a role name too long, for %s', (_name, length, region) => {
    const prefix = 'p'.repeat(length);
    const call = () => organizationNames(prefix).roleName('hub-rule', region);
    expect(call).toThrow(OrganizationNameError);
    expect(call).toThrow(
      `IAM role name ${prefix}-cloudtrail-logs-guard-hub-rule-<region> would be longer than 64 characters; ` +
        'shorten the namePrefix context value (organization mode puts it, the project name and the region in ' +
        'role names).',
    );
  });
});
