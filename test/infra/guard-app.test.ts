import { describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../infra/context.js';
import { UnknownContextKeyError } from '../../infra/context-keys.js';
import { createGuardApp } from '../../infra/guard-app.js';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

describe('createGuardApp', () => {
  it.each([
    ['retentionDays', '42'],
    ['ruleSchedule', 'Weekly'],
    ['autoRemediate', 'yes'],
    ['kmsKeyArn', 'alias/logs'],
  ])('fails before building any stack when %s is %j, naming the key', (key, value) => {
    let caught: unknown;
    try {
      createGuardApp({ context: { ...NO_BUNDLING, [key]: value } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidContextError);
    expect((caught as Error).message).toMatch(
      new RegExp(`^Invalid CDK context '${key}': got "${value}"; expected `),
    );
  });

  it.each([
    ['retentionDay', 'retentionDays'],
    ['organizationId', undefined],
  ])('fails before building any stack on the unknown key %s', (key, suggestion) => {
    let caught: unknown;
    try {
      createGuardApp({ context: { ...NO_BUNDLING, [key]: 'x' } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownContextKeyError);
    expect((caught as Error).message).toMatch(
      new RegExp(`^Unknown CDK context key '${key}' \\(value "x"\\): `),
    );
    if (suggestion !== undefined) expect((caught as Error).message).toContain(`Did you mean ${suggestion}?`);
  });

  it.each([
    [{}, 'cloudtrail-logs-guard'],
    [{ namePrefix: 'acme-prod' }, 'acme-prod-cloudtrail-logs-guard'],
  ])('names the stack from the prefix (%j)', { timeout: 60_000 }, (context, stackName) => {
    const { app, stack } = createGuardApp({ context: { ...NO_BUNDLING, ...context } });
    expect(stack.stackName).toBe(stackName);
    expect(app.node.children.map((child) => child.node.id)).toEqual(['GuardStack']);
  });
});
