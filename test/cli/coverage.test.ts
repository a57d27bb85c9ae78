import { describe, expect, it } from 'vitest';
import type { RuleCompliance, SourceStatus } from '../../cli/aggregator-api.js';
import {
  assessCoverage,
  type CoverageCell,
  type CoverageInput,
  renderCoverage,
  UNCOVERED,
  uncoveredLine,
} from '../../cli/coverage.js';
import { CoverageScopeError } from '../../cli/errors.js';

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ORGANIZATION_SOURCE: SourceStatus = {
  sourceId: 'o-a1b2c3d4e5',
  sourceType: 'ORGANIZATION',
  region: REGION,
  status: 'SUCCEEDED',
};
const ACCOUNT_SOURCE: SourceStatus = {
  sourceId: ACCOUNT,
  sourceType: 'ACCOUNT',
  region: REGION,
  status: 'SUCCEEDED',
};
const FAILED = {
  status: 'FAILED',
  errorCode: 'RecordedErrorCode',
  errorMessage: 'Recorded error message.',
} as const;

/** The cell of a COMPLIANT verdict whose source FAILED with the recorded error. */
const COMPLIANT_BUT_SOURCE_FAILED: Partial<CoverageCell> = {
  covered: false,
  ruleCompliance: 'COMPLIANT',
  sourceStatus: 'FAILED',
  reason: {
    code: 'sourceFailed',
    message: 'aggregator source FAILED: RecordedErrorCode: Recorded error message.',
  },
};

/** One active account and one region, with the sources and compliance given. */
function oneCell(sources: readonly SourceStatus[], compliance: readonly RuleCompliance[]): CoverageCell {
  const report = assessCoverage({
    aggregator: 'organization',
    rule: 'rule',
    accounts: { source: 'organizations', accounts: [{ id: ACCOUNT, name: 'management', state: 'ACTIVE' }] },
    regions: [REGION],
    sources,
    compliance,
  });
  expect(report.cells).toHaveLength(1);
  return report.cells[0] as CoverageCell;
}

const result = (compliance?: string): RuleCompliance => ({
  accountId: ACCOUNT,
  region: REGION,
  ...(compliance === undefined ? {} : { compliance }),
});

