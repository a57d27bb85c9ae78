import type { AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { sdkClientSettings } from './account-clients.js';
import { ACCOUNT_ID_PATTERN, capture, ROLE_NAME_PATTERN } from './aws-identifiers.js';
import { PROJECT_NAME } from './project.js';

/**
 * Credentials for the account an event came from. In organization mode the hub Lambdas receive events from
 * member accounts and act there through a role the spoke stack created; in their own account (single-account
 * mode, or the hub account itself) they keep the default credential chain. The same code serves both.
 */

/** Session name CloudTrail records in the member account for every call the hub makes there. */
export const ROLE_SESSION_NAME = PROJECT_NAME;

/** STS's minimum: the credentials live only as long as a warm container could need them. */
export const SESSION_DURATION_SECONDS = 900;

/**
 * Credentials are renewed when less than this remains. It matches the window in which the SDK itself treats
 * credentials as expiring, so the SDK never receives credentials it would immediately ask to replace.
 */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

const PARTITION = /^aws(-[a-z]+)*$/;
const FUNCTION_ARN = /^arn:(aws(?:-[a-z]+)*):lambda:([a-z0-9-]+):(\d{12}):function:[\w-]+(?::[\w$-]+)?$/;

/** The Lambda's own invocation ARN was not a function ARN (it should come from `context.invokedFunctionArn`). */
export class FunctionArnError extends Error {
  constructor(arn: string) {
    super(
      `"${arn}" is not a Lambda function ARN; pass the handler context's invokedFunctionArn to tell the Lambda's own account.`,
    );
    this.name = 'FunctionArnError';
  }
}

/** The request for another account's credentials is incomplete or malformed; nothing was called. */
export class CredentialsRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsRequestError';
  }
}

/** An AWS error code: letters, digits and dots (`AccessDenied`, `RegionDisabledException`, `Throttling`). */
const ERROR_CODE = /^[A-Za-z][\w.]{0,99}$/;

/**
 * STS refused to hand out the spoke role's credentials. The message names the role asked for, its account and
 * `reason`, which names nothing of the hub: STS's error code, never STS's message, since that quotes the hub
 * Lambda's assumed-role ARN ("User: arn:aws:sts::<hub account>:assumed-role/<hub role>/<function> is not
 * authorized to perform: sts:AssumeRole on resource: ..."). The caller may be another account's Config rule, even
 * one outside the organization (the rule Lambda's policy admits Config callers that send no aws:SourceOrgID), and
 * a caller can read at most the message and the stack (the Node.js runtime returns errorType, errorMessage and
 * the stack's lines: https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html). STS's error stays as
 * `cause`, which only the handlers' `failed` log line records (common/log.ts), in the hub's own logs.
 */
export class AssumeRoleError extends Error {
  readonly roleArn: string;

  constructor(roleArn: string, accountId: string, reason: string, cause?: unknown) {
    super(
      `Could not assume ${roleArn} to act in account ${accountId}: ${reason} (the hub function's log has the ` +
        `details). Check that the role exists in that account, that its trust policy allows the hub Lambda's ` +
        `role, and that the organization StackSet has deployed the spoke stack to that account and region.`,
      { cause },
    );
    this.name = 'AssumeRoleError';
    this.roleArn = roleArn;
  }
}

/** What an AssumeRoleError may say of an STS failure: its error code, when it has the form of one. */
function stsFailure(error: unknown): string {
  return error instanceof Error && ERROR_CODE.test(error.name) ? `STS answered ${error.name}` : 'STS failed';
}

/** Where the running Lambda lives, read from its own ARN. */
export interface FunctionLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Reads partition, region and account from the Lambda's `context.invokedFunctionArn`, so knowing the own
 * account costs no API call.
 */
export function parseFunctionArn(invokedFunctionArn: string): FunctionLocation {
  const groups = capture(FUNCTION_ARN, invokedFunctionArn, 3);
  if (groups === undefined) throw new FunctionArnError(invokedFunctionArn);
  const [partition, region, accountId] = groups;
  return { partition, region, accountId };
}

export interface AccountCredentialsRequest {
  /** The account the Lambda runs in (see {@link parseFunctionArn}). */
  readonly ownAccountId: string;
  /** The account the event came from and the work must happen in. */
  readonly targetAccountId: string;
  /** Name of the role to assume in the target account; needed only when it differs from the own account. */
  readonly roleName: string | undefined;
  /** Partition of both accounts (`aws`, `aws-cn`, `aws-us-gov`, ...). */
  readonly partition: string;
}

/** The ARN of the role a hub Lambda assumes in a member account. */
export function executionRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/**
 * Created on first use, from an SDK package imported on first use: only a hub acting in another account calls
 * STS, so the Lambdas' cold start does not load it otherwise (esbuild splits a dynamically imported module into
 * a chunk of its own, loaded when the import runs).
 */
