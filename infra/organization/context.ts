import { ACCOUNT_ID_PATTERN } from '../../common/aws-identifiers.js';
import { InvalidContextError, isUnset, listOf, parseIntegerInRange } from '../context.js';

/**
 * CDK context keys of the organization app, on top of the single-account keys (infra/context.ts). Pure: the
 * app passes a reader, so validation is testable without synthesizing anything.
 */
export const ORGANIZATION_CONTEXT_KEY = {
  organizationId: 'organizationId',
  deploymentTargets: 'deploymentTargets',
  governedRegions: 'governedRegions',
  callAs: 'callAs',
  ruleInvokerAccounts: 'ruleInvokerAccounts',
  hubRuleConcurrency: 'hubRuleConcurrency',
  hubRemediationConcurrency: 'hubRemediationConcurrency',
  /** Read by the management account's app only (infra/management-app.ts, parseHubAccountId). */
  hubAccountId: 'hubAccountId',
} as const;

export type OrganizationContextKey = (typeof ORGANIZATION_CONTEXT_KEY)[keyof typeof ORGANIZATION_CONTEXT_KEY];

/** Who creates the StackSet: a registered delegated administrator, or the management account itself. */
export const CALL_AS = ['DELEGATED_ADMIN', 'SELF'] as const;
export type CallAs = (typeof CALL_AS)[number];

/** The validated organization settings. */
export interface OrganizationContext {
  /** `o-...`: the only organization whose accounts may invoke the hub Lambdas or be acted on. */
  readonly organizationId: string;
  /** Organization root (`r-...`) or OU ids (`ou-...`) the StackSet deploys to, including accounts added later. */
  readonly deploymentTargets: readonly string[];
  /** Regions with a hub stack and a spoke stack instance; the first also holds the StackSet and the aggregator. */
  readonly governedRegions: readonly [string, ...string[]];
  readonly callAs: CallAs;
  /**
   * Accepted for deployments that set it, and ignored with a synth warning (HubStack): the rule Lambda's policy
   * admits Config of every account of the organization with or without `aws:SourceOrgID`. Empty unless set.
   */
  readonly ruleInvokerAccounts: readonly string[];
  /** Reserved concurrent executions of each hub's rule Lambda (HUB_CONCURRENCY_RANGE.rule). */
  readonly hubRuleConcurrency: number;
  /** Reserved concurrent executions of each hub's remediation Lambda (HUB_CONCURRENCY_RANGE.remediation). */
  readonly hubRemediationConcurrency: number;
}

/**
 * Reserved concurrency of each hub Lambda, per hub (region). The resource policies cannot tell every caller
 * apart before it runs (the rule Lambda admits a Config rule that sends no aws:SourceOrgID, the remediation
 * Lambda any spoke Automation role, proof or not): a reservation caps what such a flood can take, so it cannot
 * drain the account's pool and starve the other hub Lambda, and keeps that much for each whatever else runs in
 * the hub account.
 * - Rule 10: Config invokes it asynchronously, once per trail change and per periodic evaluation of each
 *   account in the region; Lambda queues and retries throttled asynchronous events (up to 6 hours), so a
 *   peak is smoothed, not lost.
 * - Remediation 5: one SSM Automation execution per remediated trail, each a single synchronous call; a
 *   throttled call fails its execution, and automatic remediation retries it (remediationMaxAttempts).
 * Both stay small against the default quota of 1000 concurrent executions per account and region, which the
 * hub account's other functions share: Lambda refuses a reservation that would leave fewer than 100
 * unreserved (an account with a lower quota must raise it first). The bound keeps the two reservations of a
 * hub together at half of the default quota at most.
 */
export const HUB_CONCURRENCY_RANGE = {
  rule: { min: 1, max: 250, default: 10 },
  remediation: { min: 1, max: 250, default: 5 },
} as const;

export type OrganizationContextReader = (key: OrganizationContextKey) => unknown;

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const DEPLOYMENT_TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Validates the organization keys. Lists are accepted as comma-separated strings (`-c`) or JSON arrays
 * (cdk.json); duplicates are dropped, order is kept.
 * @throws InvalidContextError naming the first invalid key.
 */
export function parseOrganizationContext(read: OrganizationContextReader): OrganizationContext {
  const K = ORGANIZATION_CONTEXT_KEY;
  const organizationId = read(K.organizationId);
  if (typeof organizationId !== 'string' || !ORGANIZATION_ID.test(organizationId)) {
    throw new InvalidContextError(
      K.organizationId,
      organizationId,
      'the organization id (o- followed by 10-32 lowercase letters or digits), as shown by aws organizations describe-organization',
    );
  }
  return {
    organizationId,
    deploymentTargets: parseList(
      K.deploymentTargets,
      read(K.deploymentTargets),
      DEPLOYMENT_TARGET,
      'the organization root id (r-...) or OU ids (ou-...-...), comma-separated',
      true,
    ),
    governedRegions: parseList(
      K.governedRegions,
      read(K.governedRegions),
      REGION,
      'region names such as eu-west-1,us-east-1, comma-separated',
      true,
      // required: parseList has rejected an empty list
    ) as readonly [string, ...string[]],
    callAs: parseCallAs(read(K.callAs)),
    ruleInvokerAccounts: parseList(
      K.ruleInvokerAccounts,
      read(K.ruleInvokerAccounts),
      ACCOUNT_ID_PATTERN,
      '12-digit account ids, comma-separated',
      false,
    ),
    hubRuleConcurrency: parseIntegerInRange(
      K.hubRuleConcurrency,
      read(K.hubRuleConcurrency),
      HUB_CONCURRENCY_RANGE.rule,
    ),
    hubRemediationConcurrency: parseIntegerInRange(
      K.hubRemediationConcurrency,
      read(K.hubRemediationConcurrency),
      HUB_CONCURRENCY_RANGE.remediation,
    ),
  };
}

/**
 * The hub's account for the management account's spokes (context `hubAccountId`): required, 12 digits. Its
 * spoke roles trust the hub roles of that account and its rule and document call that account's Lambdas.
 * @throws InvalidContextError when it is missing or not an account id.
 */
export function parseHubAccountId(read: OrganizationContextReader): string {
  const value = read(ORGANIZATION_CONTEXT_KEY.hubAccountId);
  if (typeof value !== 'string' || !ACCOUNT_ID_PATTERN.test(value)) {
    throw new InvalidContextError(
      ORGANIZATION_CONTEXT_KEY.hubAccountId,
      value,
      'the 12-digit id of the account that runs the hub stacks (the delegated administrator, or the management ' +
        'account itself with callAs SELF)',
    );
  }
  return value;
}

function parseCallAs(value: unknown): CallAs {
  if (value === undefined || value === null || value === '') return 'DELEGATED_ADMIN';
  const callAs = CALL_AS.find((candidate) => candidate === value);
  if (callAs === undefined) {
    throw new InvalidContextError(ORGANIZATION_CONTEXT_KEY.callAs, value, CALL_AS.join(' or '));
  }
  return callAs;
}

function parseList(
  key: OrganizationContextKey,
  value: unknown,
  pattern: RegExp,
  expected: string,
  required: boolean,
): readonly string[] {
  const items = toItems(value);
  if (items === undefined || items.some((item) => !pattern.test(item)) || (required && items.length === 0)) {
    throw new InvalidContextError(key, value, expected);
  }
  return [...new Set(items)];
}

function toItems(value: unknown): string[] | undefined {
  return isUnset(value) ? [] : listOf(value);
}
