import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { beforeEach, describe, expect, it } from 'vitest';
import { ruleClientsFor } from '../../rule/clients.js';
import { AccessDeniedError } from '../../rule/errors.js';
import { integrationCreatedAt } from '../../rule/resources-api.js';
import { iam, integrationResources, LONG_AGO, logs } from './integration-resources.js';

const ACCOUNT = '123456789012';
const TRAIL = {
  arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`,
  cloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:trail-logs:*`,
  cloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/service-role/CloudTrailToLogs`,
};
const clients = ruleClientsFor();
const denied = (message: string) => Object.assign(new Error(message), { name: 'AccessDeniedException' });

beforeEach(() => integrationResources());

describe('integrationCreatedAt', () => {
  it('reads the log group by its name and the role by the last part of its ARN (the path is not its name)', async () => {
    expect(await integrationCreatedAt(clients, TRAIL)).toEqual([LONG_AGO, LONG_AGO]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: 'trail-logs' },
    ]);
    expect(iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input)).toEqual([
      { RoleName: 'CloudTrailToLogs' },
    ]);
  });

  it('gives nothing for a log group and a role that do not exist', async () => {
    integrationResources({ logGroups: { 'trail-logs': null }, roles: { CloudTrailToLogs: null } });
    expect(await integrationCreatedAt(clients, TRAIL)).toEqual([]);
  });

  it('finds the exact name past longer names on later pages of the prefix listing', async () => {
    const created = new Date('2026-11-01T00:00:00.000Z');
    logs
      .on(DescribeLogGroupsCommand)
      .resolvesOnce({ logGroups: [{ logGroupName: 'trail-logs-archive', creationTime: 1 }], nextToken: 'p2' })
      .resolvesOnce({ logGroups: [{ logGroupName: 'trail-logs', creationTime: created.getTime() }] });
    expect(await integrationCreatedAt(clients, TRAIL)).toEqual([created, LONG_AGO]);
    expect(logs.commandCalls(DescribeLogGroupsCommand).map((call) => call.args[0].input)).toEqual([
      { logGroupNamePrefix: 'trail-logs' },
      { logGroupNamePrefix: 'trail-logs', nextToken: 'p2' },
    ]);
  });

  it('gives nothing for a log group listed without creationTime, or only under longer names', async () => {
    logs
      .on(DescribeLogGroupsCommand)
      .resolvesOnce({ logGroups: [{ logGroupName: 'trail-logs' }] })
      .resolvesOnce({ logGroups: [{ logGroupName: 'trail-logs-2', creationTime: 1 }] });
    expect(await integrationCreatedAt(clients, TRAIL)).toEqual([LONG_AGO]);
    expect(await integrationCreatedAt(clients, TRAIL)).toEqual([LONG_AGO]);
  });

  it('reads nothing of another account: the clients could not see it', async () => {
    const elsewhere = {
      ...TRAIL,
      cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:999999999999:log-group:trail-logs:*',
      cloudWatchLogsRoleArn: 'arn:aws:iam::999999999999:role/CloudTrailToLogs',
    };
    expect(await integrationCreatedAt(clients, elsewhere)).toEqual([]);
    expect(logs.calls()).toHaveLength(0);
    expect(iam.calls()).toHaveLength(0);
  });

  it.each<[string, () => void, string]>([
    [
      'DescribeLogGroups',
      () => logs.on(DescribeLogGroupsCommand).rejects(denied('not authorized')),
      "Access denied calling logs:DescribeLogGroups on log group trail-logs: grant logs:DescribeLogGroups to the rule Lambda's execution role.",
    ],
    [
      'GetRole',
      () =>
        iam.on(GetRoleCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' })),
      `Access denied calling iam:GetRole on role ${TRAIL.cloudWatchLogsRoleArn}: grant iam:GetRole to the rule Lambda's execution role.`,
    ],
  ])('names the missing permission when %s is denied', async (_case, deny, message) => {
    deny();
    const read = integrationCreatedAt(clients, TRAIL);
    await expect(read).rejects.toThrow(AccessDeniedError);
    await expect(read).rejects.toThrow(message);
  });
});
