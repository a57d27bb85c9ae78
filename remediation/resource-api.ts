import {
  DescribeTrailsCommand,
  GetTrailCommand,
  type GetTrailCommandOutput,
  GetTrailStatusCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  AssociateKmsKeyCommand,
  CreateLogGroupCommand,
  DescribeLogGroupsCommand,
  DescribeSubscriptionFiltersCommand,
  ListTagsForResourceCommand,
  type LogGroup,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  type Role,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeOrganizationCommand } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { parseTrailArn } from './arns.js';
import type { RemediationClients } from './clients.js';
import { CREATED_BY_TAGS, ROLE_POLICY_NAME } from './definition.js';
import { AwsCallError, type TrailElsewhere, TrailNotFoundError } from './errors.js';
import type {
  CallerContext,
  DeliveryState,
  LogGroupState,
  Operation,
  RoleState,
  SubscriptionFilterState,
  TrailState,
} from './plan.js';
import { decodePolicy } from './policies.js';

/**
 * The remediation's AWS I/O: one function per read or write, each wrapping its SDK call so that an unhandled
 * error names the IAM action and the resource. The Lambda's role needs exactly these actions:
 *
 * - reads: sts:GetCallerIdentity, cloudtrail:GetTrail, logs:DescribeLogGroups, logs:ListTagsForResource, iam:GetRole,
 *   iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, and for organization trails only
 *   organizations:DescribeOrganization; logs:DescribeSubscriptionFilters for a log group under the remediation's
 *   name that it did not create; cloudtrail:GetTrailStatus for an integrated trail; cloudtrail:DescribeTrails
 *   when a trail given by name is not found (to name its home region);
 * - writes: logs:CreateLogGroup + logs:TagResource, logs:PutRetentionPolicy, logs:AssociateKmsKey,
 *   iam:CreateRole + iam:TagRole, iam:UpdateAssumeRolePolicy, iam:PutRolePolicy, iam:DeleteRolePolicy,
 *   iam:DetachRolePolicy, cloudtrail:UpdateTrail + iam:PassRole (on the role, to cloudtrail.amazonaws.com),
 *   and with a configured permissions boundary iam:PutRolePermissionsBoundary (CreateRole then carries it too).
 */

function isNamed(error: unknown, ...names: readonly string[]): boolean {
  return error instanceof Error && names.includes(error.name);
}

async function call<T>(action: string, resource: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw new AwsCallError(action, resource, error);
  }
}

const callerCache = new WeakMap<RemediationClients, Promise<CallerContext>>();

async function loadCallerContext(clients: RemediationClients): Promise<CallerContext> {
  const [identity, region] = await Promise.all([
    call('sts:GetCallerIdentity', 'the caller', () => clients.sts.send(new GetCallerIdentityCommand({}))),
    clients.cloudTrail.config.region(),
  ]);
  if (identity.Account === undefined) {
    throw new AwsCallError('sts:GetCallerIdentity', 'the caller', new Error('the response has no Account'));
  }
  return { account: identity.Account, region };
}

/**
 * The account (STS GetCallerIdentity) and region (the CloudTrail client's resolved region) the clients act in;
 * asked once per set of clients. A failed lookup is not cached.
 */
export function callerContext(clients: RemediationClients): Promise<CallerContext> {
  let context = callerCache.get(clients);
  if (context === undefined) {
    context = loadCallerContext(clients);
    callerCache.set(clients, context);
    context.catch(() => callerCache.delete(clients));
  }
  return context;
}

/** GetTrail by name or ARN; TrailNotFoundError when this account and region do not know it. */
export async function readTrail(
  clients: RemediationClients,
  trail: string,
  caller: CallerContext,
): Promise<TrailState> {
  let response: GetTrailCommandOutput;
  try {
    response = await clients.cloudTrail.send(new GetTrailCommand({ Name: trail }));
  } catch (error) {
    if (isNamed(error, 'TrailNotFoundException')) {
      const elsewhere = trail.startsWith('arn:') ? [] : await findTrailCopies(clients, trail, caller);
      throw new TrailNotFoundError(trail, caller.account, caller.region, { cause: error, elsewhere });
    }
    throw new AwsCallError('cloudtrail:GetTrail', trail, error);
  }
  const found = response.Trail;
  // HomeRegion is optional in GetTrail's model and some AWS-compatible endpoints (moto) leave it out; a trail
  // ARN always names the home region, so it is the fallback.
  const homeRegion = found?.HomeRegion ?? parseTrailArn(found?.TrailARN ?? '')?.region;
  if (found?.Name === undefined || found.TrailARN === undefined || homeRegion === undefined) {
    throw new TrailNotFoundError(trail, caller.account, caller.region);
  }
  return {
    name: found.Name,
    arn: found.TrailARN,
    homeRegion,
    isOrganizationTrail: found.IsOrganizationTrail === true,
    cloudWatchLogsLogGroupArn: found.CloudWatchLogsLogGroupArn || undefined,
    cloudWatchLogsRoleArn: found.CloudWatchLogsRoleArn || undefined,
  };
}

