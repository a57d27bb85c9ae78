import { ACCOUNT_ID_PATTERN } from '../common/aws-identifiers.js';
import type { RuleCompliance, SourceStatus } from './aggregator-api.js';
import type { ReportFormat } from './args.js';
import { CoverageScopeError } from './errors.js';
import type { OrganizationAccount } from './organization-accounts.js';
import { plural, renderCsv, renderJson, renderTable } from './render.js';

/**
 * `report --coverage`: which account-regions the rule has reported for. Pure: what the aggregator and
 * Organizations answered goes in, the verdict per account and region and its text come out.
 *
 * An account-region is covered when the aggregator holds a verdict of the rule there (its compliance is
 * COMPLIANT or NON_COMPLIANT) and no aggregator source that collects it is FAILED. Config's rule compliance is
 * COMPLIANT, NON_COMPLIANT or INSUFFICIENT_DATA, and "Config returns the INSUFFICIENT_DATA value when no
 * evaluation results are available" (Config API reference, Compliance): a rule that has never completed an
 * evaluation, or whose every evaluation fails, has reported nothing, so INSUFFICIENT_DATA is not covered.
 * DescribeAggregateComplianceByConfigRules "does not display rules that do not have compliance results": an
 * account-region it does not list has no result at all.
 */

/** Why an account-region is not covered. */
export type UncoveredCode = 'sourceFailed' | 'notCollected' | 'noResult' | 'noVerdict';

/** Where the report's accounts come from: the organization, or (ListAccounts refused) the aggregator. */
export type AccountList =
  | { readonly source: 'organizations'; readonly accounts: readonly OrganizationAccount[] }
  | {
      readonly source: 'aggregator';
      readonly accountIds: readonly string[];
      /** How ListAccounts was refused: `Code: message`. */
      readonly refusal: string;
    };

export interface CoverageInput {
  readonly aggregator: string;
  readonly rule: string;
  readonly accounts: AccountList;
  /** The governed regions given with `--governed-region`; undefined takes the regions of the aggregator's sources. */
  readonly regions?: readonly string[];
  readonly sources: readonly SourceStatus[];
  readonly compliance: readonly RuleCompliance[];
}

export interface CoverageCell {
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
  readonly covered: boolean;
  /** The rule's compliance there; undefined when the aggregator holds none. */
  readonly ruleCompliance?: string;
  /** LastUpdateStatus of the source that decides (a FAILED one first); undefined when none collects it. */
  readonly sourceStatus?: string;
  readonly reason?: { readonly code: UncoveredCode; readonly message: string };
}

export interface CoverageReport {
  readonly aggregator: string;
  readonly rule: string;
  readonly accountSource: AccountList['source'];
  /** Said whenever the accounts are the aggregator's: why, and what that leaves out. */
  readonly accountNote?: string;
  /** Accounts the organization lists that are not ACTIVE (SUSPENDED, PENDING_CLOSURE, ...): not governed. */
  readonly excluded: readonly OrganizationAccount[];
  readonly regionSource: 'option' | 'aggregator';
  readonly regions: readonly string[];
  /** Every account x region, ordered by account then region. */
  readonly cells: readonly CoverageCell[];
  readonly uncovered: readonly CoverageCell[];
}

/** Rule compliance that is a verdict of the rule: the rule has judged at least one trail there. */
const VERDICTS = new Set(['COMPLIANT', 'NON_COMPLIANT']);

/** The text of each reason, in one table the tests and docs/cli.md use. */
export const UNCOVERED = {
  sourceFailed: (source: SourceStatus) =>
    `aggregator source FAILED: ${source.errorCode ?? 'no error code'}: ${source.errorMessage ?? 'no error message'}`,
  notCollected: () => 'not collected: the aggregator has no source status for this account and region',
  noResult: () => 'no result of the rule: not deployed here, no sweep finished yet, or every sweep fails',
  noVerdict: (compliance: string) =>
    `no verdict of the rule (${compliance}): not run to completion yet, or its evaluations fail`,
} as const;

function isActive(account: OrganizationAccount): boolean {
  // An account whose state ListAccounts did not give is kept: the report never drops an account it cannot
  // show to be inactive.
  return account.state === undefined || account.state === 'ACTIVE';
}

