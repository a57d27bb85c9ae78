import type { TrailExemptions } from '../common/exemption-lookup.js';
import type {
  AwsCommand,
  CoverageOptions,
  FixCommand,
  PlanCommand,
  ReportCommand,
  ScanCommand,
} from './args.js';
import { type AwsClients, awsClients } from './aws-clients.js';
import { assertProfileExists } from './aws-environment.js';
import { callerAccount } from './caller.js';
import { errorJson, operatorMessage } from './error-report.js';
import { FixIncompleteError, UsageError } from './errors.js';
import type { FindingFormat } from './findings/render-findings.js';
import type { TrailEvaluation } from './findings/trail-evaluation.js';
import { type CliIo, EXIT_CODE } from './io.js';
import { commandPrefix, writeUsageError } from './messages.js';
import { NO_PROGRESS, type Progress, terminalProgress } from './progress.js';
import { resolveRegions } from './regions.js';
import { renderJson } from './render.js';

/**
 * The commands that call AWS, each a thin adapter: clients for the operator's profile, region and timeouts,
 * the command's own module (imported when it runs, with the SDK packages it needs), its output, and the one
 * error line (and JSON error object) when it fails.
 */

/** `scan`: a failure of a region or a trail is one line on stderr and makes the run incomplete (exit 4). */
async function scan(
  command: ScanCommand,
  io: CliIo,
  clients: AwsClients,
  progress: Progress,
): Promise<number> {
  const now = new Date();
  // Read before any AWS call: a file that is not valid stops the scan with nothing read.
  const exemptions = await exemptionsOf(command.exemptionsFile, now, clients);
  const { hasFindings, renderScan, scanFailureLine, scanProgressLine, scanTrails } = await import(
    './scan.js'
  );
  // --region is honoured by every call, the identity check included: it runs in the first region named.
  const home = command.regions.kind === 'list' ? command.regions.regions[0] : undefined;
  progress.status('Identifying your AWS credentials...');
  const accountId = await callerAccount(await clients.sts(home));
  if (command.regions.kind === 'all') progress.status("Listing the account's enabled regions...");
  const regions = await resolveRegions(command.regions, {
    account: () => clients.account(home),
    ec2: () => clients.ec2(home),
  });
  const request = {
    regions,
    accountId,
    now,
    exemptions,
    ...(command.windowHours === undefined ? {} : { windowHours: command.windowHours }),
  };
  const result = await scanTrails(request, clients.ruleClientsIn, {
    concurrency: command.concurrency,
    onProgress: (state) => progress.status(scanProgressLine(state)),
  });
  progress.clear();
  for (const failure of result.failures)
    io.stderr.write(`${commandPrefix('scan')}: ${scanFailureLine(failure)}\n`);
  const context = {
    account: accountId,
    regions,
    scannedAt: now,
    ...(io.stdoutColumns === undefined ? {} : { width: io.stdoutColumns }),
  };
  if (command.output === 'asff' || command.output === 'ocsf') {
    const { fromScan } = await import('./findings/trail-evaluation.js');
    const region = await (await clients.sts(home)).config.region();
    await writeFindings(io, command.output, fromScan(result.trails, accountId, now), {
      account: accountId,
      region,
    });
  } else {
    io.stdout.write(renderScan(result, context, command.output));
  }
  if (result.failures.length > 0) return EXIT_CODE.incomplete;
  return hasFindings(result) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
}

/**
 * `--output asff|ocsf` of `scan` and `report`: the findings, for import into `account` and `region` (the partition is
 * the region's).
 */
async function writeFindings(
  io: CliIo,
  format: FindingFormat,
  evaluations: readonly TrailEvaluation[],
  { account, region }: { readonly account: string; readonly region: string },
): Promise<void> {
  const [{ renderFindings }, { partitionOfRegion }, { packageVersion }] = await Promise.all([
    import('./findings/render-findings.js'),
    import('./findings/trail-evaluation.js'),
    import('./version.js'),
  ]);
  io.stdout.write(
    renderFindings(evaluations, format, {
      target: { account, region, partition: partitionOfRegion(region) },
      version: await packageVersion(),
    }),
  );
}

/** `plan` and `fix`, in the trail's home region (from its ARN or --region, else the configured region). */
async function remediation(
  command: PlanCommand | FixCommand,
  io: CliIo,
  clients: AwsClients,
  progress: Progress,
): Promise<number> {
  // Read before any AWS call: a file that is not valid stops the command with nothing read.
  const exemptions = await exemptionsOf(command.exemptionsFile, new Date(), clients);
  const { runFix, runPlan } = await import('./remediation.js');
  const remediationClients = await clients.remediationClientsIn(command.region);
  const monitoring =
    command.monitoringTopicArn === undefined ? undefined : await clients.monitoringClientsIn(command.region);
  return command.command === 'plan'
    ? runPlan(command, io, remediationClients, progress, monitoring, exemptions)
    : runFix(command, io, remediationClients, progress, monitoring, exemptions);
}

