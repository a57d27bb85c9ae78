import {
  daysLeft,
  describeScope,
  type Exemption,
  type ExemptionList,
  type ExemptionScope,
  type ExemptionState,
  exemptionState,
} from '../common/exemptions.js';
import { type ReasonCode, reasonCode } from '../rule/reason-code.js';
import type { ReportFormat } from './args.js';
import { plural, renderCsv, renderJson, renderTable } from './render.js';
import type { AggregateEvaluation } from './report.js';

/**
 * `report --exemptions`: every exemption of the deployment's file with its state, the trails it names judged by
 * what the aggregator holds (an existing trail has an evaluation of the rule there). Pure, but for the OUs it is
 * given.
 */

/** A trail the aggregator knows exists: its account, home region and name. */
export interface ExistingTrail {
  readonly accountId: string;
  readonly region: string;
  readonly name: string;
}

/** One exemption and what it names. */
export interface ExemptionReportRow {
  /** Its position in the file's `exemptions`. */
  readonly entry: number;
  readonly scope: ExemptionScope;
  readonly state: ExemptionState;
  readonly expires: string;
  readonly daysLeft: number;
  readonly reason: string;
  readonly reference: string;
  readonly approver: string;
  /** The existing trails it names. */
  readonly trails: readonly ExistingTrail[];
}

export interface ExemptionsReport {
  readonly file: string;
  readonly aggregator: string;
  readonly rule: string;
  readonly checkedAt: Date;
  readonly rows: readonly ExemptionReportRow[];
}

/**
 * Reasons of evaluations that are not a trail existing in its account and home region: a copy seen elsewhere, a
 * trail gone, deleted or not recorded, another resource type.
 */
const NOT_AN_EXISTING_TRAIL: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'accountCopy',
  'regionCopy',
  'gone',
  'deleted',
  'notRecorded',
  'leftScope',
  'otherResourceType',
]);

/** The trails the evaluations show exist, each once (Config may hold one under its name and its ARN). */
export function existingTrails(evaluations: readonly AggregateEvaluation[]): ExistingTrail[] {
  const trails = new Map<string, ExistingTrail>();
  for (const evaluation of evaluations) {
    if (evaluation.annotation !== undefined && NOT_AN_EXISTING_TRAIL.has(reasonCode(evaluation.annotation))) {
      continue;
    }
    const name = evaluation.resourceId.startsWith('arn:')
      ? (evaluation.resourceId.split(':trail/')[1] ?? evaluation.resourceId)
      : evaluation.resourceId;
    const trail = { accountId: evaluation.accountId, region: evaluation.region, name };
    trails.set(`${trail.accountId}/${trail.region}/${name}`, trail);
  }
  return [...trails.values()];
}

/** The accounts whose OUs an OU entry needs: those holding a trail of an OU entry's name. */
export function accountsNeedingUnits(list: ExemptionList, trails: readonly ExistingTrail[]): string[] {
  const names = new Set(
    list.exemptions.flatMap(({ scope }) => (scope.kind === 'organizationalUnit' ? [scope.trailName] : [])),
  );
  return [...new Set(trails.filter((trail) => names.has(trail.name)).map((trail) => trail.accountId))];
}

function names(
  scope: ExemptionScope,
  trail: ExistingTrail,
  unitsOf: ReadonlyMap<string, ReadonlySet<string>>,
): boolean {
  switch (scope.kind) {
    case 'trail': {
      const [, , , region, account] = scope.trailArn.split(':');
      const name = scope.trailArn.split(':trail/')[1];
      return trail.accountId === account && trail.region === region && trail.name === name;
    }
    case 'account':
      return trail.accountId === scope.account;
    case 'organizationalUnit':
      return (
        trail.name === scope.trailName && unitsOf.get(trail.accountId)?.has(scope.organizationalUnit) === true
      );
  }
}

function rowOf(
  exemption: Exemption,
  trails: readonly ExistingTrail[],
  unitsOf: ReadonlyMap<string, ReadonlySet<string>>,
  now: Date,
): ExemptionReportRow {
  const named = trails.filter((trail) => names(exemption.scope, trail, unitsOf));
  return {
    entry: exemption.index,
    scope: exemption.scope,
    state: exemptionState(exemption, now, named.length > 0),
    expires: exemption.expires,
    daysLeft: daysLeft(exemption, now),
    reason: exemption.reason,
    reference: exemption.reference,
    approver: exemption.approver,
    trails: named,
  };
}

/**
 * Each exemption of `list` at `now`, in the file's order, with the existing trails it names; `unitsOf` holds the
 * OUs of every account {@link accountsNeedingUnits} named.
 */
export function summariseExemptions(
  source: { readonly file: string; readonly aggregator: string; readonly rule: string },
  list: ExemptionList,
  evaluations: readonly AggregateEvaluation[],
  unitsOf: ReadonlyMap<string, ReadonlySet<string>>,
  now: Date,
): ExemptionsReport {
  const trails = existingTrails(evaluations);
  return {
    ...source,
    checkedAt: now,
    rows: list.exemptions.map((exemption) => rowOf(exemption, trails, unitsOf, now)),
  };
}

/** True when an exemption needs the file changed: expired, or naming no existing trail. */
export function needsAttention(report: ExemptionsReport): boolean {
  return report.rows.some((row) => row.state === 'expired' || row.state === 'unmatched');
}

const STATES: readonly ExemptionState[] = ['active', 'expiring', 'expired', 'unmatched'];

function trailLabel(trail: ExistingTrail): string {
  return `${trail.accountId}/${trail.region}/${trail.name}`;
}

/** The report as text in the chosen format. Pure. */
export function renderExemptionsReport(report: ExemptionsReport, format: ReportFormat): string {
  const checkedAt = report.checkedAt.toISOString();
  if (format === 'json') {
    return renderJson({
      file: report.file,
      aggregator: report.aggregator,
      rule: report.rule,
      checkedAt,
      summary: Object.fromEntries(
        STATES.map((state) => [state, report.rows.filter((r) => r.state === state).length]),
      ),
      exemptions: report.rows,
    });
  }
  if (format === 'csv') {
    return renderCsv(
      [
        'entry',
        'state',
        'expires',
        'days_left',
        'scope',
        'reference',
        'approver',
        'reason',
        'trails',
        'checked_at',
      ],
      report.rows.map((row) => [
        String(row.entry),
        row.state,
        row.expires,
        String(row.daysLeft),
        describeScope(row.scope),
        row.reference,
        row.approver,
        row.reason,
        row.trails.map(trailLabel).join(' '),
        checkedAt,
      ]),
    );
  }
  if (report.rows.length === 0) return `No exemptions in ${report.file}.\n`;
  const counts = STATES.map((state) => `${report.rows.filter((row) => row.state === state).length} ${state}`);
  const headline = `${plural(report.rows.length, 'exemption')} in ${report.file}, against rule ${report.rule} in aggregator ${report.aggregator} at ${checkedAt}: ${counts.join(', ')}.\n`;
  const table = renderTable(
    ['ENTRY', 'STATE', 'EXPIRES', 'DAYS LEFT', 'TRAILS', 'SCOPE', 'REFERENCE', 'APPROVER', 'REASON'],
    report.rows.map((row) => [
      String(row.entry),
      row.state,
      row.expires,
      String(row.daysLeft),
      String(row.trails.length),
      describeScope(row.scope),
      row.reference,
      row.approver,
      row.reason,
    ]),
  );
  return `${headline}\n${table}`;
}
