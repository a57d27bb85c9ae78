import {
  AssociateKmsKeyCommand,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  ListTagsForResourceCommand,
  type LogGroup,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { carriesCreatedByTags } from '../../common/project.js';
import { awsCall, isAwsError } from '../aws-call.js';
import type { RemediationClients } from '../clients.js';
import { AwsCallError, CreatedMeanwhileError } from '../errors.js';
import type { LogGroupOperation } from './operations.js';
import type { LogGroupState, SubscriptionFilterState } from './state.js';

/**
 * The log group's AWS I/O: one function per read or write, each naming the IAM action and the resource when it
 * fails. The remediation Lambda's role needs exactly these actions for it:
 *
 * - reads: logs:DescribeLogGroups, logs:ListTagsForResource, logs:DescribeSubscriptionFilters (where else the
 *   events of a log group under the remediation's name go, whoever created it: its tag can be forged);
 * - writes: logs:CreateLogGroup + logs:TagResource, logs:PutRetentionPolicy, logs:AssociateKmsKey.
 */

/** DescribeLogGroups' entry for the log group of that exact name, or undefined when it does not exist. */
export async function describeLogGroup(
  clients: RemediationClients,
  name: string,
): Promise<LogGroup | undefined> {
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall('logs:DescribeLogGroups', name, () =>
      clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken: token })),
    );
    const group = page.logGroups?.find((candidate) => candidate.logGroupName === name);
    if (group !== undefined) return group;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return undefined;
}

/**
 * The log group of that exact name, or undefined when it does not exist: its tags (did the remediation create
 * it?) and its subscription filters (anyone who can tag a log group can make it look like the remediation's, so
 * where its events also go is read for every group, tagged or not).
 */
export async function readLogGroup(
  clients: RemediationClients,
  name: string,
): Promise<LogGroupState | undefined> {
  const group = await describeLogGroup(clients, name);
  if (group === undefined) return undefined;
  const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, '') ?? name;
  const [createdByRemediation, subscriptionFilters] = await Promise.all([
    isCreatedByRemediation(clients, arn),
    listSubscriptionFilters(clients, name),
  ]);
  return {
    retentionInDays: group.retentionInDays,
    kmsKeyId: group.kmsKeyId,
    createdByRemediation,
    subscriptionFilters,
  };
}

async function listSubscriptionFilters(
  clients: RemediationClients,
  logGroupName: string,
): Promise<SubscriptionFilterState[]> {
  const filters: SubscriptionFilterState[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await awsCall('logs:DescribeSubscriptionFilters', logGroupName, () =>
      clients.logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName, nextToken: token })),
    );
    filters.push(
      ...(page.subscriptionFilters ?? []).map((filter) => ({
        name: filter.filterName ?? '',
        destinationArn: filter.destinationArn ?? '',
      })),
    );
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return filters;
}

async function isCreatedByRemediation(clients: RemediationClients, logGroupArn: string): Promise<boolean> {
  const response = await awsCall('logs:ListTagsForResource', logGroupArn, () =>
    clients.logs.send(new ListTagsForResourceCommand({ resourceArn: logGroupArn })),
  );
  return carriesCreatedByTags(response.tags);
}

/**
 * Applies one log group operation of the plan. Each is idempotent, so a re-run after a failure completes the job
 * without duplicates. CreateLogGroup's "already exists" (ResourceAlreadyExistsException: someone created the group
 * since the state was read) throws CreatedMeanwhileError: whose group it is must be read again, never assumed.
 */
export async function applyLogGroupOperation(
  clients: RemediationClients,
  operation: LogGroupOperation,
): Promise<void> {
  switch (operation.type) {
    case 'CreateLogGroup':
      try {
        await clients.logs.send(
          new CreateLogGroupCommand({ logGroupName: operation.logGroupName, tags: { ...operation.tags } }),
        );
      } catch (error) {
        if (isAwsError(error, 'ResourceAlreadyExistsException')) {
          throw new CreatedMeanwhileError('log-group', operation.logGroupName, error);
        }
        throw new AwsCallError('logs:CreateLogGroup', operation.logGroupName, error);
      }
      return;
    case 'PutRetentionPolicy':
      await awsCall('logs:PutRetentionPolicy', operation.logGroupName, () =>
        clients.logs.send(
          new PutRetentionPolicyCommand({
            logGroupName: operation.logGroupName,
            retentionInDays: operation.retentionInDays,
          }),
        ),
      );
      return;
    case 'AssociateKmsKey':
      await awsCall('logs:AssociateKmsKey', operation.logGroupName, () =>
        clients.logs.send(
          new AssociateKmsKeyCommand({ logGroupName: operation.logGroupName, kmsKeyId: operation.kmsKeyArn }),
        ),
      );
      return;
  }
}
