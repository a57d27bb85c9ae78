/**
 * End-to-end: `npm run demo` (scripts/demo.ts), the README's first command for a new user, runs its whole
 * loop against its own moto_server: every step exits as the demo expects, so a change that breaks a step (the
 * monitoring's topic check did once) fails here rather than on a reader's machine.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outcome } from './cli-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The demo starts its own emulator and runs the CLI a dozen times: seconds alone, a minute on a busy machine. */
const DEMO_TIMEOUT_MS = 180_000;

describe('npm run demo', () => {
  it('closes the loop: every step exits as expected and the emulator is stopped', {
    timeout: DEMO_TIMEOUT_MS,
  }, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', 'demo.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stdout, stderr } = await outcome(child);
    expect({ code, failure: stderr.match(/Demo failed: .*/)?.[0] }).toEqual({ code: 0, failure: undefined });
    const exits = stdout.match(/^\(exit \d+: .*\)$/gm) ?? [];
    expect(exits).toHaveLength(11);
    expect(stdout).toContain('The loop is closed');
    expect(stdout.trimEnd().split('\n').at(-1)).toMatch(/^Stopping moto_server \(pid \d+\)\.$/);
  });
});
