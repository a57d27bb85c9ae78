import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { NO_EXEMPTIONS, type TrailExemptions, trailExemptions } from '../common/exemption-lookup.js';
import type { ExemptionList } from '../common/exemptions.js';
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
  type CoverageOptions,
  type ParsedCommand,
  parseCommandLine,
  type ReportCommand,
  type ScanCommand,
} from './args.js';
import { callerAccount } from './caller.js';
import { clientPerRegion, operationOf, type SdkOptions } from './clients.js';
import { CLI_NAME, commandHelp, programHelp } from './commands.js';
import { assessCoverage, renderCoverage, uncoveredLine } from './coverage.js';
import { readCoverageInput } from './coverage-read.js';
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
import { renderFindings } from './findings/render-findings.js';
import { fromAggregator, fromScan, partitionOfRegion } from './findings/trail-evaluation.js';
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
  const sns = clientPerRegion('sns', (c) => new SNSClient(c), options);
  return {
    /** The operator's SDK options, for clients a command loads only when asked (the evidence's SSM). */
    options,
    /** Organizations, global: from any region the SDK's endpoint rules send to the partition's global region. */
    organizations,
    /** CloudWatch (the monitoring's alarms) and SNS (its topic's subscribers) in the trail's home region. */
    monitoringClientsIn: (region: string | undefined) => ({
      cloudWatch: cloudWatch(region),
      sns: sns(region),
    }),
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
  if (command.output === 'asff' || command.output === 'ocsf') {
    const region = await clients.sts().config.region();
    const findings = fromScan(result.trails, accountId, now);
    io.stdout.write(
      renderFindings(findings, command.output, {
        target: { account: accountId, region, partition: partitionOfRegion(region) },
        version: await packageVersion(),
      }),
    );
  } else {
    io.stdout.write(renderScan(result, context, command.output));
  }
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

/**
 * `report --exemptions`: each exemption of the file and its state, the trails it names found in the evaluations the
 * aggregator holds; the OUs an OU entry needs are read with the operator's credentials.
 */
async function exemptionsReport(
  command: ReportCommand,
  file: string,
  list: ExemptionList,
  evaluations: readonly AggregateEvaluation[],
  organizations: () => OrganizationsClient,
  now: Date,
) {
  const unitsOf = new Map<string, ReadonlySet<string>>();
  for (const account of accountsNeedingUnits(list, existingTrails(evaluations))) {
    unitsOf.set(account, await readOrganizationalUnits(organizations(), account));
  }
  return summariseExemptions(
    { file, aggregator: command.aggregator, rule: command.rule },
    list,
    evaluations,
    unitsOf,
    now,
  );
}

/**
 * `report`: the aggregator's evaluations as a listing or as findings, or with --exemptions the file's exemptions and
 * their state; with --evidence, the auditor's files too (their module, and the SSM SDK, loaded only then), whose
 * exemptions are the file's in force.
 */
async function report(command: ReportCommand, io: CliIo): Promise<number> {
  const now = new Date();
  const file = command.exemptionsFile;
  // Read before any AWS call: a file that is not valid stops the report with nothing read.
  const list = file === undefined ? undefined : await readExemptionsFile(file, now);
  progress(io)(`Reading rule ${command.rule} from aggregator ${command.aggregator}...`);
  const clients = awsClients(command.aws, io);
  const config = clients.config();
  const evaluations = await readAggregateEvaluations(config, command.aggregator, command.rule);
  const summary = summarise(command.aggregator, command.rule, evaluations);
  const needsCaller =
    command.evidence !== undefined || command.output === 'asff' || command.output === 'ocsf';
  const account = needsCaller ? await callerAccount(clients.sts()) : '';
  let code: number = summary.nonCompliant.length > 0 ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
  if (file !== undefined && list !== undefined) {
    const listing = await exemptionsReport(command, file, list, evaluations, clients.organizations, now);
    // parseCommandLine refuses asff and ocsf with --exemptions; this keeps the refusal should the two ever differ.
    if (command.output === 'asff' || command.output === 'ocsf') {
      throw new UsageError('--exemptions writes table, json or csv', 'report');
    }
    io.stdout.write(renderExemptionsReport(listing, command.output));
    code = needsAttention(listing) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
  } else if (command.output === 'asff' || command.output === 'ocsf') {
    const region = await config.config.region();
    io.stdout.write(
      renderFindings(fromAggregator(summary.evaluations, now), command.output, {
        target: { account, region, partition: partitionOfRegion(region) },
        version: await packageVersion(),
      }),
    );
  } else {
    io.stdout.write(renderReport(summary, command.output));
  }
  if (command.evidence !== undefined) {
    const { writeReportEvidence } = await import('./evidence/report-evidence.js');
    const manifestSha256 = await writeReportEvidence({
      directory: command.evidence,
      aggregator: command.aggregator,
      rule: command.rule,
      account,
      evaluations: summary.evaluations,
      version: await packageVersion(),
      now,
      sdk: clients.options,
      ...(file === undefined || list === undefined ? {} : { exemptions: { file, list } }),
    });
    io.stderr.write(
      `${commandPrefix('report')}: evidence written to ${command.evidence}; manifest.json SHA-256 ${manifestSha256} (keep it apart from the files; check them with: cd ${command.evidence} && sha256sum --check --strict SHA256SUMS)\n`,
    );
  }
  return code;
}

/**
 * `report --coverage`: the aggregator's and the organization's answers read once, judged, then each uncovered
 * account-region (and a fallback to the aggregator's accounts) named on stderr, one line each, whatever the
 * output format, so a pipeline's log says what failed its gate.
 */
async function coverage(command: ReportCommand, options: CoverageOptions, io: CliIo): Promise<number> {
  progress(io)(`Reading where rule ${command.rule} has reported from aggregator ${command.aggregator}...`);
  const clients = awsClients(command.aws, io);
  const input = await readCoverageInput(
    { config: clients.config(), organizations: clients.organizations() },
    {
      aggregator: command.aggregator,
      rule: command.rule,
      ...(options.regions === undefined ? {} : { regions: options.regions }),
    },
  );
  const report = assessCoverage(input);
  const prefix = commandPrefix('report');
  if (report.accountNote !== undefined) io.stderr.write(`${prefix}: note: ${report.accountNote}.\n`);
  for (const cell of report.uncovered) io.stderr.write(`${prefix}: uncovered: ${uncoveredLine(cell)}\n`);
  // parseCommandLine refuses asff and ocsf with --coverage; this keeps the refusal should the two ever differ.
  if (command.output === 'asff' || command.output === 'ocsf') {
    throw new UsageError('--coverage writes table, json or csv', 'report');
  }
  io.stdout.write(renderCoverage(report, command.output, io.stdoutColumns));
  return report.uncovered.length > 0 ? EXIT_CODE.uncovered : EXIT_CODE.ok;
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
      const monitoring =
        command.monitoringTopicArn === undefined ? undefined : clients.monitoringClientsIn(command.region);
      const remediation = clients.remediationClientsIn(command.region);
      const exemptions = exemptionsOf(list, now, clients.organizations);
      return command.command === 'plan'
        ? runPlan(command, io, remediation, monitoring, exemptions)
        : runFix(command, io, remediation, monitoring, exemptions);
    }
    case 'report':
      if (command.coverage !== undefined) return coverage(command, command.coverage, io);
      return report(command, io);
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
