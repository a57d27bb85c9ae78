import { NO_EXEMPTIONS, type TrailExemptions } from '../common/exemption-lookup.js';
import {
  daysLeft,
  EXPIRING_WITHIN_DAYS,
  type ExemptionMatch,
  exemptionState,
  NO_MATCH,
} from '../common/exemptions.js';
import type { RuleClients } from '../rule/clients.js';
import { RULE_PARAMETER } from '../rule/definition.js';
import { accountOfArn, type ComplianceType, isOwnedHere, type Trail } from '../rule/evaluate.js';
import type { RuleParameters } from '../rule/parameters.js';
import { type ReasonCode, reasonCode } from '../rule/reason-code.js';
import { judgeTrail } from '../rule/run.js';
import { describeTrails } from '../rule/trails-api.js';
import type { ScanFormat } from './args.js';
import { operationOf } from './clients.js';
import { DEFAULT_CONCURRENCY, limiter } from './concurrency.js';
import { classifyAwsError, type FailureCause, failureLine } from './failure.js';
import { plural, renderCsv, renderJson, renderTable } from './render.js';

/** The exemption that decided a trail's verdict, from the `--exemptions` file. */
export interface ScannedExemption {
  /** `active`, `expiring` (ends within EXPIRING_WITHIN_DAYS days) or `expired` (the trail is judged again). */
  readonly state: 'active' | 'expiring' | 'expired';
  /** The date it ends, at 00:00 UTC. */
  readonly expires: string;
  /** Whole days until then; 0 or less once expired. */
  readonly daysLeft: number;
  readonly reason: string;
  readonly reference: string;
  readonly approver: string;
}

/** One trail and the rule's verdict on it. */
export interface ScannedTrail {
  readonly name: string;
  readonly arn: string;
  /** The account that owns the trail (from its ARN). */
  readonly account: string;
  readonly homeRegion: string;
  /** The trail's CloudWatch Logs log group ARN; null when none is set. */
  readonly logGroupArn: string | null;
  /** The role CloudTrail writes to the log group with; null when none is set. */
  readonly roleArn: string | null;
  readonly verdict: ComplianceType;
  /** The key of the rule's annotation table the reason comes from (see rule/reason-code.ts). */
  readonly reasonCode: ReasonCode;
  /** The rule's annotation. */
  readonly reason: string;
  /** Present when an exemption of `--exemptions` covers the trail, active or expired. */
  readonly exemption?: ScannedExemption;
}

/** A part of the scan that failed: listing a region's trails, or judging one trail in its home region. */
export interface ScanFailure {
  readonly region: string;
  /** The failed call, e.g. `cloudtrail:DescribeTrails`. */
  readonly operation: string;
  /** The trail that could not be judged; absent when the region's trails could not be listed. */
  readonly trail?: string;
  readonly error: unknown;
}

export interface ScanResult {
  readonly trails: readonly ScannedTrail[];
  readonly failures: readonly ScanFailure[];
}

export interface ScanRequest {
  /** Regions whose DescribeTrails (copies included) make up the trails to judge. */
  readonly regions: readonly string[];
  /** The caller's account (STS GetCallerIdentity): trails of other accounts are their owners' to judge. */
  readonly accountId: string;
  /** The rule parameter `expectedDeliveryWindowAge`, when the delivery check is wanted. */
  readonly windowHours?: number;
  readonly now: Date;
  /** The deployment's exemptions (`--exemptions`), at `now`. @default none */
  readonly exemptions?: TrailExemptions;
}

function scannedExemption(match: ExemptionMatch, now: Date): ScannedExemption | undefined {
  if (match.kind === 'none') return undefined;
  const { exemption } = match;
  const state = exemptionState(exemption, now, true);
  return {
    state: state === 'expiring' || state === 'expired' ? state : 'active',
    expires: exemption.expires,
    daysLeft: daysLeft(exemption, now),
    reason: exemption.reason,
    reference: exemption.reference,
    approver: exemption.approver,
  };
}