let sts: Promise<STSClient> | undefined;
const stsSdk = () => import('./sts-sdk.js');
const providers = new Map<string, AwsCredentialIdentityProvider>();

/**
 * Credentials for the target account: `undefined` in the Lambda's own account (clients keep the default
 * chain), otherwise a provider for the named role that is shared per account and role for the life of the
 * container, calls STS AssumeRole only when it has nothing fresh, and renews before expiry.
 */
export function credentialsForAccount(
  request: AccountCredentialsRequest,
): AwsCredentialIdentityProvider | undefined {
  const { ownAccountId, targetAccountId, roleName, partition } = request;
  if (!ACCOUNT_ID_PATTERN.test(ownAccountId)) {
    throw new CredentialsRequestError(`Own account id "${ownAccountId}" is not a 12-digit AWS account id.`);
  }
  if (!ACCOUNT_ID_PATTERN.test(targetAccountId)) {
    throw new CredentialsRequestError(
      `Target account id "${targetAccountId}" is not a 12-digit AWS account id; check the event's accountId.`,
    );
  }
  if (targetAccountId === ownAccountId) return undefined;
  if (!PARTITION.test(partition)) {
    throw new CredentialsRequestError(
      `Partition "${partition}" is not an AWS partition (aws, aws-cn, aws-us-gov, ...).`,
    );
  }
  if (roleName === undefined || roleName === '') {
    throw new CredentialsRequestError(
      // Not this Lambda's account: the caller may be outside the organization and learns nothing of the hub.
      `The event is for account ${targetAccountId}, which is not this Lambda's own account, and no execution role ` +
        `name is configured; set the execution role name so the Lambda can act in that account.`,
    );
  }
  if (!ROLE_NAME_PATTERN.test(roleName)) {
    throw new CredentialsRequestError(
      `Execution role name "${roleName}" is not a valid IAM role name (1-64 characters of letters, digits and +=,.@_-).`,
    );
  }
  const roleArn = executionRoleArn(partition, targetAccountId, roleName);
  let provider = providers.get(roleArn);
  if (!provider) {
    provider = assumeRoleProvider(roleArn, targetAccountId);
    providers.set(roleArn, provider);
  }
  return provider;
}

function assumeRoleProvider(roleArn: string, accountId: string): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    if (current?.expiration && current.expiration.getTime() - Date.now() > REFRESH_MARGIN_MS) {
      return Promise.resolve(current);
    }
    // Concurrent callers share one STS call; a failure is not remembered, so the next call tries again.
    pending ??= assumeRole(roleArn, accountId).then(
      (credentials) => {
        current = credentials;
        pending = undefined;
        return credentials;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}

async function assumeRole(roleArn: string, accountId: string): Promise<AwsCredentialIdentity> {
  sts ??= stsSdk().then(({ STSClient }) => new STSClient(sdkClientSettings(undefined)));
  const [client, { AssumeRoleCommand }] = await Promise.all([sts, stsSdk()]);
  let output: AssumeRoleCommandOutput;
  try {
    output = await client.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: ROLE_SESSION_NAME,
        DurationSeconds: SESSION_DURATION_SECONDS,
      }),
    );
  } catch (error) {
    throw new AssumeRoleError(roleArn, accountId, stsFailure(error), error);
  }
  const credentials = output.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.Expiration) {
    throw new AssumeRoleError(roleArn, accountId, 'STS returned no credentials');
  }
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    sessionToken: credentials.SessionToken,
    expiration: credentials.Expiration,
  };
}

/** What a handler knows about where it runs and where the work is. */
export interface InvocationTarget {
  /** `context.invokedFunctionArn`; undefined when the handler is called without a Lambda context (tools, tests). */
  readonly invokedFunctionArn: string | undefined;
  /** The account the event or payload is about. */
  readonly targetAccountId: string;
  /** The role to assume there (rule parameter `ExecutionRoleName`, or the remediation payload's). */
  readonly roleName: string | undefined;
}

/**
 * The handlers' one call: {@link credentialsForAccount} with the own account and partition read from the
 * invocation ARN. Without a Lambda context the handler acts with the default chain, as in single-account use.
 */
export function credentialsForInvocation(
  target: InvocationTarget,
): AwsCredentialIdentityProvider | undefined {
  if (target.invokedFunctionArn === undefined) return undefined;
  const own = parseFunctionArn(target.invokedFunctionArn);
  return credentialsForAccount({
    ownAccountId: own.accountId,
    targetAccountId: target.targetAccountId,
    roleName: target.roleName,
    partition: own.partition,
  });
}
