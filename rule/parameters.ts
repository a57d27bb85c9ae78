import { ROLE_NAME_PATTERN } from '../common/aws-identifiers.js';
import { RULE_PARAMETER, type RuleParameterKey } from './definition.js';
import { InvalidRuleParameterError } from './errors.js';

/** The rule parameters, validated. */
export interface RuleParameters {
  /** Hours within which CloudTrail must have delivered to CloudWatch Logs; unset: delivery is not checked. */
  readonly expectedDeliveryWindowAge?: number;
  /** Role a central rule Lambda assumes in the evaluated account (Config RDK convention). */
  readonly executionRoleName?: string;
}

const KNOWN_KEYS: readonly string[] = Object.values(RULE_PARAMETER);

const POSITIVE_INTEGER = /^[1-9]\d*$/;

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

function parseWindow(value: unknown): number {
  const text = typeof value === 'number' ? String(value) : value;
  if (
    typeof text !== 'string' ||
    !POSITIVE_INTEGER.test(text.trim()) ||
    !Number.isSafeInteger(Number(text))
  ) {
    throw new InvalidRuleParameterError(
      `${RULE_PARAMETER.expectedDeliveryWindowAge} must be a whole number of hours greater than zero, got ${JSON.stringify(value)}.`,
    );
  }
  return Number(text);
}

// Surrounding whitespace (a value pasted into the console) is dropped, as for the window.
function parseRoleName(value: unknown): string {
  const name = typeof value === 'string' ? value.trim() : value;
  if (typeof name !== 'string' || !ROLE_NAME_PATTERN.test(name)) {
    throw new InvalidRuleParameterError(
      `${RULE_PARAMETER.executionRoleName} must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got ${JSON.stringify(value)}.`,
    );
  }
  return name;
}

/**
 * Validates the parsed `ruleParameters` object. Unknown keys and unacceptable values throw
 * {@link InvalidRuleParameterError}; a key whose value is empty counts as unset, because that is how an
 * optional parameter left blank reaches the rule.
 */
export function parseRuleParameters(raw: Readonly<Record<string, unknown>>): RuleParameters {
  const unknown = Object.keys(raw).filter((key) => !KNOWN_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new InvalidRuleParameterError(
      `unknown parameter(s) ${unknown.join(', ')}; this rule accepts only ${KNOWN_KEYS.join(', ')}.`,
    );
  }
  const value = (key: RuleParameterKey): unknown => raw[key];
  const window = value(RULE_PARAMETER.expectedDeliveryWindowAge);
  const roleName = value(RULE_PARAMETER.executionRoleName);
  return {
    ...(isBlank(window) ? {} : { expectedDeliveryWindowAge: parseWindow(window) }),
    ...(isBlank(roleName) ? {} : { executionRoleName: parseRoleName(roleName) }),
  };
}
