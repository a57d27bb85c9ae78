import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidContextError } from '../../infra/context.js';
import { UnknownContextKeyError } from '../../infra/context-keys.js';
import { synthesizeApp } from '../../infra/entry.js';

const ROOT = join(import.meta.dirname, '..', '..');

function collected(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString('utf8');
  });
  return { stream, text: () => text };
}

describe('synthesizeApp', () => {
  it.each([
    ['an invalid value', new InvalidContextError('retentionDays', '42', 'one of 1, 3, 5')],
    [
      'an unknown key',
      new UnknownContextKeyError('retentionDay', '731', 'this app reads only retentionDays.'),
    ],
  ])('writes %s as its one line and returns 1', (_name, error) => {
    const stderr = collected();
    const code = synthesizeApp(() => {
      throw error;
    }, stderr.stream);
    expect(code).toBe(1);
    expect(stderr.text()).toBe(`${error.message}\n`);
  });

  it('lets any other error through with its trace, as the defect it is', () => {
    const stderr = collected();
    expect(() =>
      synthesizeApp(() => {
        throw new TypeError('boom');
      }, stderr.stream),
    ).toThrow(TypeError);
  });

  it('returns 0 once the app has synthesized', () => {
    let synthesized = false;
    expect(synthesizeApp(() => ({ synth: () => (synthesized = true) }), collected().stream)).toBe(0);
    expect(synthesized).toBe(true);
  });
});

/** Runs a CDK app's entry as `cdk synth` does, with the context the CDK CLI passes in CDK_CONTEXT_JSON. */
async function synth(app: string, context: Record<string, unknown>) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, app)], {
    cwd: ROOT,
    env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stderr };
}

describe('the apps as cdk synth runs them', () => {
  it.each([
    [
      'infra/app.ts',
      { 'aws:cdk:version-reporting': true, retentionDays: '42' },
      `Invalid CDK context 'retentionDays': got "42"; expected one of the retention periods CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653). Pass it as -c retentionDays=<value> or set it under "context" in cdk.json.\n`,
    ],
    [
      'infra/organization-app.ts',
      { organizationId: 'o-a1b2c3d4e5', governedRegion: 'eu-west-1' },
      expect.stringMatching(
        /^Unknown CDK context key 'governedRegion' \(value "eu-west-1"\): this app reads only .*\. Did you mean governedRegions\? Correct it in -c or under "context" in cdk\.json, or remove it\.\n$/,
      ),
    ],
  ])(
    '%s ends with one line and exit 1 for a wrong setting, no stack trace',
    { timeout: 60_000 },
    async (app, context, line) => {
      await expect(synth(app, context)).resolves.toEqual({ code: 1, stderr: line });
    },
  );
});