/**
 * The trails named `name` that this region sees only as copies (DescribeTrails with shadow trails: a multi-region
 * trail of another region, or an organization trail of another account), with where each lives.
 */
export async function findTrailCopies(
  clients: RemediationClients,
  name: string,
  caller: CallerContext,
): Promise<TrailElsewhere[]> {
  const response = await call('cloudtrail:DescribeTrails', `trails named ${name}`, () =>
    clients.cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })),
  );
  return (response.trailList ?? []).flatMap((found) => {
    const arn = parseTrailArn(found.TrailARN ?? '');
    const homeRegion = found.HomeRegion ?? arn?.region;
    if (found.Name !== name || arn === undefined || homeRegion === undefined) return [];
    if (homeRegion === caller.region && arn.account === caller.account) return [];
    return [
      {
        arn: found.TrailARN ?? '',
        homeRegion,
        account: arn.account,
        isOrganizationTrail: found.IsOrganizationTrail === true,
      },
    ];
  });
}

/**
 * CloudTrail's last delivery to CloudWatch Logs for a trail (GetTrailStatus, called in the trail's home region).
 */
export async function readDeliveryStatus(
  clients: RemediationClients,
  trailArn: string,
): Promise<DeliveryState> {
  const response = await call('cloudtrail:GetTrailStatus', trailArn, () =>
    clients.cloudTrail.send(new GetTrailStatusCommand({ Name: trailArn })),
  );
  return {
    latestDeliveryError: response.LatestCloudWatchLogsDeliveryError || undefined,
    latestDeliveryTime: response.LatestCloudWatchLogsDeliveryTime,
  };
}

/** The organization id (o-...), for an organization trail's `<org id>_*` stream pattern. */
export async function readOrganizationId(clients: RemediationClients): Promise<string> {
  const response = await call('organizations:DescribeOrganization', 'the organization', () =>
    clients.organizations.send(new DescribeOrganizationCommand({})),
  );
  const id = response.Organization?.Id;
  if (id === undefined) {
    throw new AwsCallError(
      'organizations:DescribeOrganization',
      'the organization',
      new Error('the response has no Id'),
    );
  }
  return id;
}

/** DescribeLogGroups' entry for the log group of that exact name, or undefined when it does not exist. */
export async function describeLogGroup(
  clients: RemediationClients,
  name: string,
): Promise<LogGroup | undefined> {
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await call('logs:DescribeLogGroups', name, () =>
      clients.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken: token })),
    );
    const group = page.logGroups?.find((candidate) => candidate.logGroupName === name);
    if (group !== undefined) return group;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return undefined;
}

/**
 * The log group of that exact name, or undefined when it does not exist. Its tags are read to tell whether the
 * remediation created it; for a group it did not create, its subscription filters too.
 */
export async function readLogGroup(
  clients: RemediationClients,
  name: string,
): Promise<LogGroupState | undefined> {
  const group = await describeLogGroup(clients, name);
  if (group === undefined) return undefined;
  const arn = group.logGroupArn ?? group.arn?.replace(/:\*$/, '') ?? name;
  const createdByRemediation = await isCreatedByRemediation(clients, arn);
  return {
    retentionInDays: group.retentionInDays,
    kmsKeyId: group.kmsKeyId,
    createdByRemediation,
    subscriptionFilters: createdByRemediation ? [] : await listSubscriptionFilters(clients, name),
  };
}

async function listInlinePolicyNames(clients: RemediationClients, roleName: string): Promise<string[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const from = marker;
    const page = await call('iam:ListRolePolicies', roleName, () =>
      clients.iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: from })),
    );
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return names;
}

