import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  monitoringTopicFromEnvironment,
  permissionsBoundaryFromEnvironment,
} from '../../remediation/environment.js';
import { InvalidConfigurationError } from '../../remediation/errors.js';

describe('permissionsBoundaryFromEnvironment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each([
    ['unset', {}, undefined],
    ['empty', { PERMISSIONS_BOUNDARY_ARN: '' }, undefined],
    [
      'a policy under a path',
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::111122223333:policy/cloudtrail-logs-guard/boundary' },
      'arn:aws:iam::111122223333:policy/cloudtrail-logs-guard/boundary',
    ],
    [
      'a generated policy name at the root path',
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::111122223333:policy/Guard-DeliveryBoundary-1AB2C3D4E5F6' },
      'arn:aws:iam::111122223333:policy/Guard-DeliveryBoundary-1AB2C3D4E5F6',
    ],
    [
      'a policy in another partition',
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws-us-gov:iam::111122223333:policy/boundary' },
      'arn:aws-us-gov:iam::111122223333:policy/boundary',
    ],
    [
      'an AWS managed policy',
      { PERMISSIONS_BOUNDARY_ARN: 'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess' },
      'arn:aws:iam::aws:policy/CloudWatchLogsFullAccess',
    ],
  ])('reads %s', (_, env, expected) => {
    expect(permissionsBoundaryFromEnvironment(env)).toBe(expected);
  });

  it.each([
    ['a role ARN', 'arn:aws:iam::111122223333:role/cloudtrail-logs-guard/boundary'],
    ['a policy name', 'delivery-boundary'],
    ['a short account', 'arn:aws:iam::1111:policy/boundary'],
    ['a path without a name', 'arn:aws:iam::111122223333:policy/cloudtrail-logs-guard/'],
    ['a name with a space', 'arn:aws:iam::111122223333:policy/delivery boundary'],
  ])('rejects %s', (_, value) => {
    expect(() => permissionsBoundaryFromEnvironment({ PERMISSIONS_BOUNDARY_ARN: value })).toThrow(
      new InvalidConfigurationError(
        `Environment variable PERMISSIONS_BOUNDARY_ARN is ${JSON.stringify(value)}, not a managed policy ARN (arn:<partition>:iam::<account>:policy/<path><name>). Set it to the delivery boundary policy of the stack, or leave it unset for no boundary.`,
      ),
    );
  });

  it('reads the process environment by default', () => {
    vi.stubEnv('PERMISSIONS_BOUNDARY_ARN', 'arn:aws:iam::111122223333:policy/boundary');
    expect(permissionsBoundaryFromEnvironment()).toBe('arn:aws:iam::111122223333:policy/boundary');
  });
});

describe('monitoringTopicFromEnvironment', () => {
  it.each([
    ['unset', {}, undefined],
    ['empty', { MONITORING_TOPIC_ARN: '' }, undefined],
    [
      'a topic',
      { MONITORING_TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:Guard-MonitoringTopic-1AB2' },
      'arn:aws:sns:us-east-1:111122223333:Guard-MonitoringTopic-1AB2',
    ],
  ])('reads %s', (_, env, expected) => {
    expect(monitoringTopicFromEnvironment(env)).toBe(expected);
  });

  it.each([
    ['a topic name', 'alarms'],
    ['a queue ARN', 'arn:aws:sqs:us-east-1:111122223333:alarms'],
  ])('rejects %s', (_, value) => {
    expect(() => monitoringTopicFromEnvironment({ MONITORING_TOPIC_ARN: value })).toThrow(
      new InvalidConfigurationError(
        `Environment variable MONITORING_TOPIC_ARN is ${JSON.stringify(value)}, not an SNS topic ARN (arn:<partition>:sns:<region>:<account>:<name>). Set it to the monitoring topic of the stack, or leave it unset.`,
      ),
    );
  });
});