/**
 * The call that failed: as the client recorded it, else as a wrapper of the rule or the remediation names
 * it (`action`), else `fallback`, the call the step begins with.
 */
function failedOperation(error: unknown, fallback: string): string {
  const recorded = operationOf(error) ?? operationOf(error instanceof Error ? error.cause : undefined);
  if (recorded !== undefined) return recorded;
  const action =
    typeof error === 'object' && error !== null ? (error as { action?: unknown }).action : undefined;
  return typeof action === 'string' ? action : fallback;
}

type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ScanFailure };

async function attempt<T>(
  region: string,
  fallback: string,
  task: () => Promise<T>,
  trail?: string,
): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (error) {
    const operation = failedOperation(error, fallback);
    return { ok: false, failure: { region, operation, ...(trail === undefined ? {} : { trail }), error } };
  }
}

/** How far a scan has come, for the progress line. */
export interface ScanProgress {
  readonly regions: number;
  readonly regionsListed: number;
  readonly trailsFound: number;
  readonly trailsJudged: number;
  readonly failures: number;
}

export interface ScanOptions {
  /** Regions listed at once, and trails judged at once. @default DEFAULT_CONCURRENCY */
  readonly concurrency?: number;
  /** Told each time a region is listed or a trail judged. @default nobody */
  readonly onProgress?: (progress: ScanProgress) => void;
}

/** The one line a terminal shows of a scan under way. Pure. */
export function scanProgressLine(progress: ScanProgress): string {
  const failed = progress.failures === 0 ? '' : `, ${progress.failures} failed`;
  return `Scanning: ${progress.regionsListed} of ${plural(progress.regions, 'region')} listed, ${progress.trailsJudged} of ${plural(progress.trailsFound, 'trail')} judged${failed}...`;
}

/**
 * Lists the trails of every requested region and judges each trail once, in its home region, with the rule's
 * own judgement (rule/run.ts `judgeTrail`: GetTrailStatus and the trail's recent Config history only with a
 * window, for owned integrated trails). A multi-region trail shows up in every region; it is judged once, by
 * ARN, from the copy its home region returned, or, when its home region is not scanned or cannot be listed,
 * from a copy another region returned. Judging starts as soon as a region's list arrives: no region waits for
 * the others. A region that cannot be listed, or a trail that cannot be judged, becomes a {@link ScanFailure};
 * every other region and trail is still scanned. `clientsIn(region)` gives the clients of a region.
 */
