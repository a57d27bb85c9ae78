import type { AccountClient } from '@aws-sdk/client-account';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { OrganizationsClient } from '@aws-sdk/client-organizations';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';
import type { RemediationClients } from '../remediation/clients.js';
import type { MonitoringClients } from '../remediation/monitoring/monitoring-api.js';
import type { RuleClients } from '../rule/clients.js';
import type { AwsOptions } from './args.js';
import { fallbackRegion } from './aws-environment.js';
import { type CliClient, type CliClientSettings, clientPerRegion, type SdkOptions } from './clients.js';
import { CLI_NAME } from './commands.js';
import { debugLogger } from './debug-log.js';
import type { CliIo } from './io.js';

/** A client per region whose SDK package is imported on first use. */
type LazyPerRegion<C> = (region?: string) => Promise<C>;

/**
 * One client per region of a service whose SDK package is loaded only when the first client is asked for: a
 * command loads the packages it calls and no other (`--help` none), which keeps start-up short.
 */
function lazyPerRegion<C extends CliClient>(
  service: string,
  load: () => Promise<(settings: CliClientSettings) => C>,
  options: SdkOptions,
): LazyPerRegion<C> {
  let perRegion: Promise<(region?: string) => C> | undefined;
  return async (region) => {
    perRegion ??= load().then((create) => clientPerRegion(service, create, options));
    return (await perRegion)(region);
  };
}

/** The SDK clients of one command line run, per region, with the operator's profile, logger and timeouts. */
export function awsClients(aws: AwsOptions, io: CliIo) {
  const env = io.env ?? process.env;
  const region = fallbackRegion(env);
  const options: SdkOptions = {
    ...(aws.profile === undefined ? {} : { profile: aws.profile }),
    ...(aws.debug ? { logger: debugLogger(io.stderr, CLI_NAME) } : {}),
    timeouts: aws.timeouts,
    ...(region === undefined ? {} : { fallbackRegion: region }),
  };
  const config = lazyPerRegion(
    'config',
    async () => {
      const { ConfigServiceClient } = await import('@aws-sdk/client-config-service');
      return (c) => new ConfigServiceClient(c);
    },
    options,
  );
  const cloudTrail = lazyPerRegion(
    'cloudtrail',
    async () => {
      const { CloudTrailClient } = await import('@aws-sdk/client-cloudtrail');
      return (c) => new CloudTrailClient(c);
    },
    options,
  );
  const logs = lazyPerRegion(
    'logs',
    async () => {
      const { CloudWatchLogsClient } = await import('@aws-sdk/client-cloudwatch-logs');
      return (c) => new CloudWatchLogsClient(c);
    },
    options,
  );
  const iam = lazyPerRegion(
    'iam',
    async () => {
      const { IAMClient } = await import('@aws-sdk/client-iam');
      return (c) => new IAMClient(c);
    },
    options,
  );
  const organizations = lazyPerRegion(
    'organizations',
    async () => {
      const { OrganizationsClient } = await import('@aws-sdk/client-organizations');
      return (c) => new OrganizationsClient(c);
    },
    options,
  );
  const account: LazyPerRegion<AccountClient> = lazyPerRegion(
    'account',
    async () => {
      const { AccountClient } = await import('@aws-sdk/client-account');
      return (c) => new AccountClient(c);
    },
    options,
  );
  // EC2 (a large package) is called only when account:ListRegions is denied and a scan falls back to
  // ec2:DescribeRegions.
  const ec2: LazyPerRegion<EC2Client> = lazyPerRegion(
    'ec2',
    async () => {
      const { EC2Client } = await import('@aws-sdk/client-ec2');
      return (c) => new EC2Client(c);
    },
    options,
  );
  const sts: LazyPerRegion<STSClient> = lazyPerRegion(
    'sts',
    async () => {
      const { STSClient } = await import('@aws-sdk/client-sts');
      return (c) => new STSClient(c);
    },
    options,
  );
  const cloudWatch: LazyPerRegion<CloudWatchClient> = lazyPerRegion(
    'cloudwatch',
    async () => {
      const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
      return (c) => new CloudWatchClient(c);
    },
    options,
  );
  const sns: LazyPerRegion<SNSClient> = lazyPerRegion(
    'sns',
    async () => {
      const { SNSClient } = await import('@aws-sdk/client-sns');
      return (c) => new SNSClient(c);
    },
    options,
  );
  return {
    /** The operator's SDK options, for clients a command loads only when asked (the evidence's SSM). */
    options,
    /** Organizations, global: from any region the SDK's endpoint rules send to the partition's global region. */
    organizations: organizations as LazyPerRegion<OrganizationsClient>,
    /** CloudWatch (the monitoring's alarms) and SNS (its topic's subscribers) in the trail's home region. */
    monitoringClientsIn: async (region: string | undefined): Promise<MonitoringClients> => {
      const [cloudWatchClient, snsClient] = await Promise.all([cloudWatch(region), sns(region)]);
      return { cloudWatch: cloudWatchClient, sns: snsClient };
    },
    config: config as LazyPerRegion<ConfigServiceClient>,
    account,
    ec2,
    sts,
    /** The rule's clients for one region, so the rule's own read functions run there. */
    ruleClientsIn: async (region: string): Promise<RuleClients> => ({
      config: await config(region),
      cloudTrail: () => cloudTrail(region),
      logs: () => logs(region),
      iam: () => iam(region),
    }),
    /** The remediation's clients for the trail's home region (undefined: the configured region). */
    remediationClientsIn: async (region: string | undefined): Promise<RemediationClients> => {
      const [cloudTrailClient, logsClient, iamClient, stsClient, organizationsClient] = await Promise.all([
        cloudTrail(region),
        logs(region),
        iam(region),
        sts(region),
        organizations(region),
      ]);
      return {
        cloudTrail: cloudTrailClient,
        logs: logsClient,
        iam: iamClient,
        sts: stsClient,
        organizations: organizationsClient,
      };
    },
  };
}

export type AwsClients = ReturnType<typeof awsClients>;
