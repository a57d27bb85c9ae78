import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { NO_EXEMPTIONS, type TrailExemptions, trailExemptions } from '../common/exemption-lookup.js';
import { readOrganizationalUnits } from '../common/organizational-units-api.js';
import type { RemediationClients } from '../remediation/clients.js';
import {
  AwsCallError,
  ExemptTrailError,
  TrailNotFoundError,
  TrailNotInHomeRegionError,
  TrailOfOtherAccountError,
} from '../remediation/errors.js';
import type { RuleClients } from '../rule/clients.js';
import { AccessDeniedError, isAccessDenied } from '../rule/errors.js';
import {
  type AwsOptions,
  type ParsedCommand,
  parseCommandLine,
  type ReportCommand,
  type ScanCommand,
} from './args.js';
import { callerAccount } from './caller.js';
import { clientPerRegion, operationOf, type SdkOptions } from './clients.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { debugLogger } from './debug-log.js';
import { describeError, FixIncompleteError, UsageError } from './errors.js';
import { readExemptionsFile } from './exemptions-file.js';
import {
  accountsNeedingUnits,
  existingTrails,
  needsAttention,
  renderExemptionsReport,
  summariseExemptions,
} from './exemptions-report.js';
import { failureLine } from './failure.js';
import { type CliIo, EXIT_CODE, progress } from './io.js';
import { resolveRegions } from './regions.js';
import { renderFixProgress, runFix, runPlan } from './remediation.js';
import { type AggregateEvaluation, readAggregateEvaluations, renderReport, summarise } from './report.js';
import { hasFindings, renderScan, scanFailureLine, scanTrails } from './scan.js';
import { packageVersion } from './version.js';

/** The SDK clients of one command line run, per region, with the operator's profile and logger. */
function awsClients(aws: AwsOptions, io: CliIo) {
  const options: SdkOptions = {
    ...(aws.profile === undefined ? {} : { profile: aws.profile }),
    ...(aws.debug ? { logger: debugLogger(io.stderr, CLI_NAME) } : {}),
  };
  const config = clientPerRegion('config', (c) => new ConfigServiceClient(c), options);
  const cloudTrail = clientPerRegion('cloudtrail', (c) => new CloudTrailClient(c), options);
  const logs = clientPerRegion('logs', (c) => new CloudWatchLogsClient(c), options);
  const iam = clientPerRegion('iam', (c) => new IAMClient(c), options);
  const organizations = clientPerRegion('organizations', (c) => new OrganizationsClient(c), options);
  const account = clientPerRegion('account', (c) => new AccountClient(c), options);
  // The EC2 SDK (a large package) is loaded only when account:ListRegions is denied and the scan falls back to
  // ec2:DescribeRegions.
  let ec2Clients: Promise<(region?: string) => EC2Client> | undefined;
  const ec2 = async (region?: string): Promise<EC2Client> => {
    ec2Clients ??= import('@aws-sdk/client-ec2').then(({ EC2Client }) =>
      clientPerRegion('ec2', (c) => new EC2Client(c), options),
    );
    return (await ec2Clients)(region);
  };
  const sts = clientPerRegion('sts', (c) => new STSClient(c), options);
  const cloudWatch = clientPerRegion('cloudwatch', (c) => new CloudWatchClient(c), options);
  return {
    /** CloudWatch (the monitoring's alarms) in the trail's home region. */
    cloudWatchIn: (region: string | undefined) => cloudWatch(region),
    /** Organizations (a global service), for the OUs an exemption naming trails in an OU needs. */
    organizations: () => organizations(),
    config,
    account,
    ec2,
    sts,
    /** The rule's clients for one region, so the rule's own read functions run there. */
    ruleClientsIn: (region: string): RuleClients => {
      const [cloudTrailClient, logsClient, iamClient] = [cloudTrail(region), logs(region), iam(region)];
      return {
        config: config(region),
        cloudTrail: async () => cloudTrailClient,
        logs: async () => logsClient,
        iam: async () => iamClient,
      };
    },
    /** The remediation's clients for the trail's home region (undefined: the SDK's region). */
    remediationClientsIn: (region: string | undefined): RemediationClients => ({
      cloudTrail: cloudTrail(region),
      logs: logs(region),
      iam: iam(region),
      sts: sts(region),
      organizations: organizations(region),
    }),
  };
}