async function listAttachedPolicyArns(clients: RemediationClients, roleName: string): Promise<string[]> {
  const arns: string[] = [];
  let marker: string | undefined;
  do {
    const from = marker;
    const page = await call('iam:ListAttachedRolePolicies', roleName, () =>
      clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: from })),
    );
    arns.push(...(page.AttachedPolicies ?? []).flatMap((policy) => policy.PolicyArn ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker !== undefined);
  return arns;
}

async function listSubscriptionFilters(
  clients: RemediationClients,
  logGroupName: string,
): Promise<SubscriptionFilterState[]> {
  const filters: SubscriptionFilterState[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const page = await call('logs:DescribeSubscriptionFilters', logGroupName, () =>
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

function carriesCreatedByTags(tags: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(CREATED_BY_TAGS).every(([key, value]) => tags?.[key] === value);
}

async function isCreatedByRemediation(clients: RemediationClients, logGroupArn: string): Promise<boolean> {
  const response = await call('logs:ListTagsForResource', logGroupArn, () =>
    clients.logs.send(new ListTagsForResourceCommand({ resourceArn: logGroupArn })),
  );
  return carriesCreatedByTags(response.tags);
}

/**
 * The role of that name with its trust policy, policies and whether it carries the remediation's tags (GetRole
 * returns them), or undefined when it does not exist.
 */
export async function readRole(
  clients: RemediationClients,
  roleName: string,
): Promise<RoleState | undefined> {
  let role: Role | undefined;
  try {
    role = (await clients.iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
  } catch (error) {
    if (isNamed(error, 'NoSuchEntityException')) return undefined;
    throw new AwsCallError('iam:GetRole', roleName, error);
  }
  const inlinePolicyNames = await listInlinePolicyNames(clients, roleName);
  const attachedPolicyArns = await listAttachedPolicyArns(clients, roleName);
  const remediationPolicy = inlinePolicyNames.includes(ROLE_POLICY_NAME)
    ? decodePolicy(
        (
          await call('iam:GetRolePolicy', `${roleName}/${ROLE_POLICY_NAME}`, () =>
            clients.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_POLICY_NAME })),
          )
        ).PolicyDocument,
      )
    : undefined;
  return {
    path: role?.Path ?? '/',
    trustPolicy: decodePolicy(role?.AssumeRolePolicyDocument),
    inlinePolicyNames,
    remediationPolicy,
    attachedPolicyArns,
    permissionsBoundaryArn: role?.PermissionsBoundary?.PermissionsBoundaryArn,
    createdAt: role?.CreateDate,
    createdByRemediation: carriesCreatedByTags(
      Object.fromEntries((role?.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? ''])),
    ),
  };
}

/** UpdateTrail's error for a role CloudTrail cannot use: not propagated yet, or wrong trust or permissions. */
export function isRoleArnRejected(error: unknown): boolean {
  return isNamed(error, 'InvalidCloudWatchLogsRoleArnException');
}

/**
 * The errors of UpdateTrail worth retrying; the SDK's standard retry mode already covers throttling and 5xx.
 * `rolePropagating` (see mayAwaitRolePropagation) says whether a rejected role may yet become usable.
 */
export function isTransientUpdateTrailError(error: unknown, rolePropagating: boolean): boolean {
  // InvalidCloudWatchLogsRoleArnException: a role created or changed recently has not propagated through IAM.
  // ConflictException: CloudTrail's reference says the trail is not ready yet or another change is under way,
  // "wait a few minutes, and then try the operation again".
  return (rolePropagating && isRoleArnRejected(error)) || isNamed(error, 'ConflictException');
}

/** Sends UpdateTrail once; errors propagate unwrapped so the caller can decide to retry. */
export async function sendUpdateTrail(
  clients: RemediationClients,
  operation: Extract<Operation, { type: 'UpdateTrail' }>,
): Promise<void> {
  await clients.cloudTrail.send(
    new UpdateTrailCommand({
      Name: operation.trailArn,
      CloudWatchLogsLogGroupArn: operation.logGroupArn,
      CloudWatchLogsRoleArn: operation.roleArn,
    }),
  );
}

