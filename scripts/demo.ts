/**
 * `npm run demo`: the whole loop without an AWS account. Starts moto_server on 127.0.0.1 (the emulator the
 * end-to-end tier uses), creates five trails (scripts/demo-world.ts), then runs the real command line against it: scan, plan and
 * fix of the broken trail; its log group deleted and the fix repairing it; a log group someone prepared under
 * the fix's name (with a subscription filter) refused, then adopted with --adopt-existing; the CIS monitoring
 * (--monitoring) planned, created on a qualifying trail, found present on a second fix, and refused for a trail
 * that does not qualify; scan again. Each step
 * is printed with its exit code; a step that exits other than expected fails the demo. The emulator is stopped
 * by its PID when the demo ends, fails or is interrupted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_NAME } from '../cli/commands.js';
import { EXIT_CODE } from '../cli/io.js';
import { type MotoServer, startMotoServer } from '../test/e2e/moto-server.js';
import {
  ACCOUNT,
  BROKEN_TRAIL,
  createDemoWorld,
  deleteLogGroup,
  demoEnvironment,
  MONITORED_TRAIL,
  MONITORING,
  PREPARED_TRAIL,
  REGIONS,
} from './demo-world.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'cli', 'bin.js');

class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

/** Runs the real command line (the package's bin) as the operator would, and checks its exit code. */
async function step(
  endpoint: string,
  args: readonly string[],
  expected: number,
  meaning: string,
): Promise<void> {
  console.log(`\n$ ${CLI_NAME} ${args.join(' ')}`);
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: demoEnvironment(endpoint),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== expected) {
    throw new DemoError(`${CLI_NAME} ${args.join(' ')} exited ${code}, expected ${expected} (${meaning}).`);
  }
  console.log(`(exit ${code}: ${meaning})`);
}

async function demo(moto: MotoServer): Promise<void> {
  const { endpoint } = moto;
  console.log(`moto_server answers on ${endpoint} (pid ${moto.pid}). Creating trails in account ${ACCOUNT}:`);
  await createDemoWorld(endpoint, (line) => console.log(line));
  const scan = ['scan', ...REGIONS.flatMap((region) => ['--region', region])];
  await step(endpoint, scan, EXIT_CODE.nonCompliant, 'NON_COMPLIANT trails were found');
  await step(endpoint, ['plan', BROKEN_TRAIL], EXIT_CODE.ok, 'the dry run changed nothing');
  await step(endpoint, ['fix', BROKEN_TRAIL, '--yes'], EXIT_CODE.ok, 'fixed and verified');
  await deleteLogGroup(endpoint, BROKEN_TRAIL, (line) => console.log(line));
  await step(endpoint, ['fix', BROKEN_TRAIL, '--yes'], EXIT_CODE.ok, 'the deleted log group was repaired');
  await step(
    endpoint,
    ['plan', PREPARED_TRAIL],
    EXIT_CODE.error,
    'refused: the log group was not created by the fix',
  );
  await step(
    endpoint,
    ['fix', PREPARED_TRAIL, '--adopt-existing', '--yes'],
    EXIT_CODE.ok,
    'adopted on request, its subscription filter listed',
  );
  await step(
    endpoint,
    ['plan', MONITORED_TRAIL, ...MONITORING],
    EXIT_CODE.ok,
    'the integration and the 14 filters and 14 alarms planned, nothing written',
  );
  await step(
    endpoint,
    ['fix', MONITORED_TRAIL, ...MONITORING, '--yes'],
    EXIT_CODE.ok,
    'integrated, then one metric filter and one alarm per CIS control created',
  );
  await step(
    endpoint,
    ['fix', MONITORED_TRAIL, ...MONITORING, '--yes'],
    EXIT_CODE.ok,
    'a second run: every filter and alarm already present, nothing created',
  );
  await step(
    endpoint,
    ['fix', BROKEN_TRAIL, ...MONITORING, '--yes'],
    EXIT_CODE.ok,
    'a single-Region trail does not qualify: reported, nothing created',
  );
  await step(endpoint, scan, EXIT_CODE.ok, 'every trail is compliant');
}

async function main(): Promise<void> {
  // The demo's own clients create the trails; the same notice as in demoEnvironment is silenced for them.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  console.log(`${CLI_NAME} demo: scan, plan, fix and scan again, against an emulated AWS on 127.0.0.1.`);
  const workDir = await mkdtemp(join(tmpdir(), `${CLI_NAME}-demo-`));
  const logFile = join(workDir, 'moto-server.log');
  const moto = await startMotoServer({ recordingFile: join(workDir, 'moto-recording.jsonl'), logFile });
  const stopped = (async () => {
    const [signal] = (await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')])) as [
      NodeJS.Signals,
    ];
    return signal;
  })();
  try {
    const interrupted = await Promise.race([demo(moto).then(() => undefined), stopped]);
    if (interrupted !== undefined) throw new DemoError(`interrupted by ${interrupted}.`);
    console.log(
      '\nThe loop is closed: the broken trail sends to CloudWatch Logs again after its log group was deleted, and ' +
        'the prepared log group was used only when asked.',
    );
  } catch (error) {
    console.error(`\nDemo failed: ${error instanceof Error ? error.message : String(error)}`);
    console.error(`moto_server's log: ${logFile}`);
    process.exitCode = 1;
  } finally {
    console.log(`Stopping moto_server (pid ${moto.pid}).`);
    await moto.stop();
    if (process.exitCode !== 1) await rm(workDir, { recursive: true, force: true });
  }
}

await main();
