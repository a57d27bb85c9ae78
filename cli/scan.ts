import type { RuleClients } from '../rule/clients.js';
import { RULE_PARAMETER } from '../rule/definition.js';
import { accountOfArn, type ComplianceType, type Trail } from '../rule/evaluate.js';
import type { RuleParameters } from '../rule/parameters.js';
import { judgeTrail } from '../rule/run.js';
import { describeTrails } from '../rule/trails-api.js';
import type { TableOrJson } from './args.js';
import { mapWithLimit } from './concurrency.js';
import { renderJson, renderTable } from './render.js';

/** One trail and the rule's verdict on it. */
export interface ScannedTrail {
  readonly name: string;
  readonly arn: string;
  /** The account that owns the trail (from its ARN). */
  readonly account: string;
  readonly homeRegion: string;
  readonly verdict: ComplianceType;
  readonly reason: string;
}

export interface ScanRequest {
  /** Regions whose DescribeTrails (copies included) make up the trails to judge. */
  readonly regions: readonly string[];
  /** The caller's account (STS GetCallerIdentity): trails of other accounts are their owners' to judge. */
  readonly accountId: string;
  /** The rule parameter `expectedDeliveryWindowAge`, when the delivery check is wanted. */
  readonly windowHours?: number;
  readonly now: Date;
}

/** Regions read at once, and trails judged at once: quick, and clear of CloudTrail's throttling. */
const CONCURRENCY = 4;

/**
 * Lists the trails of every requested region and judges each trail once, in its home region, with the rule's
 * own judgement (rule/run.ts `judgeTrail`: GetTrailStatus and the trail's recent Config history only with a
 * window, for owned integrated trails). A multi-region trail shows up in
 * every region; it is kept once, by ARN, preferring the copy its home region returned. `clientsIn(region)`
 * gives the clients of a region.
 */
export async function scanTrails(
  request: ScanRequest,
  clientsIn: (region: string) => RuleClients,
  progress: (line: string) => void,
): Promise<ScannedTrail[]> {
  const perRegion = await mapWithLimit(request.regions, CONCURRENCY, async (region) => {
    progress(`Listing trails in ${region}...`);
    return { region, trails: await describeTrails(clientsIn(region)) };
  });
  const byArn = new Map<string, Trail>();
  for (const { region, trails } of perRegion) {
    for (const trail of trails) {
      if (!byArn.has(trail.arn) || region === trail.homeRegion) byArn.set(trail.arn, trail);
    }
  }
  const unique = [...byArn.values()];
  progress(`Judging ${unique.length} trail${unique.length === 1 ? '' : 's'}...`);
  const parameters: RuleParameters =
    request.windowHours === undefined
      ? {}
      : { [RULE_PARAMETER.expectedDeliveryWindowAge]: request.windowHours };
  const judged = await mapWithLimit(unique, CONCURRENCY, async (trail): Promise<ScannedTrail> => {
    // Judged as its home region's rule would: that region's context and clients, no capture time at hand.
    const context = { accountId: request.accountId, region: trail.homeRegion, now: request.now };
    const home = clientsIn(trail.homeRegion);
    const { complianceType, annotation } = await judgeTrail(trail, context, parameters, home, undefined);
    return {
      name: trail.name,
      arn: trail.arn,
      account: accountOfArn(trail.arn) ?? '',
      homeRegion: trail.homeRegion,
      verdict: complianceType,
      reason: annotation,
    };
  });
  return judged.sort(
    (a, b) =>
      a.account.localeCompare(b.account) ||
      a.homeRegion.localeCompare(b.homeRegion) ||
      a.name.localeCompare(b.name),
  );
}

const VERDICTS: readonly ComplianceType[] = ['COMPLIANT', 'NON_COMPLIANT', 'NOT_APPLICABLE'];

function countVerdicts(trails: readonly ScannedTrail[]): Record<ComplianceType, number> {
  const counts = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const trail of trails) counts[trail.verdict] += 1;
  return counts;
}

/** The scan as a table (with a count line) or as JSON. Pure. */
export function renderScan(
  regions: readonly string[],
  trails: readonly ScannedTrail[],
  format: TableOrJson,
): string {
  const summary = countVerdicts(trails);
  if (format === 'json') return renderJson({ regions, trails, summary });
  if (trails.length === 0) return `No trails in ${regions.join(', ')}.\n`;
  const table = renderTable(
    ['TRAIL', 'ACCOUNT', 'HOME REGION', 'VERDICT', 'REASON'],
    trails.map((t) => [t.name, t.account, t.homeRegion, t.verdict, t.reason]),
  );
  const counts = VERDICTS.map((verdict) => `${summary[verdict]} ${verdict}`).join(', ');
  return `${table}\n${trails.length} trail${trails.length === 1 ? '' : 's'} in ${regions.join(', ')}: ${counts}.\n`;
}

/** True when the scan found a trail to fix: the exit code is then 3. */
export function hasFindings(trails: readonly ScannedTrail[]): boolean {
  return trails.some((trail) => trail.verdict === 'NON_COMPLIANT');
}
