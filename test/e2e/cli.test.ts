/**
 * End-to-end: the command line (the package's bin, in a process of its own, as an operator runs it) against
 * moto_server. What it changed is read back from the emulator with the AWS APIs; what it sent, from moto's
 * request recorder.
 *
 * Not covered by this tier (moto 5 does not implement it; the SDK-mocked tests in test/cli cover it, and
 * nothing here fakes it): account:ListRegions (a scan of every region runs on its ec2:DescribeRegions
 * fallback here) and the confirmation prompt (there is no terminal in a test run).
 * A failing region is shown with a loopback proxy in front of moto (failing-proxy.ts). The last block runs every
 * option that makes calls of its own, so the least-privilege check (test/privilege) sees each call of the
 * operator policy in docs/cli.md; where moto falls short a fault proxy stands in for AWS (stand-in-services.ts,
 * config-aggregator.ts):
 * the delivery fields of GetTrailStatus for `scan --window`, AssociateKmsKey for `fix --kms-key`, the
 * aggregator's stored compliance for `report`, the aggregator's sources and the organization's accounts for
 * `report --coverage` (the recorded pages of test/fixtures/cli/coverage), and SSM Automation's history for
 * `report --evidence`. Issue 26's behaviours go through fault proxies too: a region that never answers, `fix`
 * interrupted by a signal mid-way, and `report`'s exit codes against the aggregator of config-aggregator.ts.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CloudTrailClient, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { describe, expect, inject, it } from 'vitest';
import type { ScannedTrail } from '../../cli/scan.js';
import { callBoundMs } from '../../cli/timeouts.js';
import recordedCoverage from '../fixtures/cli/coverage/organization.json' with { type: 'json' };
import { operatorEnvironment, principalCredentials } from './call-recorder.js';
import { BIN, type CliRun, cli, cliWith, outcome } from './cli-process.js';
import {
  AGGREGATOR_TARGETS,
  aggregatorAnswer,
  COVERAGE_TARGETS,
  recordedPageAnswer,
  startConfigAggregator,
} from './config-aggregator.js';
import { isReadOnly, recordedRequests, resetRecording } from './emulator.js';
import { startFailingProxy } from './failing-proxy.js';
import { type FaultProxy, type Intercept, SILENCE, startFaultProxy } from './fault-proxy.js';
import { jsonAnswer } from './json-protocol.js';
import {
  ASSOCIATE_KMS_KEY_TARGET,
  AUTOMATION_LIST_TARGET,
  AUTOMATION_TARGET,
  AutomationExecutions,
  associateKmsKeyAnswer,
  automationListAnswer,
  kmsKeyArn,
  withDelivery,
} from './stand-in-services.js';
import { createTrail, prepareForeignLogGroup, tamperWithOwnRole } from './trails.js';

const ACCOUNT = '123456789012';
const TWO_REGIONS = ['--region', 'us-east-1', '--region', 'eu-west-1'];
/** A process's start and the calls that get an answer, on top of a silent call's own bound. */
const PROCESS_ALLOWANCE_MS = 10_000;

async function scanJson(): Promise<{ code: number | null; trails: ScannedTrail[] }> {
  const run = await cli('scan', ...TWO_REGIONS, '--output', 'json');
  expect(run.stderr).toBe('');
  return { code: run.code, trails: (JSON.parse(run.stdout) as { trails: ScannedTrail[] }).trails };
}

/** Runs the bin against `starting`'s endpoint, and closes that proxy whatever the run did. */
async function cliThrough(starting: Promise<FaultProxy>, ...args: string[]): Promise<CliRun> {
  const proxy = await starting;
  try {
    return await cliWith({ AWS_ENDPOINT_URL: proxy.endpoint }, ...args);
  } finally {
    await proxy.close();
  }
}

const verdicts = (trails: readonly ScannedTrail[]) => trails.map((t) => [t.name, t.homeRegion, t.verdict]);

