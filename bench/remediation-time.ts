import {
  CloudTrailClient,
  GetTrailCommand,
  InvalidCloudWatchLogsRoleArnException,
  type Trail,
  UpdateTrailCommand,
  type UpdateTrailCommandInput,
} from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateRoleCommand, GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { remediationClients } from '../remediation/clients.js';
import { parseRemediationPayload } from '../remediation/payload.js';
import { remediateTrail, UPDATE_TRAIL_BACKOFF } from '../remediation/remediate.js';
import type { RetryTiming } from '../remediation/retry.js';
import { countCalls, totalCalls } from './call-counter.js';
import { maximum, median } from './stats.js';

/**
 * Stage 4: remediation time-to-compliant while IAM propagation makes UpdateTrail fail with
 * InvalidCloudWatchLogsRoleArnException for the first `delay` seconds after CreateRole. The remediation runs
 * in this process with the SDK mocked and its retry loop on a simulated clock (its injectable RetryTiming):
 * sleeping advances simulated time, AWS calls take none, and the jitter comes from a seeded generator, so
 * each delay is run with many seeds in well under a second of real time.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TRAIL_NAME = 'management-events';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${TRAIL_NAME}`;

export interface RemediationTiming {
  readonly delayMs: number;
  readonly runs: number;
  /** Simulated milliseconds from the start of the remediation to its verified end (or to giving up). */
  readonly medianMs: number;
  readonly maxMs: number;
  readonly medianAttempts: number;
  readonly maxAttempts: number;
  readonly medianCalls: number;
  readonly maxCalls: number;
  /** Calls of the median run, by command. */
  readonly calls: Readonly<Record<string, number>>;
  /** Largest (time - delay) over the runs. */
  readonly maxOvershootMs: number;
  /** Every run ended within the delay plus the ceiling of the backoff step it was waiting in. */
  readonly withinOneStep: boolean;
  /** Every run ended (succeeded or gave up) within the retry bound plus one step. */
  readonly withinBound: boolean;
  /** How the runs ended: `compliant`, or the error name when every run gave up. */
  readonly outcome: string;
  /** Median real time of one simulated run. */
  readonly medianWallMs: number;
}

/** mulberry32: a small seeded generator, so every run's jitter is reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Runs the remediation of an unintegrated trail `runs` times (seeds 1..runs) for each propagation delay. */
export async function measureRemediationTimes(
  delaysMs: readonly number[],
  runs: number,
): Promise<RemediationTiming[]> {
  const sts = mockClient(STSClient);
  const cloudTrail = mockClient(CloudTrailClient);
  const logs = mockClient(CloudWatchLogsClient);
  const iam = mockClient(IAMClient);
  const organizations = mockClient(OrganizationsClient);
  const mocks = [sts, cloudTrail, logs, iam, organizations];
  const results: RemediationTiming[] = [];
  try {
    for (const delayMs of delaysMs) {
      const times: number[] = [];
      const attempts: number[] = [];
      const callTotals: number[] = [];
      const callCounts: Record<string, number>[] = [];
      const wall: number[] = [];
      const outcomes = new Set<string>();
      let withinOneStep = true;
      let withinBound = true;
      for (let seed = 1; seed <= runs; seed++) {
        let simulatedNow = 0;
        let roleCreatedAt: number | undefined;
        let integration: Pick<Trail, 'CloudWatchLogsLogGroupArn' | 'CloudWatchLogsRoleArn'> = {};
        let updateAttempts = 0;
        for (const mock of mocks) mock.reset();
        logs.onAnyCommand().resolves({});
        iam.onAnyCommand().resolves({});
        sts
          .on(GetCallerIdentityCommand)
          .resolves({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/bench` });
        cloudTrail.on(GetTrailCommand).callsFake(() => ({
          Trail: {
            Name: TRAIL_NAME,
            TrailARN: TRAIL_ARN,
            HomeRegion: REGION,
            IsMultiRegionTrail: true,
            ...integration,
          },
        }));
        cloudTrail.on(UpdateTrailCommand).callsFake((input: UpdateTrailCommandInput) => {
          updateAttempts++;
          if (roleCreatedAt === undefined || simulatedNow - roleCreatedAt < delayMs) {
            throw new InvalidCloudWatchLogsRoleArnException({
              message: 'Access denied. Verify in IAM that the role has adequate permissions.',
              $metadata: { httpStatusCode: 400 },
            });
          }
          integration = {
            CloudWatchLogsLogGroupArn: input.CloudWatchLogsLogGroupArn,
            CloudWatchLogsRoleArn: input.CloudWatchLogsRoleArn,
          };
          return {};
        });
        logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
        iam.on(GetRoleCommand).rejects(
          new NoSuchEntityException({
            message: 'The role cannot be found.',
            $metadata: { httpStatusCode: 404 },
          }),
        );
        iam.on(CreateRoleCommand).callsFake((input: { RoleName: string; Path?: string }) => {
          roleCreatedAt = simulatedNow;
          return {
            Role: {
              RoleName: input.RoleName,
              Arn: `arn:aws:iam::${ACCOUNT}:role${input.Path ?? '/'}${input.RoleName}`,
            },
          };
        });
        const timing: RetryTiming = {
          now: () => simulatedNow,
          sleep: async (ms) => {
            simulatedNow += ms;
          },
          random: seededRandom(seed),
        };

        const start = performance.now();
        let outcome = 'compliant';
        try {
          // Fresh clients per run (a new credentials object), so each run is a first invocation that asks STS
          // for the caller, as a Lambda container does once.
          const clients = remediationClients({ accessKeyId: 'bench', secretAccessKey: 'bench' });
          await remediateTrail(clients, parseRemediationPayload({ TrailName: TRAIL_NAME }), { timing });
        } catch (error) {
          outcome = error instanceof Error ? error.name : String(error);
        }
        wall.push(performance.now() - start);
        outcomes.add(outcome);
        const counts = countCalls(mocks);
        times.push(simulatedNow);
        attempts.push(updateAttempts);
        callTotals.push(totalCalls(counts));
        callCounts.push(counts);
        // "One backoff step" is the policy's largest single wait (capMs), a constant fixed before the run:
        // comparing with the ceiling of the wait that spanned the delay would hold for any schedule.
        if (outcome === 'compliant' && simulatedNow > delayMs + UPDATE_TRAIL_BACKOFF.capMs)
          withinOneStep = false;
        if (simulatedNow > UPDATE_TRAIL_BACKOFF.boundMs + UPDATE_TRAIL_BACKOFF.capMs) withinBound = false;
      }
      if (outcomes.size !== 1)
        throw new Error(`propagation ${delayMs} ms: runs ended differently: ${[...outcomes].join(', ')}`);
      const medianTotal = median(callTotals);
      results.push({
        delayMs,
        runs,
        medianMs: median(times),
        maxMs: maximum(times),
        medianAttempts: median(attempts),
        maxAttempts: maximum(attempts),
        medianCalls: medianTotal,
        maxCalls: maximum(callTotals),
        calls: callCounts.find((counts) => totalCalls(counts) >= medianTotal) ?? {},
        maxOvershootMs: maximum(times.map((time) => time - delayMs)),
        withinOneStep,
        withinBound,
        outcome: [...outcomes][0] ?? '',
        medianWallMs: median(wall),
      });
    }
  } finally {
    for (const mock of mocks) mock.restore();
  }
  return results;
}
