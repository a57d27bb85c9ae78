import { parsePolicyArn, TOPIC_ARN_PATTERN } from './arns.js';
import { MONITORING_TOPIC_ENV, PERMISSIONS_BOUNDARY_ENV } from './definition.js';
import { InvalidConfigurationError } from './errors.js';

/**
 * The permissions boundary the deployment configured (PERMISSIONS_BOUNDARY_ENV), or undefined when the variable
 * is unset or empty: the CLI, running with an operator's credentials, creates roles without a boundary. A value
 * that is not a managed policy ARN throws InvalidConfigurationError before any AWS call.
 */
export function permissionsBoundaryFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = env[PERMISSIONS_BOUNDARY_ENV];
  if (value === undefined || value === '') return undefined;
  if (parsePolicyArn(value) === undefined) {
    throw new InvalidConfigurationError(
      `Environment variable ${PERMISSIONS_BOUNDARY_ENV} is ${JSON.stringify(value)}, not a managed policy ARN ` +
        '(arn:<partition>:iam::<account>:policy/<path><name>). Set it to the delivery boundary policy of the ' +
        'stack, or leave it unset for no boundary.',
    );
  }
  return value;
}

/**
 * The SNS topic the stack created for the monitoring alarms (MONITORING_TOPIC_ENV), or undefined when unset or
 * empty. A value that is not a topic ARN throws InvalidConfigurationError before any AWS call.
 */
export function monitoringTopicFromEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const value = env[MONITORING_TOPIC_ENV];
  if (value === undefined || value === '') return undefined;
  if (!TOPIC_ARN_PATTERN.test(value)) {
    throw new InvalidConfigurationError(
      `Environment variable ${MONITORING_TOPIC_ENV} is ${JSON.stringify(value)}, not an SNS topic ARN ` +
        '(arn:<partition>:sns:<region>:<account>:<name>). Set it to the monitoring topic of the stack, or leave ' +
        'it unset.',
    );
  }
  return value;
}