/** The accounts to report on, with those left out and the note that says where they come from. */
function governedAccounts(input: CoverageInput): {
  accounts: OrganizationAccount[];
  excluded: OrganizationAccount[];
  note?: string;
} {
  const { accounts } = input;
  if (accounts.source === 'organizations') {
    return {
      accounts: accounts.accounts.filter(isActive),
      excluded: accounts.accounts.filter((account) => !isActive(account)),
    };
  }
  const known = new Set([
    ...accounts.accountIds,
    ...input.sources
      .filter((source) => source.sourceType !== 'ORGANIZATION')
      .map((source) => source.sourceId),
    ...input.compliance.map((entry) => entry.accountId),
  ]);
  return {
    accounts: [...known].filter((id) => ACCOUNT_ID_PATTERN.test(id)).map((id) => ({ id })),
    excluded: [],
    note: `organizations:ListAccounts was refused (${accounts.refusal}): the accounts are those the aggregator knows, so an active account it has never collected is missing here`,
  };
}

/** The sources that collect `accountId` in `region`: its own account source, and any organization source. */
function sourcesOf(sources: readonly SourceStatus[], accountId: string, region: string): SourceStatus[] {
  return sources.filter(
    (source) =>
      source.region === region && (source.sourceId === accountId || source.sourceType === 'ORGANIZATION'),
  );
}

function assessCell(
  account: OrganizationAccount,
  region: string,
  sources: readonly SourceStatus[],
  compliance: RuleCompliance | undefined,
): CoverageCell {
  const collecting = sourcesOf(sources, account.id, region);
  // Whether an organization aggregator reports one row per account or one for the organization is not
  // documented: a FAILED row of either kind that collects this account-region makes it uncovered.
  const failed = collecting.find((source) => source.status === 'FAILED');
  const decisive = failed ?? collecting.find((source) => source.sourceId === account.id) ?? collecting[0];
  const base = {
    accountId: account.id,
    ...(account.name === undefined ? {} : { accountName: account.name }),
    region,
    ...(compliance?.compliance === undefined ? {} : { ruleCompliance: compliance.compliance }),
    ...(decisive?.status === undefined ? {} : { sourceStatus: decisive.status }),
  };
  const uncovered = (code: UncoveredCode, message: string): CoverageCell => ({
    ...base,
    covered: false,
    reason: { code, message },
  });
  if (failed !== undefined) return uncovered('sourceFailed', UNCOVERED.sourceFailed(failed));
  if (compliance === undefined) {
    return collecting.length === 0
      ? uncovered('notCollected', UNCOVERED.notCollected())
      : uncovered('noResult', UNCOVERED.noResult());
  }
  const type = compliance.compliance ?? 'no compliance type';
  if (!VERDICTS.has(type)) return uncovered('noVerdict', UNCOVERED.noVerdict(type));
  return { ...base, covered: true };
}

/**
 * Every governed account x region with its verdict. Throws {@link CoverageScopeError} when there is no account
 * or no region to report on: an empty report would read as "everything covered".
 */
export function assessCoverage(input: CoverageInput): CoverageReport {
  const { accounts, excluded, note } = governedAccounts(input);
  const regions = [...new Set(input.regions ?? input.sources.map((source) => source.region))].sort();
  if (regions.length === 0) {
    throw new CoverageScopeError(
      `aggregator ${input.aggregator} has no source status to take the governed regions from: give them with --governed-region`,
    );
  }
  if (accounts.length === 0) {
    throw new CoverageScopeError(
      input.accounts.source === 'organizations'
        ? 'the organization lists no ACTIVE account to report on'
        : `aggregator ${input.aggregator} knows no account, and ${note}: run it with credentials that may call organizations:ListAccounts`,
    );
  }
  const compliance = new Map(input.compliance.map((entry) => [`${entry.accountId}/${entry.region}`, entry]));
  const cells = [...accounts]
    .sort((a, b) => a.id.localeCompare(b.id))
    .flatMap((account) =>
      regions.map((region) =>
        assessCell(account, region, input.sources, compliance.get(`${account.id}/${region}`)),
      ),
    );
  return {
    aggregator: input.aggregator,
    rule: input.rule,
    accountSource: input.accounts.source,
    ...(note === undefined ? {} : { accountNote: note }),
    excluded: [...excluded].sort((a, b) => a.id.localeCompare(b.id)),
    regionSource: input.regions === undefined ? 'aggregator' : 'option',
    regions,
    cells,
    uncovered: cells.filter((cell) => !cell.covered),
  };
}

