import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * The log groups and roles trails name, as CloudWatch Logs and IAM describe them, for the delivery check's
 * creation-time read: DescribeLogGroups lists groups whose name starts with `logGroupNamePrefix`, each with its
 * `creationTime` in milliseconds (CloudWatch Logs API reference, LogGroup); GetRole gives `CreateDate` or fails
 * with NoSuchEntityException (IAM API reference). Unless told otherwise every group and role exists, created long
 * before any delivery in the tests.
 */

export const logs = mockClient(CloudWatchLogsClient);
export const iam = mockClient(IAMClient);

/** Created on the fixture's resourceCreationTime, months before the tests' deliveries. */
export const LONG_AGO = new Date('2026-03-02T10:12:41.583Z');

export interface Created {
  /** Creation time by log group name; a name mapped to null does not exist. */
  readonly logGroups?: Readonly<Record<string, Date | null>>;
  /** Creation time by role name; a name mapped to null does not exist. */
  readonly roles?: Readonly<Record<string, Date | null>>;
}

/** Answers DescribeLogGroups and GetRole: every name exists since {@link LONG_AGO}, except as `created` says. */
export function integrationResources(created: Created = {}): void {
  logs.reset();
  iam.reset();
  logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix: string }) => {
    const name = input.logGroupNamePrefix;
    const at = created.logGroups?.[name] === undefined ? LONG_AGO : created.logGroups[name];
    return {
      logGroups:
        at === null
          ? []
          : [
              {
                logGroupName: name,
                creationTime: at.getTime(),
                arn: `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*`,
              },
            ],
    };
  });
  iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => {
    const name = input.RoleName;
    const at = created.roles?.[name] === undefined ? LONG_AGO : created.roles[name];
    if (at === null) {
      throw new NoSuchEntityException({
        message: `The role with name ${name} cannot be found.`,
        $metadata: {},
      });
    }
    return {
      Role: {
        RoleName: name,
        Path: '/service-role/',
        RoleId: 'AROAEXAMPLEID',
        Arn: `arn:aws:iam::123456789012:role/service-role/${name}`,
        CreateDate: at,
      },
    };
  });
}