function commandPrefix(command: string | undefined): string {
  return command === undefined ? CLI_NAME : `${CLI_NAME} ${command}`;
}

function writeUsageError(io: CliIo, error: UsageError): void {
  const prefix = commandPrefix(error.command);
  io.stderr.write(`${prefix}: ${error.message} (run '${prefix} --help')\n`);
}

/**
 * The one line an operator reads. The rule's and the remediation's errors address a Lambda's role and
 * another run; from a terminal it is the operator's own credentials and flags, so those two are reworded.
 */
export function operatorMessage(error: unknown): string {
  const denied = (action: string) =>
    `access denied: the credentials you run with need ${action} (${describeError(error instanceof Error ? error.cause : error)})`;
  if (error instanceof AccessDeniedError) return denied(error.action);
  if (error instanceof AwsCallError && isAccessDenied(error.cause)) {
    return denied(`${error.action} on ${error.resource}`);
  }
  if (error instanceof TrailNotInHomeRegionError) {
    return `${error.message} From the command line: add --region ${error.homeRegion}, or give the trail ARN.`;
  }
  if (error instanceof TrailNotFoundError) {
    const [home, ...others] = error.elsewhere;
    const where =
      home !== undefined && others.length === 0
        ? `--region ${home.homeRegion}`
        : "--region with the trail's home region";
    return `${error.message} From the command line: add ${where}, or give the trail ARN.`;
  }
  if (error instanceof TrailOfOtherAccountError) {
    return `${error.message} From the command line: use credentials of account ${error.ownerAccount} (AWS_PROFILE).`;
  }
  if (error instanceof ExemptTrailError) {
    return error.message.replace(
      "remove its exemption from the deployment's exemptions file and deploy the guard again",
      'remove its exemption from the file given with --exemptions (and from the deployment)',
    );
  }
  if (error instanceof FixIncompleteError) return operatorMessage(error.cause);
  // A raw SDK error (not one a command wrapped with its own words): name the call that raised it.
  const operation = operationOf(error);
  if (operation !== undefined) return failureLine(operation, undefined, error);
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
}

/**
 * `scan`: every failure of a region or a trail is one line on stderr and makes the run incomplete (exit 4,
 * over the 3 of a finding); what could be read is printed all the same.
 */
async function scan(command: ScanCommand, io: CliIo): Promise<number> {
  const now = new Date();
  // Read before any AWS call: a file that is not valid stops the scan with nothing read.
  const list =
    command.exemptionsFile === undefined ? undefined : await readExemptionsFile(command.exemptionsFile, now);
  const clients = awsClients(command.aws, io);
  const exemptions = exemptionsOf(list, now, clients.organizations);
  const accountId = await callerAccount(clients.sts());
  const regions = await resolveRegions(command.regions, {
    account: () => clients.account(),
    ec2: () => clients.ec2(),
  });
  const request = {
    regions,
    accountId,
    now,
    exemptions,
    ...(command.windowHours === undefined ? {} : { windowHours: command.windowHours }),
  };
  const result = await scanTrails(request, clients.ruleClientsIn, progress(io));
  for (const failure of result.failures)
    io.stderr.write(`${commandPrefix('scan')}: ${scanFailureLine(failure)}\n`);
  const context = {
    account: accountId,
    regions,
    scannedAt: now,
    ...(io.stdoutColumns === undefined ? {} : { width: io.stdoutColumns }),
  };
  io.stdout.write(renderScan(result, context, command.output));
  if (result.failures.length > 0) return EXIT_CODE.incomplete;
  return hasFindings(result) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
}

