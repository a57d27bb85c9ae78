import type { Scenario } from '../e2e/call-recorder.js';
import {
  type DeclaredPrincipal,
  type DeploymentName,
  EMULATOR_ACCOUNT,
  type LambdaPrincipal,
  STAND_IN,
} from '../e2e/principals.js';
import { type Authorization, authorizationsOf } from './authorization.js';
import { type AwsRequest, readAwsRequest } from './aws-request.js';
import type { Recording } from './recording.js';
import type { Guardrail, ReviewedGrant } from './reviewed.js';
import { ScenarioRoleFacts } from './role-facts.js';
import {
  type Grant,
  grantsOf,
  OPERATOR_LABEL,
  type ResolvedRole,
  ROLE_CATALOGUE,
  resolveRole,
  uncataloguedRoles,
} from './roles.js';
import { decide, type Question } from './simulate.js';
import {
  type DeploymentTemplates,
  type Placement,
  type PolicyDocument,
  resourcePolicyOf,
  type Statement,
} from './templates.js';

/**
 * The least-privilege check (issue 27), both ways, over the e2e tier's recording:
 *
 * 1. every recorded request is attributed to the role that would make it (the declared principal's role in the
 *    synthesized template of its deployment, or the spoke role an AssumeRole answer handed out, or the operator
 *    policy of docs/cli.md), and each authorization it needs (authorization.ts) is Allowed by iam-simulate with
 *    that role's identity policies, its permissions boundary and the resource's policy;
 * 2. every action each role's statements allow is used by a recorded call that the statement alone allows, or
 *    stands in the reviewed list with its reason; every explicit deny has a probe it alone denies.
 *
 * A failure names the call (scenario, operation), the role and the statement to add, remove or review.
 */

export interface CheckInput {
  readonly recording: Recording;
  readonly deployments: ReadonlyMap<DeploymentName, DeploymentTemplates>;
  /** The command line operator's policy, as docs/cli.md documents it. */
  readonly operatorPolicy: PolicyDocument;
  readonly reviewed: readonly ReviewedGrant[];
  readonly guardrails: readonly Guardrail[];
}

export interface CheckOptions {
  /** Changes a role's statements before anything is evaluated: the tests that drop or add one. */
  readonly mutate?: (label: string, grants: readonly Grant[]) => readonly Grant[];
  /** Stop at the first failure. */
  readonly failFast?: boolean;
  /** Evaluate only this role's calls and grants (the others are unchanged by a mutation of it). */
  readonly focus?: string;
}

/** How one action of one statement is covered. */
export interface GrantCoverage {
  readonly label: string;
  readonly key: string;
  readonly sid: string;
  readonly effect: 'Allow' | 'Deny';
  readonly action: string;
  /** The statement's resources at the display placement (`<account>`, `<region>`). */
  readonly resources: readonly string[];
  /** The calls that needed it (`logs:CreateLogGroup with tags`). */
  readonly neededBy: readonly string[];
  /** `file › test` of each scenario whose calls it allowed, sorted. */
  readonly scenarios: readonly string[];
  /** The reviewed list's reason, for a grant no recorded call can exercise. */
  readonly reviewed?: string;
}

export interface CheckReport {
  readonly failures: readonly string[];
  /** Recorded requests of the Lambdas and the CLI. */
  readonly calls: number;
  /** Distinct (role, action) pairs the recorded calls needed. */
  readonly pairs: number;
  readonly coverage: readonly GrantCoverage[];
}

type PrincipalRef =
  | { readonly kind: 'declared'; readonly key: string; readonly declared: DeclaredPrincipal }
  | {
      readonly kind: 'session';
      readonly key: string;
      readonly roleArn: string;
      readonly parent: LambdaPrincipal;
    };

interface AttributedCall {
  readonly scenario: Scenario;
  readonly request: AwsRequest;
  readonly principal: PrincipalRef;
  readonly authorizations: readonly Authorization[];
}

