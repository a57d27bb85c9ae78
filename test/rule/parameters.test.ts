import { describe, expect, it } from 'vitest';
import { InvalidRuleParameterError } from '../../rule/errors.js';
import { parseRuleParameters, type RuleParameters } from '../../rule/parameters.js';

describe('parseRuleParameters', () => {
  it.each<[string, Record<string, unknown>, RuleParameters]>([
    ['no parameters', {}, {}],
    ['a window as text', { expectedDeliveryWindowAge: '24' }, { expectedDeliveryWindowAge: 24 }],
    ['a window as a number', { expectedDeliveryWindowAge: 1 }, { expectedDeliveryWindowAge: 1 }],
    ['a window left blank', { expectedDeliveryWindowAge: '' }, {}],
    ['a window of whitespace only', { expectedDeliveryWindowAge: ' \t ' }, {}],
    ['a null window', { expectedDeliveryWindowAge: null }, {}],
    ['an undefined window', { expectedDeliveryWindowAge: undefined }, {}],
    ['a padded window', { expectedDeliveryWindowAge: ' 24\n' }, { expectedDeliveryWindowAge: 24 }],
    [
      'a window of several digits',
      { expectedDeliveryWindowAge: '8760' },
      { expectedDeliveryWindowAge: 8760 },
    ],
    ['a role name left blank', { ExecutionRoleName: '' }, {}],
    ['a role name of whitespace only', { ExecutionRoleName: '  ' }, {}],
    ['a null role name', { ExecutionRoleName: null }, {}],
    ['a padded role name', { ExecutionRoleName: ' rule-role\t' }, { executionRoleName: 'rule-role' }],
    [
      'a role name of 64 characters',
      { ExecutionRoleName: 'r'.repeat(64) },
      { executionRoleName: 'r'.repeat(64) },
    ],
    [
      'a role name',
      { ExecutionRoleName: 'config-rule-execution' },
      { executionRoleName: 'config-rule-execution' },
    ],
    [
      'both',
      { expectedDeliveryWindowAge: '48', ExecutionRoleName: 'Role+=,.@_-1' },
      { expectedDeliveryWindowAge: 48, executionRoleName: 'Role+=,.@_-1' },
    ],
  ])('accepts %s', (_case, raw, expected) => {
    expect(parseRuleParameters(raw)).toEqual(expected);
  });

  const windowError = (value: string) =>
    `Invalid rule parameters: expectedDeliveryWindowAge must be a whole number of hours greater than zero, got ${value}.`;
  const roleError = (value: string) =>
    `Invalid rule parameters: ExecutionRoleName must be an IAM role name (1-64 characters of letters, digits and +=,.@_-), got ${value}.`;
  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown key',
      { expectedDeliveryWindowAge: '24', MaximumExecutionFrequency: 'One_Hour' },
      'Invalid rule parameters: unknown parameter(s) MaximumExecutionFrequency; this rule accepts only expectedDeliveryWindowAge, ExecutionRoleName.',
    ],
    [
      'two unknown keys',
      { MaximumExecutionFrequency: 'One_Hour', executionRoleName: 'x' },
      'Invalid rule parameters: unknown parameter(s) MaximumExecutionFrequency, executionRoleName; this rule accepts only expectedDeliveryWindowAge, ExecutionRoleName.',
    ],
    [
      'a key in the wrong case',
      { ExpectedDeliveryWindowAge: '24' },
      'Invalid rule parameters: unknown parameter(s) ExpectedDeliveryWindowAge; this rule accepts only expectedDeliveryWindowAge, ExecutionRoleName.',
    ],
    ['a zero window', { expectedDeliveryWindowAge: '0' }, windowError('"0"')],
    ['a negative window', { expectedDeliveryWindowAge: '-3' }, windowError('"-3"')],
    ['a negative numeric window', { expectedDeliveryWindowAge: -3 }, windowError('-3')],
    ['a text window', { expectedDeliveryWindowAge: 'one day' }, windowError('"one day"')],
    ['a fractional window', { expectedDeliveryWindowAge: '1.5' }, windowError('"1.5"')],
    ['a fractional numeric window', { expectedDeliveryWindowAge: 1.5 }, windowError('1.5')],
    ['a window with a zero decimal', { expectedDeliveryWindowAge: '10.0' }, windowError('"10.0"')],
    ['a window in exponent notation', { expectedDeliveryWindowAge: '1e3' }, windowError('"1e3"')],
    ['a window with a unit', { expectedDeliveryWindowAge: '24h' }, windowError('"24h"')],
    ['a window with a sign', { expectedDeliveryWindowAge: '+24' }, windowError('"+24"')],
    ['a window with a leading zero', { expectedDeliveryWindowAge: '024' }, windowError('"024"')],
    ['a hexadecimal window', { expectedDeliveryWindowAge: '0x18' }, windowError('"0x18"')],
    ['two numbers as a window', { expectedDeliveryWindowAge: '24 48' }, windowError('"24 48"')],
    ['a window with a leading letter', { expectedDeliveryWindowAge: 'x24' }, windowError('"x24"')],
    [
      'a window beyond safe integers',
      { expectedDeliveryWindowAge: '99999999999999999' },
      windowError('"99999999999999999"'),
    ],
    ['a boolean window', { expectedDeliveryWindowAge: true }, windowError('true')],
    ['a window in an array', { expectedDeliveryWindowAge: [24] }, windowError('[24]')],
    [
      'a role ARN instead of a name',
      { ExecutionRoleName: 'arn:aws:iam::1:role/x' },
      roleError('"arn:aws:iam::1:role/x"'),
    ],
    ['a role name of 65 characters', { ExecutionRoleName: 'r'.repeat(65) }, roleError(`"${'r'.repeat(65)}"`)],
    ['a numeric role name', { ExecutionRoleName: 7 }, roleError('7')],
    ['a role name with a space inside', { ExecutionRoleName: 'rule role' }, roleError('"rule role"')],
    [
      'a role name of 65 characters once trimmed',
      { ExecutionRoleName: ` ${'r'.repeat(65)} ` },
      roleError(`" ${'r'.repeat(65)} "`),
    ],
  ])('throws InvalidRuleParameterError for %s', (_case, raw, message) => {
    const parse = () => parseRuleParameters(raw);
    expect(parse).toThrow(InvalidRuleParameterError);
    expect(parse).toThrow(message);
  });
});
