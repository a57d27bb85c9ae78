import type { AggregateEvaluationResult, ConfigServiceClient } from '@aws-sdk/client-config-service';
import { saysTrailsNotJudged } from '../rule/account-result.js';
import { ACCOUNT_RESOURCE_TYPE } from '../rule/definition.js';
import { reasonCode } from '../rule/reason-code.js';
import { readRuleCompliance, readRuleResults } from './aggregator-api.js';
import type { ReportFormat } from './args.js';
import { mapWithLimit } from './concurrency.js';
import { plural, renderCsv, renderJson, renderTable } from './render.js';

/** One evaluation of the rule, as the aggregator holds it. */
export interface AggregateEvaluation {
  readonly accountId: string;
  readonly region: string;
  readonly resourceId: string;
  readonly compliance: string;
  readonly annotation?: string;
  /** ISO 8601 time the rule evaluated the trail (ConfigRuleInvokedTime). */
  readonly evaluatedAt?: string;
  /** ISO 8601 time Config recorded the result. */
  readonly recordedAt?: string;
}

/** Evaluations of one account and region, counted by compliance. */
export interface ComplianceCount {
  readonly accountId: string;
  readonly region: string;
  readonly compliant: number;
  readonly nonCompliant: number;
  /** NOT_APPLICABLE and INSUFFICIENT_DATA. */
  readonly other: number;
}

export interface AggregateReport {
  readonly aggregator: string;
  readonly rule: string;
  readonly counts: readonly ComplianceCount[];
  readonly nonCompliant: readonly AggregateEvaluation[];
  readonly evaluations: readonly AggregateEvaluation[];
  /** The account-level results of account-regions where the rule could not judge every trail (see {@link notJudged}). */
  readonly notJudged: readonly AggregateEvaluation[];
}

/** What the aggregator holds for the rule: the trails' results and the sweeps' account-level ones, apart. */
export interface AggregateRead {
  readonly evaluations: AggregateEvaluation[];
  /** One per account and region a sweep reported on (rule/account-result.ts), `resourceId` the account. */
  readonly accountResults: AggregateEvaluation[];
}

/** Accounts x regions read at once: enough to be quick, few enough to stay clear of Config's throttling. */
const CONCURRENT_READS = 4;

function toEvaluation(
  result: AggregateEvaluationResult,
  accountId: string,
  region: string,
): AggregateEvaluation {
  const annotation = result.Annotation;
  const recordedAt = result.ResultRecordedTime?.toISOString();
  const evaluatedAt = result.ConfigRuleInvokedTime?.toISOString();
  return {
    accountId: result.AccountId ?? accountId,
    region: result.AwsRegion ?? region,
    resourceId: result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceId ?? '',
    compliance: result.ComplianceType ?? 'UNKNOWN',
    ...(annotation === undefined ? {} : { annotation }),
    ...(evaluatedAt === undefined ? {} : { evaluatedAt }),
    ...(recordedAt === undefined ? {} : { recordedAt }),
  };
}

/** The account-level result each sweep reports for its account and region (rule/account-result.ts), not a trail's. */
const isAccountResult = (result: AggregateEvaluationResult) =>
  result.EvaluationResultIdentifier?.EvaluationResultQualifier?.ResourceType === ACCOUNT_RESOURCE_TYPE;

/**
 * Reads every evaluation of `rule` from `aggregator`, the trails' apart from the account-level results (which
 * say whether a sweep could judge every trail there). GetAggregateComplianceDetailsByConfigRule wants one
 * account and region per call, so DescribeAggregateComplianceByConfigRules first finds where the rule has
 * results; both are read to the last page. Needs config:DescribeAggregateComplianceByConfigRules and
 * config:GetAggregateComplianceDetailsByConfigRule in the aggregator's account.
 */
export async function readAggregateEvaluations(
  client: ConfigServiceClient,
  aggregator: string,
  rule: string,
): Promise<AggregateRead> {
  const sources = await readRuleCompliance(client, aggregator, rule);
  const perSource = await mapWithLimit(sources, CONCURRENT_READS, async (place) => {
    const results = await readRuleResults(client, aggregator, rule, place);
    const read = (account: boolean) =>
      results
        .filter((result) => isAccountResult(result) === account)
        .map((result) => toEvaluation(result, place.accountId, place.region));
    return { evaluations: read(false), accountResults: read(true) };
  });
  return {
    evaluations: perSource.flatMap((read) => read.evaluations),
    accountResults: perSource.flatMap((read) => read.accountResults),
  };
}

function byPlace(a: AggregateEvaluation | ComplianceCount, b: AggregateEvaluation | ComplianceCount): number {
  return a.accountId.localeCompare(b.accountId) || a.region.localeCompare(b.region);
}

const placeOf = (evaluation: AggregateEvaluation) => `${evaluation.accountId}/${evaluation.region}`;

/**
 * The account-level results that say the rule could not judge every trail of their account-region, so the trails'
 * results there are not the whole truth: NON_COMPLIANT with the "Not judged" text, or NON_COMPLIANT where none of
 * the `nonCompliantTrails` is (the rule reports NON_COMPLIANT only for one of the two, so a text not recognised
 * still counts: fail closed). Pure.
 */