/** The file's exemptions at `now`; the OUs are read with the operator's credentials (organizations:ListParents). */
function exemptionsOf(
  list: Awaited<ReturnType<typeof readExemptionsFile>> | undefined,
  now: Date,
  organizations: () => OrganizationsClient,
): TrailExemptions {
  if (list === undefined) return NO_EXEMPTIONS;
  return trailExemptions(list, now, (account) => readOrganizationalUnits(organizations(), account));
}

/** `report --exemptions`: each exemption of the file and its state, the trails it names found in the aggregator. */
async function reportExemptions(
  command: ReportCommand & { readonly exemptionsFile: string },
  io: CliIo,
  evaluationsOf: () => Promise<AggregateEvaluation[]>,
  organizations: () => OrganizationsClient,
): Promise<number> {
  const now = new Date();
  const list = await readExemptionsFile(command.exemptionsFile, now);
  const evaluations = await evaluationsOf();
  const unitsOf = new Map<string, ReadonlySet<string>>();
  for (const account of accountsNeedingUnits(list, existingTrails(evaluations))) {
    unitsOf.set(account, await readOrganizationalUnits(organizations(), account));
  }
  const report = summariseExemptions(
    { file: command.exemptionsFile, aggregator: command.aggregator, rule: command.rule },
    list,
    evaluations,
    unitsOf,
    now,
  );
  io.stdout.write(renderExemptionsReport(report, command.output));
  return needsAttention(report) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
}

async function execute(command: ParsedCommand, io: CliIo): Promise<number> {
  switch (command.command) {
    case 'help':
      io.stdout.write(command.topic === undefined ? programHelp() : commandHelp(command.topic));
      return EXIT_CODE.ok;
    case 'version':
      io.stdout.write(`${CLI_NAME} ${await packageVersion()}\n`);
      return EXIT_CODE.ok;
    case 'scan':
      return scan(command, io);
    case 'plan':
    case 'fix': {
      const now = new Date();
      const list =
        command.exemptionsFile === undefined
          ? undefined
          : await readExemptionsFile(command.exemptionsFile, now);
      const clients = awsClients(command.aws, io);
      const cloudWatch =
        command.monitoringTopicArn === undefined ? undefined : clients.cloudWatchIn(command.region);
      const remediation = clients.remediationClientsIn(command.region);
      const exemptions = exemptionsOf(list, now, clients.organizations);
      return command.command === 'plan'
        ? runPlan(command, io, remediation, cloudWatch, exemptions)
        : runFix(command, io, remediation, cloudWatch, exemptions);
    }
    case 'report': {
      const clients = awsClients(command.aws, io);
      const read = () => {
        progress(io)(`Reading rule ${command.rule} from aggregator ${command.aggregator}...`);
        return readAggregateEvaluations(clients.config(), command.aggregator, command.rule);
      };
      if (command.exemptionsFile !== undefined) {
        return reportExemptions(
          { ...command, exemptionsFile: command.exemptionsFile },
          io,
          read,
          clients.organizations,
        );
      }
      const evaluations = await read();
      const report = summarise(command.aggregator, command.rule, evaluations);
      io.stdout.write(renderReport(report, command.output));
      return report.nonCompliant.length > 0 ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
    }
  }
}

/**
 * Runs one command line (the arguments after the program name) and returns the exit code. Usage errors are
 * found before any AWS call and give 2; any other failure prints one line and gives 1.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let command: ParsedCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeUsageError(io, error);
    return EXIT_CODE.usage;
  }
  try {
    return await execute(command, io);
  } catch (error) {
    if (error instanceof UsageError) {
      writeUsageError(io, error);
      return EXIT_CODE.usage;
    }
    const name = command.command === 'help' || command.command === 'version' ? undefined : command.command;
    io.stderr.write(`${commandPrefix(name)}: ${operatorMessage(error)}\n`);
    if (error instanceof FixIncompleteError) io.stderr.write(renderFixProgress(error));
    return EXIT_CODE.error;
  }
}