describe('assessCoverage: one account-region', () => {
  it.each<[string, SourceStatus[], RuleCompliance[], Partial<CoverageCell>]>([
    [
      'Covered 1: a COMPLIANT verdict, collected by the organization source',
      [ORGANIZATION_SOURCE],
      [result('COMPLIANT')],
      { covered: true, ruleCompliance: 'COMPLIANT', sourceStatus: 'SUCCEEDED' },
    ],
    [
      'Covered 2: a NON_COMPLIANT verdict (a finding is still a report)',
      [ACCOUNT_SOURCE],
      [result('NON_COMPLIANT')],
      { covered: true, ruleCompliance: 'NON_COMPLIANT', sourceStatus: 'SUCCEEDED' },
    ],
    [
      'Covered 3: a verdict from an OUTDATED source (not FAILED)',
      [{ ...ORGANIZATION_SOURCE, status: 'OUTDATED' }],
      [result('COMPLIANT')],
      { covered: true, ruleCompliance: 'COMPLIANT', sourceStatus: 'OUTDATED' },
    ],
    [
      'Covered 4: a verdict with no source status row (the aggregator evidently holds it)',
      [],
      [result('COMPLIANT')],
      { covered: true, ruleCompliance: 'COMPLIANT' },
    ],
    [
      'Uncovered 1: the account source FAILED, whatever the rule reported',
      [{ ...ACCOUNT_SOURCE, ...FAILED }, ORGANIZATION_SOURCE],
      [result('COMPLIANT')],
      COMPLIANT_BUT_SOURCE_FAILED,
    ],
    [
      'Uncovered 2: the organization source of the region FAILED, though the account source succeeded',
      [ACCOUNT_SOURCE, { ...ORGANIZATION_SOURCE, ...FAILED }],
      [result('COMPLIANT')],
      COMPLIANT_BUT_SOURCE_FAILED,
    ],
    [
      'Uncovered 3: a FAILED source without error code or message',
      [{ ...ACCOUNT_SOURCE, status: 'FAILED' }],
      [],
      {
        covered: false,
        sourceStatus: 'FAILED',
        reason: {
          code: 'sourceFailed',
          message: 'aggregator source FAILED: no error code: no error message',
        },
      },
    ],
    [
      'Uncovered 4: no result of the rule',
      [ORGANIZATION_SOURCE],
      [],
      {
        covered: false,
        sourceStatus: 'SUCCEEDED',
        reason: { code: 'noResult', message: UNCOVERED.noResult() },
      },
    ],
    [
      'Uncovered 5: INSUFFICIENT_DATA is no verdict',
      [ORGANIZATION_SOURCE],
      [result('INSUFFICIENT_DATA')],
      {
        covered: false,
        ruleCompliance: 'INSUFFICIENT_DATA',
        sourceStatus: 'SUCCEEDED',
        reason: {
          code: 'noVerdict',
          message:
            'no verdict of the rule (INSUFFICIENT_DATA): not run to completion yet, or its evaluations fail',
        },
      },
    ],
    [
      'Uncovered 6: NOT_APPLICABLE, which Config does not give a rule, is no verdict either',
      [ORGANIZATION_SOURCE],
      [result('NOT_APPLICABLE')],
      {
        covered: false,
        ruleCompliance: 'NOT_APPLICABLE',
        sourceStatus: 'SUCCEEDED',
        reason: { code: 'noVerdict', message: UNCOVERED.noVerdict('NOT_APPLICABLE') },
      },
    ],
    [
      'Uncovered 7: an entry without a compliance type',
      [ORGANIZATION_SOURCE],
      [result()],
      {
        covered: false,
        sourceStatus: 'SUCCEEDED',
        reason: { code: 'noVerdict', message: UNCOVERED.noVerdict('no compliance type') },
      },
    ],
    [
      'Uncovered 8: no source collects the account-region and no result',
      [
        { ...ACCOUNT_SOURCE, sourceId: '222222222222' },
        { ...ORGANIZATION_SOURCE, region: 'eu-west-1' },
      ],
      [],
      { covered: false, reason: { code: 'notCollected', message: UNCOVERED.notCollected() } },
    ],
  ])('%s', (_name, sources, compliance, expected) => {
    expect(oneCell(sources, compliance)).toEqual({
      accountId: ACCOUNT,
      accountName: 'management',
      region: REGION,
      ...expected,
    });
  });

  it('ignores a result of another account or region', () => {
    expect(
      oneCell(
        [ORGANIZATION_SOURCE],
        [
          { accountId: '222222222222', region: REGION, compliance: 'COMPLIANT' },
          { accountId: ACCOUNT, region: 'eu-west-1', compliance: 'COMPLIANT' },
        ],
      ).reason?.code,
    ).toBe('noResult');
  });
});

function input(overrides: Partial<CoverageInput>): CoverageInput {
  return {
    aggregator: 'organization',
    rule: 'rule',
    accounts: { source: 'organizations', accounts: [{ id: ACCOUNT, state: 'ACTIVE' }] },
    sources: [ORGANIZATION_SOURCE],
    compliance: [result('COMPLIANT')],
    ...overrides,
  };
}

