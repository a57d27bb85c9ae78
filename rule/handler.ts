import { clientRegion, ruleClientsFor } from './clients.js';
import type { RuleEvaluation } from './config-api.js';
import { parseConfigRuleEvent } from './event.js';
import { parseRuleParameters } from './parameters.js';
import { runRule } from './run.js';

/**
 * Lambda entry of the Config custom rule. Input is validated before any AWS call, so a bad event or bad rule
 * parameters fail the invocation without writing anything to Config.
 */
export async function handler(event: unknown): Promise<RuleEvaluation[]> {
  const parsed = parseConfigRuleEvent(event);
  const parameters = parseRuleParameters(parsed.ruleParameters);
  const clients = ruleClientsFor();
  return runRule(parsed, parameters, { clients, region: await clientRegion(clients), now: new Date() });
}
