import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Authorization } from './authorization.js';
import type { PolicyDocument, Statement } from './templates.js';

/**
 * One authorization decision by iam-simulate (@cloud-copilot/iam-simulate): the principal's identity policy
 * statements, its permissions boundary, and the resource's policy where the request has one (a role's trust
 * policy for sts:AssumeRole). Decisions are cached: the check asks the same question for many recorded calls.
 */

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

export interface Question {
  /** The session ARN (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) or the operator's. */
  readonly principalArn: string;
  /** The principal's account. */
  readonly account: string;
  readonly statements: readonly Statement[];
  readonly boundary?: PolicyDocument | undefined;
  readonly resourcePolicy?: PolicyDocument | undefined;
  readonly authorization: Authorization;
}

export interface Answer {
  readonly decision: Decision;
  /** The resource type iam-simulate (the Service Authorization Reference's data) found for the ARN. */
  readonly resourceType: string | undefined;
  /** Context keys iam-simulate dropped as not applying to the action: a defect of the authorization entry. */
  readonly ignoredContextKeys: readonly string[];
}

/** iam-simulate refused the question (an unknown action, a malformed policy or ARN). */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/**
 * iam-simulate reads a `*` in a request's resource as a wildcard and simulates every resource it could stand
 * for; IAM reads the request's ARN literally. A log group ARN ends in a literal `:*`, and the unknown parts of
 * authorization.ts are `*` meant as "a value no statement can name". U+2217 stands for that `*`: a policy's `*`
 * and `?` match it as they match `*`, no policy character matches it literally, so every statement matches the
 * substitute exactly when it matches the literal ARN.
 */
const LITERAL_STAR = '\u2217';

export function simulatedResource(resource: string): string {
  return resource === '*' ? resource : resource.replaceAll('*', LITERAL_STAR);
}

function accountOf(resource: string, fallback: string): string {
  const account = resource.split(':')[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : fallback;
}

const cache = new Map<string, Promise<Answer>>();

async function simulate(question: Question): Promise<Answer> {
  const { authorization } = question;
  const resource = simulatedResource(authorization.resource);
  const result = await runSimulation(
    {
      request: {
        principal: question.principalArn,
        action: authorization.action,
        resource: { resource, accountId: accountOf(authorization.resource, question.account) },
        contextVariables: { ...authorization.context } as Record<string, string | string[]>,
      },
      identityPolicies: [
        { name: 'identity', policy: { Version: '2012-10-17', Statement: question.statements } },
      ],
      ...(question.boundary === undefined
        ? {}
        : { permissionBoundaryPolicies: [{ name: 'boundary', policy: question.boundary }] }),
      ...(question.resourcePolicy === undefined ? {} : { resourcePolicy: question.resourcePolicy }),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new SimulationError(
      `iam-simulate refused ${authorization.action} on ${authorization.resource}: ${JSON.stringify(result.errors)}`,
    );
  }
  if (result.resultType !== 'single') {
    throw new SimulationError(`${authorization.resource} was simulated as a pattern, not one resource.`);
  }
  return {
    decision: result.overallResult as Decision,
    resourceType: result.result.resourceType,
    ignoredContextKeys: result.result.ignoredContextKeys ?? [],
  };
}

/** iam-simulate's decision for `question` (cached). */
export function decide(question: Question): Promise<Answer> {
  const key = JSON.stringify(question);
  let answer = cache.get(key);
  if (answer === undefined) {
    answer = simulate(question);
    cache.set(key, answer);
  }
  return answer;
}
