import type { Context } from 'aws-lambda';
import { credentialsForInvocation } from '../common/account-credentials.js';
import { clientRegion, ruleClientsFor } from './clients.js';
import type { RuleEvaluation } from './config-api.js';
import { parseConfigRuleEvent } from './event.js';
import { parseRuleParameters } from './parameters.js';
import { runRule } from './run.js';

/**
 * Lambda entry of the Config custom rule. Input is validated before any AWS call, so a bad event or bad rule
 * parameters fail the invocation without writing anything to Config. An event from another account (a rule
 * of the organization's spoke stack calling the hub's function) is handled there, as the role the rule
 * parameter `ExecutionRoleName` names; events of the function's own account use its own credentials.
 */
export async function handler(
  event: unknown,
  context?: Pick<Context, 'invokedFunctionArn'>,
): Promise<RuleEvaluation[]> {
  const parsed = parseConfigRuleEvent(event);
  const parameters = parseRuleParameters(parsed.ruleParameters);
  const credentials = credentialsForInvocation({
    invokedFunctionArn: context?.invokedFunctionArn,
    targetAccountId: parsed.accountId,
    roleName: parameters.executionRoleName,
  });
  // Assumed up front, so a refused role is reported as such rather than as the first call's failure.
  await credentials?.();
  const clients = ruleClientsFor(credentials);
  return runRule(parsed, parameters, { clients, region: await clientRegion(clients), now: new Date() });
}