describe('assessCoverage: accounts and regions', () => {
  it('governs ACTIVE accounts and those of unknown state, and lists the others apart', () => {
    const report = assessCoverage(
      input({
        accounts: {
          source: 'organizations',
          accounts: [
            { id: '333333333333', state: 'SUSPENDED' },
            { id: '222222222222' },
            { id: ACCOUNT, state: 'ACTIVE' },
            { id: '444444444444', state: 'PENDING_CLOSURE' },
            { id: '555555555555', state: 'CLOSED' },
          ],
        },
      }),
    );
    expect(report.cells.map((cell) => cell.accountId)).toEqual([ACCOUNT, '222222222222']);
    expect(report.excluded).toEqual([
      { id: '333333333333', state: 'SUSPENDED' },
      { id: '444444444444', state: 'PENDING_CLOSURE' },
      { id: '555555555555', state: 'CLOSED' },
    ]);
    expect(report.accountNote).toBeUndefined();
  });

  it("falls back to every account the aggregator knows, never an organization's id, and says so", () => {
    const report = assessCoverage(
      input({
        accounts: {
          source: 'aggregator',
          accountIds: ['444444444444'],
          refusal: 'AccessDeniedException: no',
        },
        sources: [
          ORGANIZATION_SOURCE,
          { ...ACCOUNT_SOURCE, sourceId: '222222222222' },
          { ...ACCOUNT_SOURCE, sourceId: 'not-an-account' },
        ],
        compliance: [result('COMPLIANT'), { accountId: '333333333333', region: REGION }],
      }),
    );
    expect(report.cells.map((cell) => cell.accountId)).toEqual([
      ACCOUNT,
      '222222222222',
      '333333333333',
      '444444444444',
    ]);
    expect(report.accountSource).toBe('aggregator');
    expect(report.accountNote).toBe(
      'organizations:ListAccounts was refused (AccessDeniedException: no): the accounts are those the aggregator knows, so an active account it has never collected is missing here',
    );
  });

  it("takes every region of the aggregator's sources, each once, when none is given", () => {
    const report = assessCoverage(
      input({
        sources: [
          ORGANIZATION_SOURCE,
          { ...ORGANIZATION_SOURCE, region: 'eu-west-1' },
          { ...ACCOUNT_SOURCE, region: 'eu-west-1' },
        ],
      }),
    );
    expect(report.regionSource).toBe('aggregator');
    expect(report.regions).toEqual(['eu-west-1', REGION]);
  });

  it('takes only the regions given, whatever else the aggregator collects', () => {
    const report = assessCoverage(
      input({
        regions: ['eu-west-1'],
        sources: [ORGANIZATION_SOURCE, { ...ORGANIZATION_SOURCE, region: 'eu-west-1' }],
      }),
    );
    expect(report.regionSource).toBe('option');
    expect(report.cells.map((cell) => cell.region)).toEqual(['eu-west-1']);
  });

  it.each<[string, Partial<CoverageInput>, string]>([
    [
      'no region given and no source status',
      { sources: [] },
      'aggregator organization has no source status to take the governed regions from: give them with --governed-region',
    ],
    [
      'no ACTIVE account in the organization',
      { accounts: { source: 'organizations', accounts: [{ id: ACCOUNT, state: 'SUSPENDED' }] } },
      'the organization lists no ACTIVE account to report on',
    ],
    [
      'no account known to the aggregator after a refusal',
      {
        accounts: { source: 'aggregator', accountIds: [], refusal: 'AccessDeniedException: no' },
        compliance: [],
      },
      'aggregator organization knows no account, and organizations:ListAccounts was refused (AccessDeniedException: no): the accounts are those the aggregator knows, so an active account it has never collected is missing here: run it with credentials that may call organizations:ListAccounts',
    ],
  ])('refuses to report on %s (it would read as all covered)', (_name, overrides, message) => {
    expect(() => assessCoverage(input(overrides))).toThrow(new CoverageScopeError(message));
  });
});

describe('renderCoverage', () => {
  const report = assessCoverage(
    input({
      accounts: {
        source: 'organizations',
        accounts: [
          { id: ACCOUNT, name: 'management', state: 'ACTIVE' },
          { id: '222222222222', name: 'workloads, "prod"', state: 'ACTIVE' },
        ],
      },
    }),
  );

  it('wraps the reason to the terminal width, under its row when the other columns leave it too little room', () => {
    expect(renderCoverage(report, 'table', 100).split('\n').slice(2, 6)).toEqual([
      'ACCOUNT       NAME               REGION     COVERED  RULE       SOURCE     REASON',
      '111111111111  management         us-east-1  yes      COMPLIANT  SUCCEEDED',
      '222222222222  workloads, "prod"  us-east-1  NO       -          SUCCEEDED',
      '    no result of the rule: not deployed here, no sweep finished yet, or every sweep fails',
    ]);
    expect(renderCoverage(report, 'table', 120).split('\n').slice(4, 6)).toEqual([
      '222222222222  workloads, "prod"  us-east-1  NO       -          SUCCEEDED  no result of the rule: not deployed here, no',
      '                                                                           sweep finished yet, or every sweep fails',
    ]);
  });

  it('quotes CSV fields that hold a comma or a quote', () => {
    expect(renderCoverage(report, 'csv').split('\r\n')[2]).toBe(
      `222222222222,"workloads, ""prod""",us-east-1,false,,SUCCEEDED,noResult,"${UNCOVERED.noResult()}"`,
    );
  });

  it('names an uncovered account-region in one line', () => {
    expect(uncoveredLine(report.uncovered[0] as CoverageCell)).toBe(
      `222222222222 us-east-1: ${UNCOVERED.noResult()}`,
    );
  });
});
