import { describe, expect, it } from 'vitest';
import { CONTEXT_KEY } from '../../infra/context.js';
import { assertKnownContextKeys, UnknownContextKeyError } from '../../infra/context-keys.js';
import { ORGANIZATION_CONTEXT_KEY } from '../../infra/organization/context.js';

const GUARD_KEYS = Object.values(CONTEXT_KEY);
const ORGANIZATION_APP = {
  keys: Object.values(ORGANIZATION_CONTEXT_KEY),
  how: '--app "npx tsx infra/organization-app.ts"',
};
const READS = `this app reads only ${GUARD_KEYS.join(', ')}.`;
const CORRECT = 'Correct it in -c or under "context" in cdk.json, or remove it.';

/** What the CDK CLI itself puts in an app's context (CDK_CONTEXT_JSON of `cdk synth`), and cdk.json's flags. */
const CDK_OWN_CONTEXT = {
  'aws:cdk:enable-path-metadata': true,
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:version-reporting': true,
  'aws:cdk:bundling-stacks': ['**'],
  '@aws-cdk/core:failSynthOnValidationErrors': false,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  'availability-zones:account=111122223333:region=eu-west-1': ['eu-west-1a'],
  'acknowledged-issue-numbers': [32775],
  'cli-telemetry': false,
};

function failure(context: Record<string, unknown>): string {
  try {
    assertKnownContextKeys(context, GUARD_KEYS, [ORGANIZATION_APP]);
  } catch (error) {
    expect(error).toBeInstanceOf(UnknownContextKeyError);
    return (error as Error).message;
  }
  return expect.unreachable('the context must be refused');
}

describe('assertKnownContextKeys', () => {
  it("accepts every key the app reads, and CDK's own keys", () => {
    const everyKey = Object.fromEntries(GUARD_KEYS.map((key) => [key, 'x']));
    expect(() => assertKnownContextKeys({ ...CDK_OWN_CONTEXT, ...everyKey }, GUARD_KEYS)).not.toThrow();
  });

  it.each([
    [
      'a key one letter off',
      { retentionDay: '731' },
      `Unknown CDK context key 'retentionDay' (value "731"): ${READS} Did you mean retentionDays? ${CORRECT}`,
    ],
    [
      'a key in kebab case',
      { 'retention-days': 731 },
      `Unknown CDK context key 'retention-days' (value 731): ${READS} Did you mean retentionDays? ${CORRECT}`,
    ],
    [
      'a key with a capital',
      { LogLevel: 'DEBUG' },
      `Unknown CDK context key 'LogLevel' (value "DEBUG"): ${READS} Did you mean logLevel? ${CORRECT}`,
    ],
    [
      'a key like no other',
      { slackChannel: '#security' },
      `Unknown CDK context key 'slackChannel' (value "#security"): ${READS} ${CORRECT}`,
    ],
  ])(
    'refuses %s in one line naming the key, its value and the keys the app reads',
    (_name, context, message) => {
      expect(failure({ ...CDK_OWN_CONTEXT, ...context })).toBe(message);
    },
  );

  it('refuses a key of the organization app, saying how that app is deployed', () => {
    expect(failure({ organizationId: 'o-a1b2c3d4e5' })).toBe(
      `Unknown CDK context key 'organizationId' (value "o-a1b2c3d4e5"): another app of this project reads it, not this one: deploy that app with --app "npx tsx infra/organization-app.ts", or remove the key.`,
    );
  });

  it('takes the keys it knows from the registry it is given, so a key added there is known', () => {
    expect(() => assertKnownContextKeys({ newSetting: 'x' }, [...GUARD_KEYS, 'newSetting'])).not.toThrow();
  });
});