/** Raised to end a fail-fast run at its first failure. */
class FirstFailure extends Error {}

function scenarioName(scenario: Scenario): string {
  return `${scenario.file} › ${scenario.test}`;
}

function organizationOf(deployment: DeploymentName): string | undefined {
  return deployment === 'organization' ? STAND_IN.organizationId : undefined;
}

function describePrincipal(principal: PrincipalRef): string {
  if (principal.kind === 'session') {
    return `${principal.roleArn} (assumed by the ${principal.parent.function} Lambda of ${principal.parent.deployment})`;
  }
  const declared = principal.declared;
  if (declared.type === 'operator') return `the operator running \`${declared.command}\``;
  return `the ${declared.function} Lambda of deployment ${declared.deployment} in ${declared.account}, ${declared.region}`;
}

function actionsOf(statement: Statement): string[] {
  const action = statement.Action;
  if (action === undefined) return [];
  return (Array.isArray(action) ? action : [action]).map(String);
}

function resourcesOf(statement: Statement): string[] {
  const resource = statement.Resource ?? statement.NotResource;
  if (resource === undefined) return [];
  return (Array.isArray(resource) ? resource : [resource]).map(String);
}

/** Whether IAM action pattern `pattern` (may hold `*`) names `action`; actions are case-insensitive. */
function actionMatches(pattern: string, action: string): boolean {
  const expression = pattern
    .toLowerCase()
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${expression}$`).test(action.toLowerCase());
}

/** Runs the check; the report's failures are empty when least privilege holds both ways. */
export async function runCheck(input: CheckInput, options: CheckOptions = {}): Promise<CheckReport> {
  const failures: string[] = [];
  const fail = (message: string) => {
    failures.push(message);
    if (options.failFast) throw new FirstFailure(message);
  };
  try {
    return await check(input, options, fail, failures);
  } catch (error) {
    if (error instanceof FirstFailure) return { failures, calls: 0, pairs: 0, coverage: [] };
    throw error;
  }
}

async function check(
  input: CheckInput,
  options: CheckOptions,
  fail: (message: string) => void,
  failures: string[],
): Promise<CheckReport> {
  const mutate = options.mutate ?? ((_label: string, grants: readonly Grant[]) => grants);
  if (!input.recording.complete) {
    fail(
      'The recording is from an e2e run that did not finish: run the whole tier (npm run test:e2e) again.',
    );
  }
  for (const templates of input.deployments.values()) {
    for (const role of uncataloguedRoles(templates)) {
      fail(
        `Role ${role} is not in ROLE_CATALOGUE (test/privilege/roles.ts): name it there so the check covers it.`,
      );
    }
  }

  const roleCache = new Map<string, ResolvedRole | undefined>();
  const resolveCatalogued = (deployment: DeploymentName, label: string, placement: Placement) => {
    const key = JSON.stringify([deployment, label, placement]);
    if (!roleCache.has(key)) {
      const entry = ROLE_CATALOGUE.find((candidate) => candidate.label === label);
      const templates = input.deployments.get(deployment);
      roleCache.set(
        key,
        entry === undefined || templates === undefined ? undefined : resolveRole(templates, entry, placement),
      );
    }
    return roleCache.get(key);
  };
  const operatorRole: ResolvedRole = {
    label: OPERATOR_LABEL,
    deployment: 'operator',
    placement: { account: EMULATOR_ACCOUNT, region: 'us-east-1' },
    roleName: 'operator',
    arn: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/operator`,
    grants: grantsOf('docs/cli.md operator policy', input.operatorPolicy),
    managedPolicyArns: [],
    boundary: undefined,
    trust: undefined,
    functionEnvironment: undefined,
  };

  /** The role whose credentials `principal` holds; undefined (with a failure) when no template has it. */
  const roleOf = (principal: PrincipalRef): ResolvedRole | undefined => {
    if (principal.kind === 'declared' && principal.declared.type === 'operator') return operatorRole;
    if (principal.kind === 'declared' && principal.declared.type === 'lambda') {
      const lambda = principal.declared;
      const entry = ROLE_CATALOGUE.find(
        (candidate) =>
          candidate.function === lambda.function &&
          candidate.deployments.includes(lambda.deployment) &&
          candidate.stack === (lambda.deployment === 'organization' ? 'hub' : 'guard'),
      );
      return entry === undefined
        ? undefined
        : resolveCatalogued(lambda.deployment, entry.label, {
            account: lambda.account,
            region: lambda.region,
          });
    }
    if (principal.kind !== 'session') return undefined;
    const [, , , , account = '', resource = ''] = principal.roleArn.split(':');
    const name = resource.slice(resource.lastIndexOf('/') + 1);
    for (const entry of ROLE_CATALOGUE.filter((candidate) => candidate.stack === 'spoke')) {
      const role = resolveCatalogued(principal.parent.deployment, entry.label, {
        account,
        region: principal.parent.region,
        hubAccount: principal.parent.account,
      });
      if (role?.roleName === name) return role;
    }
    return undefined;
  };

  // --- attribution ---------------------------------------------------------------------------------------------
  const calls: AttributedCall[] = [];
  const sessions = new Map<string, PrincipalRef>();
  let facts = new ScenarioRoleFacts();
  let scenarioKey = '';
  for (const exchange of input.recording.exchanges) {
    const where = `scenario "${scenarioName(exchange.scenario)}"`;
    if (scenarioName(exchange.scenario) !== scenarioKey) {
      scenarioKey = scenarioName(exchange.scenario);
      facts = new ScenarioRoleFacts();
    }
    let request: AwsRequest;
    try {
      request = readAwsRequest(exchange.request, exchange.response);
    } catch (error) {
      fail(`${where}: ${(error as Error).message}`);
      continue;
    }
    const declared = input.recording.principals.get(request.accessKey);
    const principal: PrincipalRef | undefined =
      declared === undefined
        ? sessions.get(request.accessKey)
        : { kind: 'declared', key: request.accessKey, declared };
    if (principal === undefined) {
      fail(
        `${where}: ${request.service}:${request.operation} was sent with access key ${request.accessKey}, which ` +
          'stands for no declared principal: run Lambdas with bundleHandler (test/e2e/bundles.ts) and the CLI with ' +
          'operatorEnvironment (test/e2e/call-recorder.ts).',
      );
      continue;
    }
    const account =
      principal.kind === 'session'
        ? (principal.roleArn.split(':')[4] ?? '')
        : principal.declared.type === 'lambda'
          ? principal.declared.account
          : EMULATOR_ACCOUNT;
    const deployment =
      principal.kind === 'session'
        ? principal.parent.deployment
        : principal.declared.type === 'lambda'
          ? principal.declared.deployment
          : undefined;
    let authorizations: Authorization[];
    try {
      authorizations = authorizationsOf({
        request,
        account,
        organizationId: deployment === undefined ? undefined : organizationOf(deployment),
        roles: facts,
      });
    } catch (error) {
      fail(`${where}: ${(error as Error).message}`);
      continue;
    }
    facts.learn(request, account);
    calls.push({ scenario: exchange.scenario, request, principal, authorizations });
    if (request.service === 'sts' && request.operation === 'AssumeRole' && request.response.status === 200) {
      const key = /<AccessKeyId>([^<]+)<\/AccessKeyId>/.exec(request.response.body)?.[1];
      const parent = principal.kind === 'declared' ? principal.declared : undefined;
      if (key !== undefined && parent?.type === 'lambda') {
        sessions.set(key, { kind: 'session', key, roleArn: String(request.input.RoleArn), parent });
      }
    }
  }

  // --- forward: every call allowed -----------------------------------------------------------------------------
  const questionOf = (
    role: ResolvedRole,
    statements: readonly Statement[],
    authorization: Authorization,
    principal: PrincipalRef | undefined,
  ): Question => {
    let resourcePolicy: PolicyDocument | undefined;
    if (authorization.action === 'sts:AssumeRole' && principal !== undefined) {
      resourcePolicy = targetRole(authorization.resource, principal)?.trust;
    } else if (authorization.resource.startsWith('arn:') && principal !== undefined) {
      resourcePolicy = stackResourcePolicy(authorization.resource, principal);
    }
    return {
      principalArn: `arn:aws:sts::${role.placement.account}:assumed-role/${role.roleName}/${role.deployment}`,
      account: role.placement.account,
      statements,
      boundary: role.boundary,
      resourcePolicy,
      authorization,
    };
  };
  /** The policy of a resource of the principal's own stacks (an SNS topic's TopicPolicy), if it has one. */
  const stackResourcePolicy = (arn: string, principal: PrincipalRef): PolicyDocument | undefined => {
    const lambda = principal.kind === 'session' ? principal.parent : principal.declared;
    if (lambda.type !== 'lambda') return undefined;
    const templates = input.deployments.get(lambda.deployment);
    const account = arn.split(':')[4] ?? '';
    const placement = { account, region: lambda.region, hubAccount: lambda.account };
    return templates === undefined ? undefined : resourcePolicyOf(templates, arn, placement);
  };
  const targetRole = (arn: string, principal: PrincipalRef): ResolvedRole | undefined => {
    if (principal.kind !== 'declared' || principal.declared.type !== 'lambda') return undefined;
    const { deployment, region, account } = principal.declared;
    const targetAccount = arn.split(':')[4] ?? '';
    for (const entry of ROLE_CATALOGUE.filter((candidate) => candidate.deployments.includes(deployment))) {
      const role = resolveCatalogued(deployment, entry.label, {
        account: targetAccount,
        region,
        hubAccount: account,
      });
      if (role?.arn === arn) return role;
    }
    return undefined;
  };
  const grantsCache = new Map<ResolvedRole, readonly Grant[]>();
  const grantsOfRole = (role: ResolvedRole): readonly Grant[] => {
    let grants = grantsCache.get(role);
    if (grants === undefined) {
      grants = mutate(role.label, role.grants);
      grantsCache.set(role, grants);
    }
    return grants;
  };

  const checkedEnvironments = new Set<string>();
  const pairs = new Set<string>();
  /** Per role instance, the calls it made with what they needed. */
  const callsOfRole = new Map<ResolvedRole, { call: AttributedCall; authorization: Authorization }[]>();
  for (const call of calls) {
    const where = `scenario "${scenarioName(call.scenario)}"`;
    const role = roleOf(call.principal);
    if (options.focus !== undefined && role?.label !== options.focus) continue;
    if (role === undefined) {
      fail(
        `${where}: ${call.request.service}:${call.request.operation} by ${describePrincipal(call.principal)}: no ` +
          'synthesized template has that role; add the role to ROLE_CATALOGUE (test/privilege/roles.ts).',
      );
      continue;
    }
    if (call.principal.kind === 'declared' && call.principal.declared.type === 'lambda') {
      const environmentKey = `${call.principal.key}`;
      if (!checkedEnvironments.has(environmentKey)) {
        checkedEnvironments.add(environmentKey);
        const declared = JSON.stringify(sortedObject(call.principal.declared.environment));
        const deployed = JSON.stringify(sortedObject(role.functionEnvironment ?? {}));
        if (declared !== deployed) {
          fail(
            `${where}: ${describePrincipal(call.principal)} ran with environment ${declared}, but its stack ` +
              `configures ${deployed}: run it as deployed (test/e2e/principals.ts deployedEnvironment).`,
          );
        }
      }
    }
    const list = callsOfRole.get(role) ?? [];
    callsOfRole.set(role, list);
    for (const authorization of call.authorizations) {
      pairs.add(`${role.label} ${authorization.action}`);
      list.push({ call, authorization });
      const statements = grantsOfRole(role).map((grant) => grant.statement);
      const answer = await decide(questionOf(role, statements, authorization, call.principal));
      const request = `${authorization.action} on ${authorization.resource}`;
      if (authorization.resourceType !== answer.resourceType) {
        fail(
          `${where}: authorization.ts gives ${request} resource type ${authorization.resourceType ?? '(none: *)'}, ` +
            `but the Service Authorization Reference's is ${answer.resourceType ?? '(none: *)'}: correct the entry.`,
        );
      }
      if (answer.ignoredContextKeys.length > 0) {
        fail(
          `${where}: ${request}: context keys ${answer.ignoredContextKeys.join(', ')} do not apply to that action ` +
            '(Service Authorization Reference): correct authorization.ts.',
        );
      }
      if (answer.decision === 'Allowed') continue;
      const context =
        Object.keys(authorization.context).length === 0
          ? ''
          : ` with context ${JSON.stringify(authorization.context)}`;
      const denials =
        answer.decision === 'ExplicitlyDenied'
          ? await denyingStatements(
              role,
              grantsOfRole(role),
              questionOf(role, [], authorization, call.principal),
            )
          : [];
      fail(
        `${where}: ${describePrincipal(call.principal)} called ${call.request.service}:${call.request.operation}, ` +
          `which needs ${request}${context} (${authorization.neededBy}); role "${role.label}" ` +
          `(${role.arn}) is ${answer.decision}. ` +
          (denials.length > 0
            ? `Denied by ${denials.join(', ')}.`
            : `Missing statement: ${JSON.stringify({ Effect: 'Allow', Action: authorization.action, Resource: authorization.resource })} (or a pattern covering it), in its policy.`),
      );
    }
  }

  // --- reverse: every grant used or reviewed ---------------------------------------------------------------------
  const coverage: GrantCoverage[] = [];
  const reviewedUse = new Map<ReviewedGrant, number>();
  const instancesByLabel = new Map<string, ResolvedRole[]>();
  for (const role of callsOfRole.keys()) {
    instancesByLabel.set(role.label, [...(instancesByLabel.get(role.label) ?? []), role]);
  }
  const labels: { label: string; roles: ResolvedRole[]; display: ResolvedRole[] }[] = [];
  for (const entry of ROLE_CATALOGUE) {
    const roles = [...(instancesByLabel.get(entry.label) ?? [])];
    const display: ResolvedRole[] = [];
    for (const deployment of entry.deployments) {
      const templates = input.deployments.get(deployment);
      if (templates === undefined) continue;
      // Each region whose stack holds the role (the aggregator's is in the primary hub only), us-east-1 first.
      const regions = [
        ...new Set([
          'us-east-1',
          ...templates.stacks.flatMap((stack) => (stack.region === undefined ? [] : [stack.region])),
        ]),
      ];
      for (const region of regions) {
        const fallback = resolveCatalogued(deployment, entry.label, {
          account: EMULATOR_ACCOUNT,
          region,
          hubAccount: EMULATOR_ACCOUNT,
        });
        if (fallback === undefined) continue;
        if (!roles.some((role) => role.deployment === deployment)) roles.push(fallback);
        const shown = resolveCatalogued(deployment, entry.label, {
          account: '<account>',
          region,
          hubAccount: '<hub account>',
          display: true,
        });
        if (shown !== undefined) display.push(shown);
        break;
      }
    }
    if (roles.length > 0) labels.push({ label: entry.label, roles, display });
  }
  labels.push({ label: OPERATOR_LABEL, roles: [operatorRole], display: [operatorRole] });

  for (const { label, roles, display } of labels) {
    if (options.focus !== undefined && label !== options.focus) continue;
    const keys = [...new Set(roles.flatMap((role) => grantsOfRole(role).map((grant) => grant.key)))];
    for (const key of keys) {
      const sample = roles.flatMap((role) => grantsOfRole(role)).find((grant) => grant.key === key);
      if (sample === undefined) continue;
      const effect = sample.statement.Effect === 'Deny' ? 'Deny' : 'Allow';
      // Shown as the first variant holding it, at the display placement (<account>; a hub's region as <region>).
      const shown = display.flatMap((role) => role.grants).find((grant) => grant.key === key) ?? sample;
      const resources = resourcesOf(shown.statement).map((resource) =>
        resource.replaceAll(/\b(us-east-1|eu-west-1)\b/g, '<region>'),
      );
      if (effect === 'Deny') {
        await checkGuardrail(input, label, key, sample, roles, grantsOfRole, questionOf, fail);
        coverage.push({
          label,
          key,
          sid: sample.sid,
          effect,
          action: actionsOf(sample.statement).join(', ') || `not ${String(sample.statement.NotAction)}`,
          resources,
          neededBy: [],
          scenarios: [],
        });
        continue;
      }
      for (const action of actionsOf(sample.statement)) {
        const scenarios = new Set<string>();
        const neededBy = new Set<string>();
        for (const role of roles) {
          const grant = grantsOfRole(role).find((candidate) => candidate.key === key);
          if (grant === undefined) continue;
          for (const { call, authorization } of callsOfRole.get(role) ?? []) {
            if (!actionMatches(action, authorization.action)) continue;
            const alone = await decide(questionOf(role, [grant.statement], authorization, call.principal));
            if (alone.decision !== 'Allowed') continue;
            scenarios.add(scenarioName(call.scenario));
            neededBy.add(authorization.neededBy);
          }
        }
        const reviewed = input.reviewed.find(
          (entry) =>
            entry.roles.includes(label) &&
            entry.sid === sample.sid &&
            entry.actions.some((candidate) => candidate === action),
        );
        if (reviewed !== undefined) reviewedUse.set(reviewed, (reviewedUse.get(reviewed) ?? 0) + 1);
        if (scenarios.size > 0 && reviewed !== undefined) {
          fail(
            `Role "${label}", statement ${key}: ${action} is used by recorded calls (scenario "${[...scenarios].sort()[0]}"), ` +
              'so it no longer belongs in the reviewed list: remove it from REVIEWED_GRANTS (test/privilege/reviewed.ts).',
          );
        }
        if (scenarios.size === 0 && reviewed === undefined) {
          fail(
            `Role "${label}", statement ${key} grants ${action} on ${resources.join(', ')}, but no recorded call uses ` +
              'it: remove it from the statement, record a scenario that makes the call, or list it in REVIEWED_GRANTS ' +
              '(test/privilege/reviewed.ts) with the reason the emulator cannot reach it.',
          );
        }
        coverage.push({
          label,
          key,
          sid: sample.sid,
          effect,
          action,
          resources,
          neededBy: [...neededBy].sort(),
          scenarios: [...scenarios].sort(),
          ...(reviewed === undefined ? {} : { reviewed: reviewed.reason }),
        });
      }
    }
    for (const managed of new Set(roles.flatMap((role) => role.managedPolicyArns))) {
      const name = managed.slice(managed.lastIndexOf('/') + 1);
      const reviewed = input.reviewed.find(
        (entry) => entry.roles.includes(label) && entry.sid === name && entry.actions.includes('*'),
      );
      if (reviewed === undefined) {
        fail(
          `Role "${label}" has the AWS managed policy ${managed}, which the check cannot evaluate: list it in ` +
            'REVIEWED_GRANTS (test/privilege/reviewed.ts) with the reason, or replace it with statements.',
        );
        continue;
      }
      reviewedUse.set(reviewed, (reviewedUse.get(reviewed) ?? 0) + 1);
      coverage.push({
        label,
        key: `managed/${name}`,
        sid: name,
        effect: 'Allow',
        action: '*',
        resources: [managed],
        neededBy: [],
        scenarios: [],
        reviewed: reviewed.reason,
      });
    }
  }
  for (const guardrail of input.guardrails) {
    for (const { label, roles } of labels) {
      if (!guardrail.roles.includes(label) || (options.focus !== undefined && label !== options.focus))
        continue;
      const denies = roles.some((role) =>
        grantsOfRole(role).some((grant) => grant.sid === guardrail.sid && grant.statement.Effect === 'Deny'),
      );
      if (!denies) {
        fail(
          `GUARDRAILS probe ${guardrail.sid} for "${label}" matches no deny statement of that role: restore the ` +
            'statement, or remove the probe (test/privilege/reviewed.ts).',
        );
      }
    }
  }
  for (const entry of input.reviewed) {
    if (options.focus !== undefined && !entry.roles.includes(options.focus)) continue;
    const expected = entry.roles.length * entry.actions.length;
    if ((reviewedUse.get(entry) ?? 0) < expected) {
      fail(
        `REVIEWED_GRANTS entry ${entry.sid} (${entry.actions.join(', ')}) for ${entry.roles.join(', ')} matches no ` +
          'grant of every role it names: remove what no longer exists (test/privilege/reviewed.ts).',
      );
    }
  }

  return { failures, calls: calls.length, pairs: pairs.size, coverage };
}

