import { describe, expect, it } from 'vitest';
import { ACCOUNT_ID_PATTERN, ROLE_NAME_PATTERN } from '../../common/aws-identifiers.js';

describe('ACCOUNT_ID_PATTERN', () => {
  it.each([
    ['111122223333', true],
    ['000000000000', true],
    ['11112222333', false],
    ['1111222233334', false],
    ['11112222333a', false],
    [' 111122223333', false],
    ['111122223333\n', false],
    ['', false],
  ])('%j is an account id: %s', (value, expected) => {
    expect(ACCOUNT_ID_PATTERN.test(value)).toBe(expected);
  });
});

describe('ROLE_NAME_PATTERN', () => {
  it.each([
    ['r', true],
    ['Role+=,.@_-1', true],
    ['r'.repeat(64), true],
    ['r'.repeat(65), false],
    ['', false],
    ['rule role', false],
    ['path/role', false],
    ['rôle', false],
    [' role', false],
    ['role\n', false],
  ])('%j is a role name: %s', (value, expected) => {
    expect(ROLE_NAME_PATTERN.test(value)).toBe(expected);
  });
});