/**
 * `report --coverage`: the aggregator's and the organization's answers read once, judged, then each uncovered
 * account-region (and a fallback to the aggregator's accounts) named on stderr, one line each, whatever the
 * output format, so a pipeline's log says what failed its gate.
 */
async function coverage(
  command: ReportCommand,
  options: CoverageOptions,
  io: CliIo,
  clients: AwsClients,
  progress: Progress,
): Promise<number> {
  const [{ assessCoverage, renderCoverage, uncoveredLine }, { readCoverageInput }] = await Promise.all([
    import('./coverage.js'),
    import('./coverage-read.js'),
  ]);
  progress.status(`Reading where rule ${command.rule} has reported from aggregator ${command.aggregator}...`);
  const input = await readCoverageInput(
    { config: await clients.config(command.region), organizations: await clients.organizations() },
    {
      aggregator: command.aggregator,
      rule: command.rule,
      ...(options.regions === undefined ? {} : { regions: options.regions }),
    },
  );
  progress.clear();
  const report = assessCoverage(input);
  const prefix = commandPrefix('report');
  if (report.accountNote !== undefined) io.stderr.write(`${prefix}: note: ${report.accountNote}.\n`);
  for (const cell of report.uncovered) io.stderr.write(`${prefix}: uncovered: ${uncoveredLine(cell)}\n`);
  // parseCommandArguments refuses asff and ocsf with --coverage; this keeps the refusal should the two ever differ.
  if (command.output === 'asff' || command.output === 'ocsf') {
    throw new UsageError('--coverage writes table, json or csv', 'report');
  }
  io.stdout.write(renderCoverage(report, command.output, io.stdoutColumns));
  return report.uncovered.length > 0 ? EXIT_CODE.uncovered : EXIT_CODE.ok;
}

/**
 * `report`: the aggregator's evaluations of the rule. None at all (a wrong --rule or --region, or an aggregator
 * that does not collect the rule's accounts and regions) proves nothing and exits 4, like an incomplete scan.
 */
async function report(
  command: ReportCommand,
  io: CliIo,
  clients: AwsClients,
  progress: Progress,
): Promise<number> {
  if (command.coverage !== undefined) return coverage(command, command.coverage, io, clients, progress);
  const now = new Date();
  const file = command.exemptionsFile;
  // Read before any AWS call: a file that is not valid stops the report with nothing read.
  const list = file === undefined ? undefined : await readExemptions(file, now);
  const [{ notJudgedLine, readAggregateEvaluations, renderReport, summarise }, { packageVersion }] =
    await Promise.all([import('./report.js'), import('./version.js')]);
  progress.status(`Reading rule ${command.rule} from aggregator ${command.aggregator}...`);
  const config = await clients.config(command.region);
  const read = await readAggregateEvaluations(config, command.aggregator, command.rule);
  const { evaluations } = read;
  const summary = summarise(command.aggregator, command.rule, read);
  const findings = command.output === 'asff' || command.output === 'ocsf';
  const account =
    command.evidence !== undefined || findings ? await callerAccount(await clients.sts(command.region)) : '';
  let code: number = summary.nonCompliant.length > 0 ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
  if (file !== undefined && list !== undefined) {
    const {
      accountsNeedingUnits,
      existingTrails,
      needsAttention,
      renderExemptionsReport,
      summariseExemptions,
    } = await import('./exemptions-report.js');
    const { readOrganizationalUnits } = await import('../common/organizational-units-api.js');
    // The OUs an OU entry needs, read with the operator's credentials (organizations:ListParents).
    const unitsOf = new Map<string, ReadonlySet<string>>();
    for (const unitAccount of accountsNeedingUnits(list, existingTrails(evaluations))) {
      unitsOf.set(unitAccount, await readOrganizationalUnits(await clients.organizations(), unitAccount));
    }
    const listing = summariseExemptions(
      { file, aggregator: command.aggregator, rule: command.rule },
      list,
      evaluations,
      unitsOf,
      now,
    );
    progress.clear();
    // parseCommandArguments refuses asff and ocsf with --exemptions; this keeps the refusal should the two differ.
    if (findings) throw new UsageError('--exemptions writes table, json or csv', 'report');
    io.stdout.write(renderExemptionsReport(listing, command.output));
    code = needsAttention(listing) ? EXIT_CODE.nonCompliant : EXIT_CODE.ok;
  } else if (command.output === 'asff' || command.output === 'ocsf') {
    progress.clear();
    const { fromAggregator } = await import('./findings/trail-evaluation.js');
    const region = await config.config.region();
    await writeFindings(io, command.output, fromAggregator(summary.evaluations, now), { account, region });
  } else {
    progress.clear();
    io.stdout.write(renderReport(summary, command.output));
  }
  if (command.evidence !== undefined) {
    const { writeReportEvidence } = await import('./evidence/report-evidence.js');
    progress.status(`Writing the evidence to ${command.evidence}...`);
    const manifestSha256 = await writeReportEvidence({
      directory: command.evidence,
      aggregator: command.aggregator,
      rule: command.rule,
      account,
      evaluations: summary.evaluations,
      version: await packageVersion(),
      now,
      sdk: clients.options,
      ...(command.region === undefined ? {} : { region: command.region }),
      ...(file === undefined || list === undefined ? {} : { exemptions: { file, list } }),
    });
    progress.clear();
    io.stderr.write(
      `${commandPrefix('report')}: evidence written to ${command.evidence}; manifest.json SHA-256 ${manifestSha256} (keep it apart from the files; check them with: cd ${command.evidence} && sha256sum --check --strict SHA256SUMS)\n`,
    );
  }
  for (const place of summary.notJudged)
    io.stderr.write(`${commandPrefix('report')}: ${notJudgedLine(place)}\n`);
  if (summary.evaluations.length === 0 && file === undefined) {
    // The table already says so on stdout; the other formats carry no words, so the reason goes to stderr.
    if (command.output !== 'table') {
      const where = await configuredRegion(command, clients);
      io.stderr.write(
        `${commandPrefix('report')}: no evaluations of rule ${command.rule} in aggregator ${command.aggregator}${where === undefined ? '' : ` in ${where}`}: check the rule name (--rule), the region (--region), and that the aggregator collects the accounts and regions the rule runs in.\n`,
      );
    }
    return EXIT_CODE.noEvaluations;
  }
  // As for scan, an incomplete answer wins over 3: the trails' results there are not the whole truth.
  return summary.notJudged.length > 0 ? EXIT_CODE.incomplete : code;
}

