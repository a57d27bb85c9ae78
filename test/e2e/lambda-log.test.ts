/**
 * End-to-end: the Lambdas' own log records, from the bundles as deployed (no runtime source maps), in the
 * Lambda JSON log format the child process reproduces: what an operator reads in the functions' log groups.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { changeEvent } from './config-events.js';
import { E2E_REQUEST_ID } from './lambda-process.js';
import { createTrail, describeTrail } from './trails.js';

interface LogRecord {
  readonly timestamp: string;
  readonly level: string;
  readonly requestId: string;
  readonly message: Record<string, unknown>;
}

/** The JSON records of a child's output (the SDK's Node.js notice and other text lines are skipped). */
function records(logs: string): LogRecord[] {
  return logs
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogRecord);
}

describe('Lambda log records of the bundles', () => {
  const endpoint = inject('motoEndpoint');
  let rule: BundledHandler;
  let remediation: BundledHandler;

  beforeAll(async () => {
    [rule, remediation] = await Promise.all([bundleHandler('rule'), bundleHandler('remediation')]);
  });

  afterAll(async () => {
    await Promise.all([rule?.dispose(), remediation?.dispose()]);
  });

  it('the rule writes one INFO record per evaluation with the request id', async () => {
    await createTrail(endpoint, { name: 'logged', region: 'us-east-1' });
    const event = changeEvent(
      await describeTrail('logged', 'us-east-1', 'us-east-1'),
      'us-east-1',
      new Date(),
    );
    const invocation = await rule.invoke(event);
    expect(invocation.ok).toBe(true);
    const info = records(invocation.logs).filter((record) => record.level === 'INFO');
    expect(info).toEqual([
      expect.objectContaining({
        requestId: E2E_REQUEST_ID,
        message: expect.objectContaining({
          event: 'evaluation',
          requestId: E2E_REQUEST_ID,
          resourceId: 'logged',
          complianceType: 'NON_COMPLIANT',
        }),
      }),
    ]);
  });

  it('the rule logs a failure once, with a stack that names the functions without source maps', async () => {
    const invocation = await rule.invoke({ invokingEvent: '{', ruleParameters: '{}' });
    expect(invocation.ok).toBe(false);
    const errors = records(invocation.logs).filter((record) => record.level === 'ERROR');
    expect(errors).toHaveLength(1);
    const { message } = errors[0] as LogRecord;
    expect(message).toMatchObject({ event: 'evaluation failed', error: { type: 'InvalidEventError' } });
    const stack = message.stack as string[];
    // Bundled, unmangled: the frames name the rule's own functions and point into the deployed index.mjs.
    expect(stack).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^at parseConfigRuleEvent \(file:\/\/.*\/rule\/index\.mjs:\d+:\d+\)$/),
        expect.stringMatching(/^at handler \(file:\/\/.*\/rule\/index\.mjs:\d+:\d+\)$/),
      ]),
    );
  });

  it('the remediation writes a record per applied action and one for the outcome', async () => {
    await createTrail(endpoint, { name: 'fixed', region: 'us-east-1' });
    const invocation = await remediation.invoke({ TrailName: 'fixed' });
    expect(invocation.ok).toBe(true);
    const messages = records(invocation.logs)
      .filter((record) => record.level === 'INFO')
      .map((record) => [record.message.event, record.message.action ?? record.message.outcome]);
    expect(messages).toEqual([
      ['remediation action', 'CreateLogGroup'],
      ['remediation action', 'PutRetentionPolicy'],
      ['remediation action', 'CreateRole'],
      ['remediation action', 'PutRolePolicy'],
      ['remediation action', 'UpdateTrail'],
      ['remediation outcome', 'REMEDIATED'],
    ]);
  });
});