function iamTags(tags: Readonly<Record<string, string>>) {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/**
 * Applies one plan operation other than UpdateTrail. Each is idempotent, so a re-run after a failure completes
 * the job without duplicates: "already exists" (a concurrent or earlier run) and "no such entity" on a delete
 * count as done.
 */
export async function applyOperation(
  clients: RemediationClients,
  operation: Exclude<Operation, { type: 'UpdateTrail' }>,
): Promise<void> {
  switch (operation.type) {
    case 'CreateLogGroup':
      try {
        await clients.logs.send(
          new CreateLogGroupCommand({ logGroupName: operation.logGroupName, tags: { ...operation.tags } }),
        );
      } catch (error) {
        if (isNamed(error, 'ResourceAlreadyExistsException')) return;
        throw new AwsCallError('logs:CreateLogGroup', operation.logGroupName, error);
      }
      return;
    case 'PutRetentionPolicy':
      await call('logs:PutRetentionPolicy', operation.logGroupName, () =>
        clients.logs.send(
          new PutRetentionPolicyCommand({
            logGroupName: operation.logGroupName,
            retentionInDays: operation.retentionInDays,
          }),
        ),
      );
      return;
    case 'AssociateKmsKey':
      await call('logs:AssociateKmsKey', operation.logGroupName, () =>
        clients.logs.send(
          new AssociateKmsKeyCommand({ logGroupName: operation.logGroupName, kmsKeyId: operation.kmsKeyArn }),
        ),
      );
      return;
    case 'CreateRole':
      try {
        await clients.iam.send(
          new CreateRoleCommand({
            RoleName: operation.roleName,
            Path: operation.path,
            AssumeRolePolicyDocument: JSON.stringify(operation.trustPolicy),
            Description: operation.description,
            Tags: iamTags(operation.tags),
            PermissionsBoundary: operation.permissionsBoundary,
          }),
        );
      } catch (error) {
        if (!isNamed(error, 'EntityAlreadyExistsException')) {
          throw new AwsCallError('iam:CreateRole', operation.roleName, error);
        }
        // Created since the state was read: its boundary and trust policy are unknown, so write the wanted
        // ones, the boundary first (the Lambda may write the trust policy only on a role that carries it).
        if (operation.permissionsBoundary !== undefined) {
          await applyOperation(clients, {
            type: 'PutRolePermissionsBoundary',
            roleName: operation.roleName,
            permissionsBoundary: operation.permissionsBoundary,
          });
        }
        await applyOperation(clients, {
          type: 'UpdateAssumeRolePolicy',
          roleName: operation.roleName,
          trustPolicy: operation.trustPolicy,
        });
      }
      return;
    case 'PutRolePermissionsBoundary':
      await call('iam:PutRolePermissionsBoundary', operation.roleName, () =>
        clients.iam.send(
          new PutRolePermissionsBoundaryCommand({
            RoleName: operation.roleName,
            PermissionsBoundary: operation.permissionsBoundary,
          }),
        ),
      );
      return;
    case 'UpdateAssumeRolePolicy':
      await call('iam:UpdateAssumeRolePolicy', operation.roleName, () =>
        clients.iam.send(
          new UpdateAssumeRolePolicyCommand({
            RoleName: operation.roleName,
            PolicyDocument: JSON.stringify(operation.trustPolicy),
          }),
        ),
      );
      return;
    case 'PutRolePolicy':
      await call('iam:PutRolePolicy', `${operation.roleName}/${operation.policyName}`, () =>
        clients.iam.send(
          new PutRolePolicyCommand({
            RoleName: operation.roleName,
            PolicyName: operation.policyName,
            PolicyDocument: JSON.stringify(operation.policy),
          }),
        ),
      );
      return;
    case 'DeleteRolePolicy':
      try {
        await clients.iam.send(
          new DeleteRolePolicyCommand({ RoleName: operation.roleName, PolicyName: operation.policyName }),
        );
      } catch (error) {
        if (isNamed(error, 'NoSuchEntityException')) return;
        throw new AwsCallError(
          'iam:DeleteRolePolicy',
          `${operation.roleName}/${operation.policyName}`,
          error,
        );
      }
      return;
    case 'DetachRolePolicy':
      try {
        await clients.iam.send(
          new DetachRolePolicyCommand({ RoleName: operation.roleName, PolicyArn: operation.policyArn }),
        );
      } catch (error) {
        if (isNamed(error, 'NoSuchEntityException')) return;
        throw new AwsCallError('iam:DetachRolePolicy', `${operation.roleName}/${operation.policyArn}`, error);
      }
      return;
  }
}