/** The exemptions file given with `--exemptions`, validated at `now` (cli/exemptions-file.ts). */
async function readExemptions(file: string, now: Date) {
  const { readExemptionsFile } = await import('./exemptions-file.js');
  return readExemptionsFile(file, now);
}

/**
 * The deployment's exemptions (`--exemptions FILE`) at `now`, none without the flag. The file is read and checked
 * here, before any AWS call; the OUs an OU entry needs are read with the operator's credentials when a trail of
 * that name is met (organizations:ListParents).
 */
async function exemptionsOf(
  file: string | undefined,
  now: Date,
  clients: AwsClients,
): Promise<TrailExemptions> {
  const { NO_EXEMPTIONS, trailExemptions } = await import('../common/exemption-lookup.js');
  if (file === undefined) return NO_EXEMPTIONS;
  const list = await readExemptions(file, now);
  const { readOrganizationalUnits } = await import('../common/organizational-units-api.js');
  return trailExemptions(list, now, async (account) =>
    readOrganizationalUnits(await clients.organizations(), account),
  );
}

/** The region a command ran in, for its error line: the one named, else the configured one, if any. */
async function configuredRegion(command: AwsCommand, clients: AwsClients): Promise<string | undefined> {
  const named = command.command === 'scan' ? command.regions : undefined;
  if (named?.kind === 'list') return named.regions[0];
  if (command.command !== 'scan' && command.region !== undefined) return command.region;
  try {
    return await (await clients.sts()).config.region();
  } catch {
    return undefined;
  }
}

function run(command: AwsCommand, io: CliIo, clients: AwsClients, progress: Progress): Promise<number> {
  switch (command.command) {
    case 'scan':
      return scan(command, io, clients, progress);
    case 'plan':
    case 'fix':
      return remediation(command, io, clients, progress);
    case 'report':
      return report(command, io, clients, progress);
  }
}

/**
 * Runs a command that calls AWS and returns its exit code. A profile named but not found, and any other failure,
 * is one line on stderr (and a JSON error object on stdout with `--output json`) and exit 1.
 */
export async function executeAwsCommand(command: AwsCommand, io: CliIo): Promise<number> {
  const quiet = command.aws.quiet || !io.stderrIsTTY;
  if (io.notice !== undefined && !quiet) io.stderr.write(`${io.notice}\n`);
  const progress = quiet ? NO_PROGRESS : terminalProgress(io.stderr, io.stderrColumns);
  const clients = awsClients(command.aws, io);
  try {
    await assertProfileExists(command.aws.profile, io.env ?? process.env);
    return await run(command, io, clients, progress);
  } catch (error) {
    progress.clear();
    const json = command.output === 'json';
    if (error instanceof UsageError) {
      writeUsageError(io, error, json);
      return EXIT_CODE.usage;
    }
    const region = await configuredRegion(command, clients);
    io.stderr.write(`${commandPrefix(command.command)}: ${operatorMessage(error, region)}\n`);
    if (error instanceof FixIncompleteError) {
      const { renderFixProgress } = await import('./remediation.js');
      io.stderr.write(renderFixProgress(error));
    }
    if (json) {
      const lists =
        error instanceof FixIncompleteError
          ? { applied: error.applied ?? null, remaining: error.remaining }
          : {};
      io.stdout.write(
        renderJson({ error: errorJson(command.command, error, region, EXIT_CODE.error), ...lists }),
      );
    }
    return EXIT_CODE.error;
  } finally {
    progress.clear();
  }
}