/** `222222222222 us-east-1: reason`: how an uncovered account-region is named on stderr. */
export function uncoveredLine(cell: CoverageCell): string {
  return `${cell.accountId} ${cell.region}: ${cell.reason?.message ?? 'not covered'}`;
}

function headline(report: CoverageReport): string {
  const accounts = new Set(report.cells.map((cell) => cell.accountId)).size;
  const accountsFrom =
    report.accountSource === 'organizations' ? 'from AWS Organizations' : 'known to the aggregator';
  const regionsFrom =
    report.regionSource === 'option' ? 'from --governed-region' : "of the aggregator's sources";
  const covered = report.cells.length - report.uncovered.length;
  return `Coverage of rule ${report.rule} in aggregator ${report.aggregator}: ${covered} of ${plural(report.cells.length, 'account-region')} covered, ${report.uncovered.length} uncovered (${plural(accounts, 'account')} ${accountsFrom}, ${plural(report.regions.length, 'region')} ${regionsFrom}: ${report.regions.join(', ')}).`;
}

function jsonCell(cell: CoverageCell) {
  return {
    accountId: cell.accountId,
    accountName: cell.accountName ?? null,
    region: cell.region,
    covered: cell.covered,
    ruleCompliance: cell.ruleCompliance ?? null,
    sourceStatus: cell.sourceStatus ?? null,
    reasonCode: cell.reason?.code ?? null,
    reason: cell.reason?.message ?? null,
  };
}

/** The report as text in the chosen format; `width` wraps the table's last column to a terminal. Pure. */
export function renderCoverage(
  report: CoverageReport,
  format: Exclude<ReportFormat, 'asff' | 'ocsf'>,
  width?: number,
): string {
  if (format === 'json') {
    return renderJson({
      aggregator: report.aggregator,
      rule: report.rule,
      covered: report.uncovered.length === 0,
      accounts: {
        source: report.accountSource,
        note: report.accountNote ?? null,
        excluded: report.excluded.map((account) => ({
          accountId: account.id,
          accountName: account.name ?? null,
          state: account.state ?? null,
        })),
      },
      regions: { source: report.regionSource, regions: report.regions },
      summary: {
        accountRegions: report.cells.length,
        covered: report.cells.length - report.uncovered.length,
        uncovered: report.uncovered.length,
      },
      coverage: report.cells.map(jsonCell),
      uncovered: report.uncovered.map(jsonCell),
    });
  }
  if (format === 'csv') {
    return renderCsv(
      [
        'account_id',
        'account_name',
        'region',
        'covered',
        'rule_compliance',
        'source_status',
        'reason_code',
        'reason',
      ],
      report.cells.map((cell) => [
        cell.accountId,
        cell.accountName ?? '',
        cell.region,
        String(cell.covered),
        cell.ruleCompliance ?? '',
        cell.sourceStatus ?? '',
        cell.reason?.code ?? '',
        cell.reason?.message ?? '',
      ]),
    );
  }
  const note = report.accountNote === undefined ? '' : `Note: ${report.accountNote}.\n`;
  const table = renderTable(
    ['ACCOUNT', 'NAME', 'REGION', 'COVERED', 'RULE', 'SOURCE', 'REASON'],
    report.cells.map((cell) => [
      cell.accountId,
      cell.accountName ?? '',
      cell.region,
      cell.covered ? 'yes' : 'NO',
      cell.ruleCompliance ?? '-',
      cell.sourceStatus ?? '-',
      cell.reason?.message ?? '',
    ]),
    width,
  );
  const excluded =
    report.excluded.length === 0
      ? ''
      : `\nNot governed (not ACTIVE): ${report.excluded.map((account) => `${account.id} (${account.state})`).join(', ')}.\n`;
  const uncovered =
    report.uncovered.length === 0
      ? ''
      : `\nUncovered: ${report.uncovered.map((cell) => `${cell.accountId} ${cell.region}`).join(', ')}.\n`;
  return `${headline(report)}\n${note}\n${table}${excluded}${uncovered}`;
}
