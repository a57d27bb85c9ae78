/**
 * `npm run demo`: the whole loop without an AWS account. Starts moto_server on 127.0.0.1 (the emulator the
 * end-to-end tier uses), creates four trails, then runs the real command line against it: scan, plan and
 * fix of the broken trail; its log group deleted and the fix repairing it; a log group someone prepared under
 * the fix's name (with a subscription filter) refused, then adopted with --adopt-existing; scan again. Each step
 * is printed with its exit code; a step that exits other than expected fails the demo. The emulator is stopped
 * by its PID when the demo ends, fails or is interrupted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CLI_NAME } from '../cli/commands.js';
import { EXIT_CODE } from '../cli/io.js';
import { logGroupNameFor } from '../remediation/definition.js';
import { createBucket } from '../test/e2e/emulator.js';
import { type MotoServer, startMotoServer } from '../test/e2e/moto-server.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'cli', 'bin.js');
/** moto's fixed account id. */
const ACCOUNT = '123456789012';
const BUCKET = 'demo-cloudtrail-bucket';
const REGIONS = ['us-east-1', 'eu-west-1'] as const;
const BROKEN_TRAIL = 'app-events';
/** A trail whose log group name someone else took first, with a subscription filter of their own. */
const PREPARED_TRAIL = 'data-events';

class DemoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoError';
  }
}

interface DemoTrail {
  readonly name: string;
  readonly region: string;
  readonly multiRegion: boolean;
  readonly integrated: boolean;
}

const TRAILS: readonly DemoTrail[] = [
  { name: 'audit', region: 'us-east-1', multiRegion: false, integrated: true },
  { name: BROKEN_TRAIL, region: 'us-east-1', multiRegion: false, integrated: false },
  { name: PREPARED_TRAIL, region: 'us-east-1', multiRegion: false, integrated: false },
  { name: 'organization-wide', region: 'eu-west-1', multiRegion: true, integrated: true },
];

/**
 * The environment of every step: only the emulator is reachable (every AWS_* variable of the caller's shell is
 * dropped, so no profile, SSO session or service endpoint can point anywhere else) with dummy credentials.
 * The SDK's Node.js 22 notice is silenced here only: it concerns SDK releases after the ones the lock pins.
 */
function demoEnvironment(endpoint: string): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  return {
    ...inherited,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'demo',
    AWS_SECRET_ACCESS_KEY: 'demo',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function clientConfig(endpoint: string, region = 'us-east-1') {
  return { region, endpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
}

async function createTrails(endpoint: string): Promise<void> {
  const config = (region: string) => clientConfig(endpoint, region);
  await createBucket(endpoint, BUCKET);
  for (const trail of TRAILS) {
    const logGroupName = `/demo/${trail.name}`;
    const roleName = `demo-${trail.name}`;
    if (trail.integrated) {
      await new CloudWatchLogsClient(config(trail.region)).send(new CreateLogGroupCommand({ logGroupName }));
      await new IAMClient(config(trail.region)).send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'cloudtrail.amazonaws.com' },
                Action: 'sts:AssumeRole',
              },
            ],
          }),
        }),
      );
    }
    await new CloudTrailClient(config(trail.region)).send(
      new CreateTrailCommand({
        Name: trail.name,
        S3BucketName: BUCKET,
        IsMultiRegionTrail: trail.multiRegion,
        ...(trail.integrated
          ? {
              CloudWatchLogsLogGroupArn: `arn:aws:logs:${trail.region}:${ACCOUNT}:log-group:${logGroupName}:*`,
              CloudWatchLogsRoleArn: `arn:aws:iam::${ACCOUNT}:role/${roleName}`,
            }
          : {}),
      }),
    );
    const kind = trail.multiRegion ? 'multi-region trail' : 'trail';
    const state = trail.integrated ? `sends to log group ${logGroupName}` : 'not sending to CloudWatch Logs';
    console.log(`  ${kind} ${trail.name}, home region ${trail.region}: ${state}`);
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

/** Someone deletes the log group the fix created for the broken trail: the trail still names it. */
async function deleteLogGroup(endpoint: string, trail: string): Promise<void> {
  const logGroupName = logGroupNameFor(trail);
  await new CloudWatchLogsClient(clientConfig(endpoint)).send(new DeleteLogGroupCommand({ logGroupName }));
  console.log(`\n  (log group ${logGroupName} deleted behind the trail's back)`);
}

/**
 * Someone creates the log group the fix would create for `trail`, with a subscription filter to a log group of
 * theirs (moto takes a log group as destination; AWS would take a destination, Kinesis, Firehose or Lambda).
 */
async function prepareLogGroup(endpoint: string, trail: string): Promise<void> {
  const logs = new CloudWatchLogsClient(clientConfig(endpoint));
  const logGroupName = logGroupNameFor(trail);
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/someone-else/sink' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName }));
  await logs.send(
    new PutSubscriptionFilterCommand({
      logGroupName,
      filterName: 'copy-everything',
      filterPattern: '',
      destinationArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/someone-else/sink:*`,
    }),
  );
  console.log(`  log group ${logGroupName} prepared by someone else, with a subscription filter`);
}

async function demo(moto: MotoServer): Promise<void> {
  const { endpoint } = moto;
  console.log(`moto_server answers on ${endpoint} (pid ${moto.pid}). Creating trails in account ${ACCOUNT}:`);
  await createTrails(endpoint);
  await prepareLogGroup(endpoint, PREPARED_TRAIL);
  const scan = ['scan', ...REGIONS.flatMap((region) => ['--region', region])];
  await step(endpoint, scan, EXIT_CODE.nonCompliant, 'NON_COMPLIANT trails were found');
  await step(endpoint, ['plan', BROKEN_TRAIL], EXIT_CODE.ok, 'the dry run changed nothing');
  await step(endpoint, ['fix', BROKEN_TRAIL, '--yes'], EXIT_CODE.ok, 'fixed and verified');
  await deleteLogGroup(endpoint, BROKEN_TRAIL);
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
