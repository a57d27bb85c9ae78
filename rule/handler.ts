import type { Context } from 'aws-lambda';
import { credentialsForInvocation } from '../common/account-credentials.js';
import { deployedExemptions } from '../common/deployed-exemptions.js';
import { trailExemptions } from '../common/exemption-lookup.js';
import { invocationLog, type LogFields } from '../common/log.js';
import { clientRegion, ownOrganizationalUnits, ruleClientsFor } from './clients.js';
import type { RuleEvaluation } from './config-api.js';
import { parseConfigRuleEvent } from './event.js';
import { parseRuleParameters } from './parameters.js';
import { runRule } from './run.js';

/**
 * Lambda entry of the Config custom rule. Input is validated before any AWS call, so a bad event or bad rule
 * parameters fail the invocation without writing anything to Config. An event from another account (a rule
 * of the organization's spoke stack calling the hub's function) is handled there, as the role the rule
 * parameter `ExecutionRoleName` names; events of the function's own account use its own credentials.
 *
 * The exemptions deployed beside the code (common/deployed-exemptions.ts) are validated again at the invocation's
 * instant; when they are not valid none is honoured, every trail is judged as it is and the invocation then fails
 * with InvalidExemptionsError naming the entries. OUs are read with the Lambda's own credentials.
 *
 * Logs one `evaluation` line per evaluation reported (INFO), or one `evaluation failed` line (ERROR) with the
 * error and its causes, which it then rethrows unchanged.
 */
export async function handler(
  event: unknown,
  context?: Partial<Pick<Context, 'invokedFunctionArn' | 'awsRequestId'>>,
): Promise<RuleEvaluation[]> {
  const log = invocationLog(context?.awsRequestId);
  // What the event is about, in every line once it is parsed.
  let invocation: LogFields = {};
  try {
    const parsed = parseConfigRuleEvent(event);
    invocation = {
      configRuleName: parsed.configRuleName,
      accountId: parsed.accountId,
      messageType: parsed.invokingEvent.messageType,
    };
    log.debug('invocation', invocation);
    const parameters = parseRuleParameters(parsed.ruleParameters);
    const credentials = credentialsForInvocation({
      invokedFunctionArn: context?.invokedFunctionArn,
      targetAccountId: parsed.accountId,
      roleName: parameters.executionRoleName,
    });
    // Assumed up front, so a refused role is reported as such rather than as the first call's failure.
    await credentials?.();
    const clients = ruleClientsFor(credentials);
    const now = new Date();
    const deployed = deployedExemptions(now);
    const evaluations = await runRule(parsed, parameters, {
      clients,
      region: await clientRegion(clients),
      now,
      ...(deployed.ok
        ? { exemptions: trailExemptions(deployed.list, now, ownOrganizationalUnits) }
        : { exemptionsFailure: deployed.error }),
    });
    for (const evaluation of evaluations) {
      log.info('evaluation', {
        ...invocation,
        resourceType: evaluation.resourceType,
        resourceId: evaluation.resourceId,
        complianceType: evaluation.complianceType,
        annotation: evaluation.annotation,
        orderingTimestamp: evaluation.orderingTimestamp.toISOString(),
      });
    }
    return evaluations;
  } catch (error) {
    log.error('evaluation failed', error, invocation);
    throw error;
  }
}