export async function scanTrails(
  request: ScanRequest,
  clientsIn: (region: string) => Promise<RuleClients>,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const listing = limiter(concurrency);
  const judging = limiter(concurrency);
  const parameters: RuleParameters =
    request.windowHours === undefined
      ? {}
      : { [RULE_PARAMETER.expectedDeliveryWindowAge]: request.windowHours };
  const unlisted = new Set(request.regions);
  /** Copies seen outside their home region, kept until that region's own list has been read. */
  const copies = new Map<string, Trail>();
  const started = new Set<string>();
  const judgements: Promise<void>[] = [];
  const trails: ScannedTrail[] = [];
  const failures: ScanFailure[] = [];
  const tell = () =>
    options.onProgress?.({
      regions: request.regions.length,
      regionsListed: request.regions.length - unlisted.size,
      trailsFound: started.size,
      trailsJudged: trails.length + failures.filter((failure) => failure.trail !== undefined).length,
      failures: failures.length,
    });

  const judge = (trail: Trail) => {
    started.add(trail.arn);
    copies.delete(trail.arn);
    const judged = judging(() =>
      attempt(
        trail.homeRegion,
        'cloudtrail:GetTrailStatus',
        async (): Promise<ScannedTrail> => {
          // Judged as its home region's rule would: that region's context and clients, no capture time at hand.
          const context = { accountId: request.accountId, region: trail.homeRegion, now: request.now };
          const home = await clientsIn(trail.homeRegion);
          const exemptions = request.exemptions ?? NO_EXEMPTIONS;
          const { complianceType, annotation } = await judgeTrail(
            trail,
            context,
            parameters,
            home,
            undefined,
            exemptions,
          );
          // The same match judgeTrail made (the OUs are read once per account): what the file says of the trail.
          const match = isOwnedHere(trail, context) ? await exemptions.match(trail) : NO_MATCH;
          const exemption = scannedExemption(match, request.now);
          return {
            name: trail.name,
            arn: trail.arn,
            account: accountOfArn(trail.arn) ?? '',
            homeRegion: trail.homeRegion,
            logGroupArn: trail.cloudWatchLogsLogGroupArn ?? null,
            roleArn: trail.cloudWatchLogsRoleArn ?? null,
            verdict: complianceType,
            reasonCode: reasonCode(annotation),
            reason: annotation,
            ...(exemption === undefined ? {} : { exemption }),
          };
        },
        trail.name,
      ),
    ).then((outcome) => {
      if (outcome.ok) trails.push(outcome.value);
      else failures.push(outcome.failure);
      tell();
    });
    judgements.push(judged);
  };

  const listed = (region: string, outcome: Outcome<Awaited<ReturnType<typeof describeTrails>>>) => {
    unlisted.delete(region);
    if (outcome.ok) {
      const { trails: found, malformed } = outcome.value;
      for (const { label, error } of malformed) {
        failures.push({ region, operation: 'cloudtrail:DescribeTrails', trail: label, error });
      }
      for (const trail of found) {
        if (started.has(trail.arn)) continue;
        if (trail.homeRegion === region || !unlisted.has(trail.homeRegion)) judge(trail);
        else if (!copies.has(trail.arn)) copies.set(trail.arn, trail);
      }
    } else {
      failures.push(outcome.failure);
    }
    // This region's own list has been read (or could not be): copies still waiting for it are all there is.
    for (const copy of [...copies.values()]) if (copy.homeRegion === region) judge(copy);
    tell();
  };

  await Promise.all(
    request.regions.map(async (region) => {
      const outcome = await listing(() =>
        attempt(region, 'cloudtrail:DescribeTrails', async () => describeTrails(await clientsIn(region))),
      );
      listed(region, outcome);
    }),
  );
  // Every judgement was started by a listing above, so the list is complete once they all have ended.
  await Promise.all(judgements);
  return {
    trails: trails.sort(
      (a, b) =>
        a.account.localeCompare(b.account) ||
        a.homeRegion.localeCompare(b.homeRegion) ||
        a.name.localeCompare(b.name),
    ),
    failures: failures.sort(
      (a, b) => a.region.localeCompare(b.region) || (a.trail ?? '').localeCompare(b.trail ?? ''),
    ),
  };
}

/** The stderr line of one failure (without the program prefix). Pure. */
export function scanFailureLine(failure: ScanFailure): string {
  const line = failureLine(failure.operation, failure.region, failure.error);
  return failure.trail === undefined ? line : `trail ${failure.trail}: ${line}`;
}

/** What a scan's output says about the scan itself. */
export interface ScanContext {
  /** The caller's account. */
  readonly account: string;
  /** The regions asked for. */
  readonly regions: readonly string[];
  readonly scannedAt: Date;
  /** Columns of the terminal stdout is, when it is one: the table then fits it. */
  readonly width?: number;
}

const VERDICTS: readonly ComplianceType[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

function countVerdicts(trails: readonly ScannedTrail[]): Record<ComplianceType, number> {
  const counts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const trail of trails) counts[trail.verdict] += 1;
  return counts;
}

/** True for a trail an exemption excuses now: NOT_APPLICABLE, shown as EXEMPT. */
function isExempt(trail: ScannedTrail): boolean {
  return trail.exemption !== undefined && trail.exemption.state !== 'expired';
}

/** The table's verdict: EXEMPT for an excused trail, the rule's compliance type otherwise. */
function shownVerdict(trail: ScannedTrail): string {
  return isExempt(trail) ? 'EXEMPT' : trail.verdict;
}