function sortedObject(value: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}

/** The Deny statements of `grants` that explicitly deny what `question` asks (each alone, with allow-all). */
async function denyingStatements(
  role: ResolvedRole,
  grants: readonly Grant[],
  question: Question,
): Promise<string[]> {
  const found: string[] = [];
  for (const grant of grants.filter((candidate) => candidate.statement.Effect === 'Deny')) {
    const answer = await decide({
      ...question,
      statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }, grant.statement],
      boundary: undefined,
    });
    if (answer.decision === 'ExplicitlyDenied') found.push(`statement ${grant.key} of "${role.label}"`);
  }
  return found;
}

async function checkGuardrail(
  input: CheckInput,
  label: string,
  key: string,
  sample: Grant,
  roles: readonly ResolvedRole[],
  grantsOfRole: (role: ResolvedRole) => readonly Grant[],
  questionOf: (
    role: ResolvedRole,
    statements: readonly Statement[],
    authorization: Authorization,
    principal: undefined,
  ) => Question,
  fail: (message: string) => void,
): Promise<void> {
  const guardrail = input.guardrails.find((entry) => entry.roles.includes(label) && entry.sid === sample.sid);
  if (guardrail === undefined) {
    fail(
      `Role "${label}", deny statement ${key} has no probe in GUARDRAILS (test/privilege/reviewed.ts): add a request ` +
        'only it denies, so removing it fails the check.',
    );
    return;
  }
  for (const role of roles) {
    const grants = grantsOfRole(role);
    if (!grants.some((grant) => grant.key === key)) continue;
    const probe = guardrail.probe(role);
    const all = grants.map((grant) => grant.statement);
    const without = grants.filter((grant) => grant.key !== key).map((grant) => grant.statement);
    const withIt = await decide(questionOf(role, all, probe, undefined));
    const withoutIt = await decide(questionOf(role, without, probe, undefined));
    if (withIt.decision !== 'ExplicitlyDenied' || withoutIt.decision === 'ExplicitlyDenied') {
      fail(
        `Role "${label}", deny statement ${key}: its probe ${probe.action} on ${probe.resource} is ` +
          `${withIt.decision} with the role's policies and ${withoutIt.decision} without the statement; it must be ` +
          'ExplicitlyDenied by that statement alone: fix the statement or the probe (test/privilege/reviewed.ts).',
      );
    }
  }
}