export function notJudged(
  nonCompliantTrails: readonly AggregateEvaluation[],
  accountResults: readonly AggregateEvaluation[],
): AggregateEvaluation[] {
  const withNonCompliantTrail = new Set(nonCompliantTrails.map(placeOf));
  return accountResults
    .filter(
      (result) =>
        result.compliance === 'NON_COMPLIANT' &&
        (saysTrailsNotJudged(result.annotation ?? '') || !withNonCompliantTrail.has(placeOf(result))),
    )
    .sort(byPlace);
}

/** Counts per account and region, the NON_COMPLIANT trails and the places not judged in full, in a stable order. Pure. */
export function summarise(
  aggregator: string,
  rule: string,
  { evaluations, accountResults }: AggregateRead,
): AggregateReport {
  const sorted = [...evaluations].sort((a, b) => byPlace(a, b) || a.resourceId.localeCompare(b.resourceId));
  const counts = new Map<
    string,
    { accountId: string; region: string; compliant: number; nonCompliant: number; other: number }
  >();
  for (const evaluation of sorted) {
    const key = placeOf(evaluation);
    const count = counts.get(key) ?? {
      accountId: evaluation.accountId,
      region: evaluation.region,
      compliant: 0,
      nonCompliant: 0,
      other: 0,
    };
    if (evaluation.compliance === 'COMPLIANT') count.compliant += 1;
    else if (evaluation.compliance === 'NON_COMPLIANT') count.nonCompliant += 1;
    else count.other += 1;
    counts.set(key, count);
  }
  const nonCompliant = sorted.filter((evaluation) => evaluation.compliance === 'NON_COMPLIANT');
  return {
    aggregator,
    rule,
    counts: [...counts.values()],
    nonCompliant,
    evaluations: sorted,
    notJudged: notJudged(nonCompliant, accountResults),
  };
}

/** The report as text in the chosen format. Pure. */
export function renderReport(report: AggregateReport, format: ReportFormat): string {
  if (format === 'json') {
    return renderJson({
      aggregator: report.aggregator,
      rule: report.rule,
      counts: report.counts,
      nonCompliant: report.nonCompliant,
      notJudged: report.notJudged,
      // Every row the CSV has, with the reason code scan gives, so both formats carry the same rows.
      evaluations: report.evaluations.map((e) => ({
        ...e,
        ...(e.annotation === undefined ? {} : { reasonCode: reasonCode(e.annotation) }),
      })),
    });
  }
  if (format === 'csv') {
    return renderCsv(
      ['account_id', 'region', 'trail', 'compliance', 'annotation', 'recorded_at', 'reason_code'],
      report.evaluations.map((e) => [
        e.accountId,
        e.region,
        e.resourceId,
        e.compliance,
        e.annotation ?? '',
        e.recordedAt ?? '',
        e.annotation === undefined ? '' : reasonCode(e.annotation),
      ]),
    );
  }
  if (report.evaluations.length === 0) {
    return `No evaluations of rule ${report.rule} in aggregator ${report.aggregator}: check the rule name (--rule) and that the aggregator collects the accounts and regions the rule runs in.\n`;
  }
  const accounts = new Set(report.counts.map((count) => count.accountId)).size;
  const headline = `Rule ${report.rule} in aggregator ${report.aggregator}: ${plural(report.evaluations.length, 'trail')} in ${plural(accounts, 'account')} and ${plural(report.counts.length, 'account-region')}, ${report.nonCompliant.length} NON_COMPLIANT.\n`;
  const counts = renderTable(
    ['ACCOUNT', 'REGION', 'COMPLIANT', 'NON_COMPLIANT', 'OTHER'],
    report.counts.map((c) => [
      c.accountId,
      c.region,
      String(c.compliant),
      String(c.nonCompliant),
      String(c.other),
    ]),
  );
  const findings =
    report.nonCompliant.length === 0
      ? ''
      : `\nNON_COMPLIANT trails:\n${renderTable(
          ['ACCOUNT', 'REGION', 'TRAIL', 'ANNOTATION'],
          report.nonCompliant.map((e) => [e.accountId, e.region, e.resourceId, e.annotation ?? '']),
        )}`;
  return `${headline}\n${counts}${findings}${incompleteLine(report.notJudged)}`;
}

/** The table's last line when the rule could not judge every trail somewhere; each place is named on stderr. */
function incompleteLine(places: readonly AggregateEvaluation[]): string {
  if (places.length === 0) return '';
  const named = places.map((place) => `account ${place.accountId} in ${place.region}`).join(', ');
  return `\nIncomplete: the rule could not judge every trail of ${named} (the reasons are on stderr).\n`;
}

/** The stderr line naming one account-region the rule could not judge in full, with its account-level result. */
export function notJudgedLine(place: AggregateEvaluation): string {
  return `not judged in full: account ${place.accountId} in ${place.region}: ${place.annotation ?? 'NON_COMPLIANT account-level result'} (see that account's failed evaluations of the rule in Config)`;
}
