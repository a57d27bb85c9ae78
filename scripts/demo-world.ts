import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  PutSubscriptionFilterCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { logGroupNameFor } from '../remediation/definition.js';
import { createBucket } from '../test/e2e/emulator.js';

/**
 * The emulated account `npm run demo` runs in, shared with the test that runs the documented examples against
 * it (test/e2e/docs-examples.test.ts): five trails, a log group someone else prepared under the fix's name, and
 * a monitored trail that logs, with a subscribed topic for its alarms. `log` tells what was created (the demo prints it; the test does not).
 */

/** moto's fixed account id. */
export const ACCOUNT = '123456789012';
const BUCKET = 'demo-cloudtrail-bucket';
export const REGIONS = ['us-east-1', 'eu-west-1'] as const;
export const BROKEN_TRAIL = 'app-events';
/** A trail whose log group name someone else took first, with a subscription filter of their own. */
export const PREPARED_TRAIL = 'data-events';
/** A multi-Region, logging trail with all management events: it qualifies for the CIS monitoring. */
export const MONITORED_TRAIL = 'security-events';
const TOPIC_NAME = 'security-alarms';
/** The alarms' topic: the monitoring refuses a topic that does not exist, and warns when nobody subscribes. */
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:${TOPIC_NAME}`;
export const MONITORING = ['--monitoring', '--monitoring-topic', TOPIC];

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
  { name: MONITORED_TRAIL, region: 'us-east-1', multiRegion: true, integrated: false },
];

/** The demo's dummy keys: moto accepts any. */
const DEMO_CREDENTIALS = { accessKeyId: 'demo', secretAccessKey: 'demo' };

/**
 * The environment of every step: only the emulator is reachable (every AWS_* variable of the caller's shell is
 * dropped, so no profile, SSO session or service endpoint can point anywhere else) with dummy credentials
 * (the demo's unless the caller, such as the bench, brings its own).
 * The SDK's Node.js 22 notice is silenced here only: it concerns SDK releases after the ones the lock pins.
 */
export function demoEnvironment(
  endpoint: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } = DEMO_CREDENTIALS,
): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  );
  return {
    ...inherited,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function clientConfig(endpoint: string, region = 'us-east-1') {
  return { region, endpoint, credentials: DEMO_CREDENTIALS };
}

async function createTrails(endpoint: string, log: (line: string) => void): Promise<void> {
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
    log(`  ${kind} ${trail.name}, home region ${trail.region}: ${state}`);
  }
}

/**
 * The monitored trail logs all read and write management events and is started. A new trail on AWS has that
 * selector already; moto's has none, so it is set here through the real API.
 */
async function startMonitoredTrail(endpoint: string, log: (line: string) => void): Promise<void> {
  const cloudTrail = new CloudTrailClient(clientConfig(endpoint));
  await cloudTrail.send(
    new PutEventSelectorsCommand({
      TrailName: MONITORED_TRAIL,
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
    }),
  );
  await cloudTrail.send(new StartLoggingCommand({ Name: MONITORED_TRAIL }));
  log(`  trail ${MONITORED_TRAIL} logging all read and write management events`);
}

/** The topic the monitoring's alarms notify, with an e-mail subscription (moto confirms it at once). */
async function createAlarmTopic(endpoint: string, log: (line: string) => void): Promise<void> {
  const sns = new SNSClient(clientConfig(endpoint));
  const { TopicArn: topic } = await sns.send(new CreateTopicCommand({ Name: TOPIC_NAME }));
  await sns.send(
    new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'security@example.com' }),
  );
  log(`  SNS topic ${TOPIC_NAME} for the CIS alarms, subscribed by security@example.com`);
}

/** Someone deletes the log group the fix created for the broken trail: the trail still names it. */
export async function deleteLogGroup(
  endpoint: string,
  trail: string,
  log: (line: string) => void,
): Promise<void> {
  const logGroupName = logGroupNameFor(trail);
  await new CloudWatchLogsClient(clientConfig(endpoint)).send(new DeleteLogGroupCommand({ logGroupName }));
  log(`\n  (log group ${logGroupName} deleted behind the trail's back)`);
}

/**
 * Someone creates the log group the fix would create for `trail`, with a subscription filter to a log group of
 * theirs (moto takes a log group as destination; AWS would take a destination, Kinesis, Firehose or Lambda).
 */
async function prepareLogGroup(endpoint: string, trail: string, log: (line: string) => void): Promise<void> {
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
  log(`  log group ${logGroupName} prepared by someone else, with a subscription filter`);
}

/**
 * Creates the demo's account in the emulator at `endpoint`: its trails, the prepared log group, the monitored
 * trail and its alarms' topic.
 */
export async function createDemoWorld(endpoint: string, log: (line: string) => void): Promise<void> {
  await createTrails(endpoint, log);
  await prepareLogGroup(endpoint, PREPARED_TRAIL, log);
  await startMonitoredTrail(endpoint, log);
  await createAlarmTopic(endpoint, log);
}