describe('cloudtrail-logs-guard against the emulator', () => {
  it('scans two regions holding a multi-region trail and reports each trail once, in its home region', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'everywhere', region: 'eu-west-1', multiRegion: true });
    await createTrail(endpoint, { name: 'local', region: 'us-east-1', logGroup: true, role: true });
    const { code, trails } = await scanJson();
    expect(code).toBe(3);
    expect(verdicts(trails)).toEqual([
      ['everywhere', 'eu-west-1', 'NON_COMPLIANT'],
      ['local', 'us-east-1', 'COMPLIANT'],
    ]);
    expect(trails.map((trail) => trail.arn)).toEqual([
      `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/everywhere`,
      `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/local`,
    ]);
  });

  it('turns a NON_COMPLIANT trail COMPLIANT with fix, as the next scan shows', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'broken', region: 'us-east-1' });
    expect(verdicts((await scanJson()).trails)).toEqual([['broken', 'us-east-1', 'NON_COMPLIANT']]);

    const fix = await cli('fix', 'broken', '--yes');
    expect(fix.code).toBe(0);
    expect(fix.stdout.split('\n')[0]).toBe(
      `Trail arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/broken: 5 changes applied; the trail now sends to CloudWatch Logs.`,
    );

    const after = await scanJson();
    expect(after.code).toBe(0);
    expect(after.trails).toEqual([
      {
        name: 'broken',
        arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/broken`,
        account: ACCOUNT,
        homeRegion: 'us-east-1',
        logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/cloudtrail-logs-guard/broken:*`,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/cloudtrail-logs-guard/CloudTrailToLogs-us-east-1-broken`,
        verdict: 'COMPLIANT',
        reasonCode: 'integrated',
        reason:
          'Integrated: the trail sends events to CloudWatch Logs log group /cloudtrail-logs-guard/broken.',
      },
    ]);
  });

  it('plans without writing anything', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'untouched', region: 'us-east-1' });
    await resetRecording(endpoint);

    const plan = await cli('plan', 'untouched', '--output', 'json');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ outcome: 'DRY_RUN', dryRun: true });

    const operations = (await recordedRequests(endpoint)).map((request) => request.operation);
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.filter((operation) => !isReadOnly(operation))).toEqual([]);
    const { logGroups } = await new CloudWatchLogsClient({}).send(
      new DescribeLogGroupsCommand({ logGroupNamePrefix: '/cloudtrail-logs-guard/' }),
    );
    expect(logGroups).toEqual([]);
  });

  it('refuses to fix without --yes when there is no terminal, and sends nothing', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'refused', region: 'us-east-1' });
    await resetRecording(endpoint);
    await expect(cli('fix', 'refused')).resolves.toEqual({
      code: 2,
      stdout: '',
      stderr:
        "cloudtrail-logs-guard fix: refusing to change trail refused without --yes: stdin is not a terminal to confirm on (run 'cloudtrail-logs-guard fix --help')\n",
    });
    expect(await recordedRequests(endpoint)).toEqual([]);
  });

  it('scans every enabled region when none is named (ec2:DescribeRegions, as moto has no ListRegions)', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'far-away', region: 'ap-southeast-2' });
    const run = await cli('scan', '--output', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(3);
    const output = JSON.parse(run.stdout) as { regions: string[]; trails: ScannedTrail[] };
    expect(output.regions).toEqual(expect.arrayContaining(['ap-southeast-2', 'eu-west-1', 'us-east-1']));
    expect(verdicts(output.trails)).toEqual([['far-away', 'ap-southeast-2', 'NON_COMPLIANT']]);
  });

  it('prints the regions that answered and exits 4 when one region fails, naming it on stderr', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'reachable', region: 'us-east-1', logGroup: true, role: true });
    await createTrail(endpoint, { name: 'unreachable', region: 'eu-west-1' });
    const proxy = await startFailingProxy(endpoint, 'eu-west-1');
    try {
      const run = await cliWith({ AWS_ENDPOINT_URL: proxy.endpoint }, 'scan', ...TWO_REGIONS);
      expect(run).toEqual({
        code: 4,
        stdout: [
          'TRAIL      ACCOUNT       HOME REGION  VERDICT    REASON',
          'reachable  123456789012  us-east-1    COMPLIANT  Integrated: the trail sends events to CloudWatch Logs log group /e2e/reachable.',
          '',
          '1 trail in account 123456789012 (1 of 2 regions scanned in full): 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
          'Incomplete: eu-west-1 could not be scanned in full (the errors are on stderr).',
          '',
        ].join('\n'),
        stderr:
          'cloudtrail-logs-guard scan: cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 502 UnreadableResponse: the answer is not an AWS API response (text/html). Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.\n',
      });
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['head -1', 'head -1', '{'],
    ['a reader that exits before reading', 'true', ''],
  ])("ends quietly with the result's exit code when stdout is piped to %s", async (_name, reader, shown) => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'piped', region: 'us-east-1' });
    const child = spawn(
      'bash',
      [
        '-c',
        `"$0" "$1" scan --region us-east-1 --output json | ${reader}; exit "\${PIPESTATUS[0]}"`,
        process.execPath,
        BIN,
      ],
      { env: { ...process.env, ...operatorEnvironment('scan') }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const { code, stdout, stderr } = await outcome(child);
    expect({ code, stdout: stdout.trim(), stderr }).toEqual({ code: 3, stdout: shown, stderr: '' });
  });

  describe('--profile, with the shared files in a temporary HOME', () => {
    let home: string;

    async function writeProfiles(): Promise<void> {
      // The profile holds the operator's credentials for `plan`, the command run with it.
      const audit = principalCredentials({ type: 'operator', command: 'plan' });
      home = await mkdtemp(join(tmpdir(), 'clg-home-'));
      await mkdir(join(home, '.aws'));
      await writeFile(join(home, '.aws', 'config'), '[profile audit]\nregion = eu-west-1\n');
      await writeFile(
        join(home, '.aws', 'credentials'),
        `[audit]\naws_access_key_id = ${audit.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${audit.AWS_SECRET_ACCESS_KEY}\n`,
      );
    }

    // No credentials or region in the environment: only the profile can supply them.
    const profileOnly = () => ({
      HOME: home,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: undefined,
      AWS_SHARED_CREDENTIALS_FILE: undefined,
    });

    it("uses the profile's credentials and region", async () => {
      const endpoint = inject('motoEndpoint');
      await writeProfiles();
      try {
        await createTrail(endpoint, { name: 'audited', region: 'eu-west-1' });
        await resetRecording(endpoint);
        const run = await cliWith(profileOnly(), 'plan', 'audited', '--profile', 'audit', '--output', 'json');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout)).toMatchObject({
          trail: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/audited`,
          outcome: 'DRY_RUN',
        });
        const regions = new Set((await recordedRequests(endpoint)).map((request) => request.region));
        expect(regions.has('eu-west-1')).toBe(true);
        expect(regions.has('us-east-1')).toBe(false);
      } finally {
        await rm(home, { recursive: true, force: true });
      }
    });

    it.each([
      ['--profile', ['--profile', 'nobody'], {}, '--profile'],
      ['AWS_PROFILE', [], { AWS_PROFILE: 'nobody' }, 'AWS_PROFILE'],
    ])(
      'names a profile given with %s that the files do not hold, as the AWS CLI does, and calls nothing',
      async (_how, flags, env, named) => {
        const endpoint = inject('motoEndpoint');
        await writeProfiles();
        try {
          await resetRecording(endpoint);
          const run = await cliWith(
            { ...profileOnly(), ...env },
            'scan',
            '--region',
            'eu-west-1',
            ...flags,
            '--output',
            'json',
          );
          const line = `The config profile (nobody) could not be found: neither ${home}/.aws/config nor ${home}/.aws/credentials has it. Check the name given with ${named} (aws configure list-profiles lists them), or set AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE to the files that hold it.`;
          expect(run).toEqual({
            code: 1,
            stdout: `${JSON.stringify({ error: { command: 'scan', message: line, exitCode: 1 } }, null, 2)}\n`,
            stderr: `cloudtrail-logs-guard scan: ${line}\n`,
          });
          expect(await recordedRequests(endpoint)).toEqual([]);
        } finally {
          await rm(home, { recursive: true, force: true });
        }
      },
    );
  });

  describe('the region, as the AWS CLI chooses it', () => {
    // Neither a region nor a profile in the environment: only the command line and AWS_DEFAULT_REGION say one.
    const noRegion = { AWS_REGION: undefined, AWS_DEFAULT_REGION: undefined, AWS_PROFILE: undefined };

    it('honours --region in every call, the identity check included, with no region configured', async () => {
      const endpoint = inject('motoEndpoint');
      await createTrail(endpoint, { name: 'irish', region: 'eu-west-1' });
      await resetRecording(endpoint);
      const run = await cliWith(noRegion, 'scan', '--region', 'eu-west-1', '--output', 'json');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(3);
      expect(verdicts((JSON.parse(run.stdout) as { trails: ScannedTrail[] }).trails)).toEqual([
        ['irish', 'eu-west-1', 'NON_COMPLIANT'],
      ]);
      const calls = (await recordedRequests(endpoint)).map((request) => [request.operation, request.region]);
      expect(calls).toEqual([
        ['GetCallerIdentity', 'eu-west-1'],
        ['DescribeTrails', 'eu-west-1'],
      ]);
    });

    it.each([
      ['AWS_DEFAULT_REGION alone', { AWS_DEFAULT_REGION: 'eu-west-1' }, 'eu-west-1'],
      [
        'AWS_REGION over AWS_DEFAULT_REGION',
        { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'eu-west-1' },
        'us-east-1',
      ],
    ])('takes the region from %s', async (_name, env, region) => {
      const endpoint = inject('motoEndpoint');
      await createTrail(endpoint, { name: 'here', region });
      await resetRecording(endpoint);
      const run = await cliWith({ ...noRegion, ...env }, 'plan', 'here', '--output', 'json');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({
        trail: `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/here`,
        outcome: 'DRY_RUN',
      });
      const regions = new Set((await recordedRequests(endpoint)).map((request) => request.region));
      expect(regions.has(region)).toBe(true);
      expect(regions.has(region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1')).toBe(false);
    });
  });

  it('ends a region that never answers as a named failure, exit 4, within the bound of its timeouts, and prints the others', async () => {
    const endpoint = inject('motoEndpoint');
    await createTrail(endpoint, { name: 'answers', region: 'us-east-1', logGroup: true, role: true });
    const proxy = await startFaultProxy(endpoint, async (call, forward) =>
      call.region === 'eu-west-1' ? SILENCE : forward(),
    );
    try {
      const timeouts = { connectSeconds: 1, readSeconds: 1 };
      const started = Date.now();
      const run = await cliWith(
        { AWS_ENDPOINT_URL: proxy.endpoint },
        'scan',
        ...TWO_REGIONS,
        '--cli-connect-timeout',
        '1',
        '--cli-read-timeout',
        '1',
      );
      const elapsed = Date.now() - started;
      expect(run).toEqual({
        code: 4,
        stdout: [
          'TRAIL    ACCOUNT       HOME REGION  VERDICT    REASON',
          'answers  123456789012  us-east-1    COMPLIANT  Integrated: the trail sends events to CloudWatch Logs log group /e2e/answers.',
          '',
          '1 trail in account 123456789012 (1 of 2 regions scanned in full): 1 COMPLIANT, 0 NON_COMPLIANT, 0 NOT_APPLICABLE.',
          'Incomplete: eu-west-1 could not be scanned in full (the errors are on stderr).',
          '',
        ].join('\n'),
        stderr:
          'cloudtrail-logs-guard scan: cloudtrail:DescribeTrails in eu-west-1 failed: TimeoutError: no answer within 1 s (3 attempts). The endpoint did not answer in time: check your network connection, proxy (HTTPS_PROXY), AWS_ENDPOINT_URL and the region name, or allow more time with --cli-connect-timeout and --cli-read-timeout (seconds).\n',
      });
      // The silent call's bound (docs/cli.md), plus the process's start and the calls that were answered.
      expect(elapsed).toBeGreaterThanOrEqual(3_000);
      expect(elapsed).toBeLessThan(callBoundMs(timeouts) + PROCESS_ALLOWANCE_MS);
    } finally {
      await proxy.close();
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'lists what fix applied, had in progress and has left when %s interrupts it, and a second fix finishes',
    async (signal, code) => {
      const endpoint = inject('motoEndpoint');
      await createTrail(endpoint, { name: 'interrupted', region: 'us-east-1' });
      let reached: () => void = () => {};
      const atCreateRole = new Promise<void>((resolve) => {
        reached = resolve;
      });
      // CreateRole never gets an answer: the fix is caught between its log group and its role.
      const proxy = await startFaultProxy(endpoint, async (call, forward) => {
        if (call.operation !== 'CreateRole') return forward();
        reached();
        return SILENCE;
      });
      try {
        const child = spawn(process.execPath, [BIN, 'fix', 'interrupted', '--yes'], {
          env: { ...process.env, ...operatorEnvironment('fix'), AWS_ENDPOINT_URL: proxy.endpoint },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const ended = outcome(child);
        await atCreateRole;
        child.kill(signal);
        const trail = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/interrupted`;
        expect(await ended).toEqual({
          code,
          stdout: '',
          stderr: [
            `cloudtrail-logs-guard fix: interrupted (${signal}) while changing trail ${trail}.`,
            'Applied before the interrupt:',
            '  CreateLogGroup /cloudtrail-logs-guard/interrupted',
            '  PutRetentionPolicy /cloudtrail-logs-guard/interrupted',
            'In progress when interrupted (it may or may not have taken effect):',
            '  CreateRole CloudTrailToLogs-us-east-1-interrupted',
            'Remaining:',
            '  PutRolePolicy CloudTrailToLogs-us-east-1-interrupted/cloudtrail-to-cloudwatch-logs',
            `  UpdateTrail ${trail}`,
            'Run the same fix again to finish: steps already applied are not repeated.',
            '',
          ].join('\n'),
        });
      } finally {
        await proxy.close();
      }
      const again = await cli('fix', 'interrupted', '--yes');
      expect(again.code).toBe(0);
      expect(again.stdout.split('\n')[0]).toBe(
        `Trail arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/interrupted: 3 changes applied; the trail now sends to CloudWatch Logs.`,
      );
    },
  );

  describe('report, against a Config aggregator answered as the API reference shows it', () => {
    const RULE = 'cloudtrail-cloudwatch-logs-integrated';

    /** Runs `report` with `args` against the recorded aggregator (config-aggregator.ts). */
    const report = (...args: string[]) =>
      cliThrough(startConfigAggregator(inject('motoEndpoint')), 'report', ...args);

    it('exits 3 on a NON_COMPLIANT trail of the rule', async () => {
      const run = await report('--aggregator', 'organization');
      expect(run.code).toBe(3);
      expect(run.stdout.split('\n')[0]).toBe(
        `Rule ${RULE} in aggregator organization: 8 trails in 3 accounts and 6 account-regions, 3 NON_COMPLIANT.`,
      );
    });

    it('exits 4 when the rule has no evaluation there (a wrong --rule), so a pipeline gate cannot pass', async () => {
      const run = await report(
        '--aggregator',
        'organization',
        '--rule',
        'misspelt-rule',
        '--region',
        'eu-west-1',
        '--output',
        'json',
      );
      expect(run).toEqual({
        code: 4,
        stdout: `${JSON.stringify({ aggregator: 'organization', rule: 'misspelt-rule', counts: [], nonCompliant: [], notJudged: [], evaluations: [] }, null, 2)}\n`,
        stderr:
          'cloudtrail-logs-guard report: no evaluations of rule misspelt-rule in aggregator organization in eu-west-1: check the rule name (--rule), the region (--region), and that the aggregator collects the accounts and regions the rule runs in.\n',
      });
    });

    it('names the call, the region and what to do for an aggregator that does not exist, exit 1', async () => {
      const run = await report('--aggregator', 'organisation', '--region', 'eu-west-1');
      expect(run).toEqual({
        code: 1,
        stdout: '',
        stderr:
          "cloudtrail-logs-guard report: config:DescribeAggregateComplianceByConfigRules on aggregator organisation in eu-west-1 failed: HTTP 400 NoSuchConfigurationAggregatorException: The configuration aggregator does not exist. Check the configuration aggregator name and try again. Aggregators are listed by aws configservice describe-configuration-aggregators; run report with the credentials and --region of the aggregator's account.\n",
      });
    });
  });
});

describe('cloudtrail-logs-guard against the emulator, every option that makes calls of its own', () => {
  const endpoint = () => inject('motoEndpoint');

  /** Runs the bin through a fault proxy in front of moto that answers what `intercept` answers. */
  const cliBehind = (intercept: Intercept, ...args: string[]) =>
    cliThrough(startFaultProxy(endpoint(), intercept), ...args);

  it('scan --window judges delivery: status, history and the creation times of log group and role', async () => {
    await createTrail(endpoint(), { name: 'delivering', region: 'us-east-1', logGroup: true, role: true });
    await sleep(1_000);
    // moto never reports a delivery: one a second after moto created the log group and role, so it counts, and
    // before the scan starts, so before its "now": the scan reads Config's history since then (moto: no change).
    const deliveredAt = Date.now();
    const delivered: Intercept = async (call, forward) =>
      withDelivery(call, await forward(), { at: new Date(deliveredAt) });

    const run = await cliBehind(
      delivered,
      'scan',
      '--region',
      'us-east-1',
      '--window',
      '24',
      '--output',
      'json',
    );

    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(run.stdout) as { trails: ScannedTrail[] }).trails).toMatchObject([
      { name: 'delivering', verdict: 'COMPLIANT', reasonCode: 'delivering' },
    ]);
  });

  it('fix repairs the role it created after someone widened its trust and gave it policies of their own', async () => {
    await createTrail(endpoint(), { name: 'tampered', region: 'us-east-1' });
    expect((await cli('fix', 'tampered', '--yes')).code).toBe(0);
    await tamperWithOwnRole('tampered', 'us-east-1');

    const fix = await cli('fix', 'tampered', '--yes');

    expect(fix.code).toBe(0);
    expect(fix.stdout.split('\n')[0]).toMatch(/: \d+ repairs applied; /);
  });

  it('plan refuses a log group under its name that someone else created, naming its subscription filter', async () => {
    await createTrail(endpoint(), { name: 'prepared', region: 'us-east-1' });
    await prepareForeignLogGroup('prepared', 'us-east-1');

    const plan = await cli('plan', 'prepared');

    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('copy-everything');
  });

  it('fix integrates an organization trail, reading the organization for its log streams', async () => {
    await new OrganizationsClient({}).send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    await createTrail(endpoint(), { name: 'organization', region: 'us-east-1', organization: true });

    expect((await cli('fix', 'organization', '--yes')).code).toBe(0);
  });

  it('fix --kms-key associates the key with the log group it creates', async () => {
    await createTrail(endpoint(), { name: 'encrypted', region: 'us-east-1' });
    const kms: Intercept = async (call, forward) =>
      call.target === ASSOCIATE_KMS_KEY_TARGET ? associateKmsKeyAnswer() : forward();

    const fix = await cliBehind(
      kms,
      'fix',
      'encrypted',
      '--yes',
      '--kms-key',
      kmsKeyArn('us-east-1', ACCOUNT),
    );

    expect({ code: fix.code, stderr: fix.stderr }).toMatchObject({ code: 0 });
    expect(fix.stdout).toContain('AssociateKmsKey');
  });

  it('fix --monitoring creates the CIS filters and alarms, and a second fix --monitoring creates none', async () => {
    await createTrail(endpoint(), { name: 'monitored', region: 'us-east-1', multiRegion: true });
    const cloudTrail = new CloudTrailClient({ region: 'us-east-1' });
    // moto's new trail has no event selector (AWS's logs all management events), and does not log yet.
    await cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: 'monitored',
        EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }],
      }),
    );
    await cloudTrail.send(new StartLoggingCommand({ Name: 'monitored' }));
    // The alarms' topic, with a subscription (moto confirms it at once): the monitoring checks someone is notified.
    const sns = new SNSClient({ region: 'us-east-1' });
    const { TopicArn: topic = '' } = await sns.send(new CreateTopicCommand({ Name: 'operator-alarms' }));
    await sns.send(
      new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'security@example.com' }),
    );
    const monitor = () => cli('fix', 'monitored', '--yes', '--monitoring', '--monitoring-topic', topic);

    const first = await monitor();
    const second = await monitor();

    expect({ first: first.code, second: second.code }).toEqual({ first: 0, second: 0 });
  });

  it("report reads the aggregator's stored results (served by the proxy: moto has no aggregated compliance)", async () => {
    const rule = 'cloudtrail-cloudwatch-logs-integrated';
    const recordedAt = new Date('2026-11-28T10:00:00.000Z');
    const evaluations = [
      {
        accountId: ACCOUNT,
        region: 'us-east-1',
        rule,
        trail: 'main',
        compliance: 'COMPLIANT' as const,
        recordedAt,
      },
      {
        accountId: '222222222222',
        region: 'eu-west-1',
        rule,
        trail: 'audit',
        compliance: 'NON_COMPLIANT' as const,
        annotation:
          'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).',
        recordedAt,
      },
    ];
    const aggregator: Intercept = async (call, forward) =>
      call.target === AGGREGATOR_TARGETS.describe || call.target === AGGREGATOR_TARGETS.details
        ? aggregatorAnswer(call, 'organization', evaluations)
        : forward();

    const report = await cliBehind(aggregator, 'report', '--aggregator', 'organization', '--output', 'json');

    expect({ code: report.code, stderr: report.stderr }).toEqual({ code: 3, stderr: '' });
    expect(JSON.parse(report.stdout)).toMatchObject({
      aggregator: 'organization',
      rule,
      nonCompliant: [expect.objectContaining({ accountId: '222222222222', resourceId: 'audit' })],
    });
  });
  const coverage = [
    'report',
    '--coverage',
    '--aggregator',
    'organization',
    '--governed-region',
    'us-east-1',
    '--governed-region',
    'eu-west-1',
  ];
  const coverageTargets: readonly string[] = Object.values(COVERAGE_TARGETS);
  /** The recorded pages of test/fixtures/cli/coverage (moto has neither the aggregator reads nor these accounts). */
  const recorded: Intercept = async (call, forward) =>
    coverageTargets.includes(call.target ?? '') ? recordedPageAnswer(call, recordedCoverage) : forward();
  /** The first line `report --coverage` prints over the recording, naming where its `accounts` came from. */
  const coverageSummary = (accounts: string) =>
    'Coverage of rule cloudtrail-cloudwatch-logs-integrated in aggregator organization: 6 of 8 account-regions ' +
    `covered, 2 uncovered (${accounts}, 2 regions from --governed-region: eu-west-1, us-east-1).`;

  it("report --coverage reads the aggregator's sources and results and the organization's accounts", async () => {
    const run = await cliBehind(recorded, ...coverage);

    expect(run.code).toBe(4);
    expect(run.stdout.split('\n')[0]).toBe(coverageSummary('4 accounts from AWS Organizations'));
  });

  it('report --coverage falls back to the accounts the aggregator knows when ListAccounts is refused', async () => {
    const refused: Intercept = async (call, forward) =>
      call.target === COVERAGE_TARGETS.accounts
        ? jsonAnswer(400, { __type: 'AccessDeniedException', Message: 'Denied.' })
        : recorded(call, forward);

    const run = await cliBehind(refused, ...coverage);

    expect(run.code).toBe(4);
    expect(run.stdout.split('\n')[0]).toBe(coverageSummary('4 accounts known to the aggregator'));
  });

  it("report --evidence writes the results and the remediation runs read from SSM Automation's history", async () => {
    const directory = await mkdtemp(join(tmpdir(), 'clg-evidence-'));
    const executions = new AutomationExecutions();
    const id = executions.start({ trailName: 'audit', retentionInDays: 365 });
    const rule = 'cloudtrail-cloudwatch-logs-integrated';
    const evaluation = {
      accountId: ACCOUNT,
      region: 'us-east-1',
      rule,
      trail: 'audit',
      compliance: 'COMPLIANT' as const,
      recordedAt: new Date('2026-11-28T10:01:00.000Z'),
    };
    // Aggregator results and the Automation history, as the services answer them (moto 5.2 has neither).
    const served: Intercept = async (call, forward) => {
      if (call.target === AGGREGATOR_TARGETS.describe || call.target === AGGREGATOR_TARGETS.details) {
        return aggregatorAnswer(call, 'organization', [evaluation]);
      }
      if (call.target === AUTOMATION_LIST_TARGET) return automationListAnswer([id]);
      if (call.target === AUTOMATION_TARGET) return executions.answer(call);
      return forward();
    };
    try {
      const evidence = join(directory, 'evidence');
      const run = await cliBehind(served, 'report', '--aggregator', 'organization', '--evidence', evidence);

      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /^cloudtrail-logs-guard report: evidence written to .*; manifest\.json SHA-256 [0-9a-f]{64} /,
      );
      expect(await readFile(join(evidence, 'remediations.csv'), 'utf8')).toContain(id);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