/** The table's reason: the rule's annotation, with the days left of an exemption about to end. */
function shownReason(trail: ScannedTrail): string {
  const exemption = trail.exemption;
  if (exemption?.state !== 'expiring') return trail.reason;
  return `${trail.reason} Expires in ${plural(exemption.daysLeft, 'day')}.`;
}

/** The table's count line: exempt trails apart from the other NOT_APPLICABLE ones, when there are any. */
function countLine(trails: readonly ScannedTrail[]): string {
  const exempt = trails.filter(isExempt);
  const counts = countVerdicts(trails.filter((trail) => !isExempt(trail)));
  const line = VERDICTS.map((verdict) => `${counts[verdict]} ${verdict}`).join(', ');
  if (exempt.length === 0) return line;
  const expiring = exempt.filter((trail) => trail.exemption?.state === 'expiring').length;
  const soon = expiring === 0 ? '' : ` (${expiring} expiring within ${EXPIRING_WITHIN_DAYS} days)`;
  return `${line}, ${exempt.length} EXEMPT${soon}`;
}

/** Regions with a failure, each once, sorted. */
function failedRegions(result: ScanResult): string[] {
  return [...new Set(result.failures.map((failure) => failure.region))].sort();
}

/** A failure as JSON: where, which call, and the classified reason (no stack, no raw error). */
function failureJson(failure: ScanFailure): {
  region: string;
  operation: string;
  trail?: string;
  cause: FailureCause;
  code: string;
  httpStatus?: number;
  message: string;
} {
  const { cause, code, httpStatus, detail } = classifyAwsError(failure.error);
  return {
    region: failure.region,
    operation: failure.operation,
    ...(failure.trail === undefined ? {} : { trail: failure.trail }),
    cause,
    code,
    ...(httpStatus === undefined ? {} : { httpStatus }),
    message: detail,
  };
}

const CSV_HEADERS = [
  'account_id',
  'region',
  'trail',
  'trail_arn',
  'verdict',
  'reason_code',
  'reason',
  'log_group_arn',
  'role_arn',
  'scanned_at',
];

/** The scan as a table (with a summary line), JSON or CSV (one row per trail, RFC 4180). Pure. */
export function renderScan(result: ScanResult, context: ScanContext, format: ScanFormat): string {
  const { trails } = result;
  const summary = countVerdicts(trails);
  const scannedAt = context.scannedAt.toISOString();
  if (format === 'json') {
    return renderJson({
      account: context.account,
      scannedAt,
      regions: context.regions,
      complete: result.failures.length === 0,
      trails,
      summary,
      failures: result.failures.map(failureJson),
    });
  }
  if (format === 'csv') {
    return renderCsv(
      CSV_HEADERS,
      trails.map((t) => [
        t.account,
        t.homeRegion,
        t.name,
        t.arn,
        t.verdict,
        t.reasonCode,
        t.reason,
        t.logGroupArn ?? '',
        t.roleArn ?? '',
        scannedAt,
      ]),
    );
  }
  const failed = failedRegions(result);
  const total = context.regions.length;
  const scanned =
    failed.length === 0
      ? `${plural(total, 'region')} scanned`
      : `${total - failed.length} of ${plural(total, 'region')} scanned in full`;
  const incomplete =
    failed.length === 0
      ? ''
      : `Incomplete: ${failed.join(', ')} could not be scanned in full (the errors are on stderr).\n`;
  if (trails.length === 0) return `No trails in account ${context.account} (${scanned}).\n${incomplete}`;
  const table = renderTable(
    ['TRAIL', 'ACCOUNT', 'HOME REGION', 'VERDICT', 'REASON'],
    trails.map((t) => [t.name, t.account, t.homeRegion, shownVerdict(t), shownReason(t)]),
    context.width,
  );
  return `${table}\n${plural(trails.length, 'trail')} in account ${context.account} (${scanned}): ${countLine(trails)}.\n${incomplete}`;
}

/** True when the scan found a trail to fix. */
export function hasFindings(result: ScanResult): boolean {
  return result.trails.some((trail) => trail.verdict === 'NON_COMPLIANT');
}
