import { describe, expect, it } from 'vitest';
import type { RecordedExchange } from '../e2e/call-recorder.js';
import type { DeclaredPrincipal } from '../e2e/principals.js';
import { type CheckInput, runCheck } from './check.js';
import { ACCESS_KEY, exchange, jsonRequest, OK, queryRequest } from './exchanges.js';
import type { Guardrail, ReviewedGrant } from './reviewed.js';
import { OPERATOR_LABEL } from './roles.js';
import type { PolicyDocument } from './templates.js';

/**
 * The check over a hand-made recording of the operator's calls and an operator policy: no template is
 * synthesized (the roles of the catalogue have no deployment here), so each rule of the check shows on its own.
 * test/privilege/recorded runs the same check over the e2e tier's recording and the real templates.
 */

const OPERATOR: DeclaredPrincipal = { type: 'operator', command: 'scan' };
const DESCRIBE_TRAILS = exchange(
  jsonRequest('cloudtrail', 'CloudTrail_20131101.DescribeTrails', {}),
  OK,
  1,
  'scans a region',
);
const GET_TRAIL = exchange(
  jsonRequest('cloudtrail', 'CloudTrail_20131101.GetTrail', {
    Name: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/main',
  }),
  OK,
  2,
  'plans a fix',
);

function policy(...statements: Record<string, unknown>[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

const READ_TRAILS = {
  Sid: 'ReadTrails',
  Effect: 'Allow',
  Action: 'cloudtrail:DescribeTrails',
  Resource: '*',
};
const GET_TRAILS = {
  Sid: 'GetTrails',
  Effect: 'Allow',
  Action: 'cloudtrail:GetTrail',
  Resource: 'arn:aws:cloudtrail:*:*:trail/*',
};

function input(
  exchanges: readonly RecordedExchange[],
  operatorPolicy: PolicyDocument,
  options: { reviewed?: ReviewedGrant[]; guardrails?: Guardrail[]; complete?: boolean } = {},
): CheckInput {
  return {
    recording: {
      exchanges,
      principals: new Map([[ACCESS_KEY, OPERATOR]]),
      complete: options.complete ?? true,
    },
    deployments: new Map(),
    operatorPolicy,
    reviewed: options.reviewed ?? [],
    guardrails: options.guardrails ?? [],
  };
}

describe('runCheck', () => {
  it('passes when every call is allowed and every granted action is used, and says which scenario uses it', async () => {
    const report = await runCheck(input([DESCRIBE_TRAILS, GET_TRAIL], policy(READ_TRAILS, GET_TRAILS)));
    expect(report).toMatchObject({ failures: [], calls: 2, pairs: 2 });
    expect(report.coverage).toEqual([
      {
        label: OPERATOR_LABEL,
        key: 'docs/cli.md operator policy/ReadTrails',
        sid: 'ReadTrails',
        effect: 'Allow',
        action: 'cloudtrail:DescribeTrails',
        resources: ['*'],
        neededBy: ['cloudtrail:DescribeTrails'],
        scenarios: ['cli.test.ts › scans a region'],
      },
      {
        label: OPERATOR_LABEL,
        key: 'docs/cli.md operator policy/GetTrails',
        sid: 'GetTrails',
        effect: 'Allow',
        action: 'cloudtrail:GetTrail',
        resources: ['arn:aws:cloudtrail:*:*:trail/*'],
        neededBy: ['cloudtrail:GetTrail'],
        scenarios: ['cli.test.ts › plans a fix'],
      },
    ]);
  });

  it('fails naming the call, the role and the missing statement when a call is denied', async () => {
    const report = await runCheck(input([DESCRIBE_TRAILS, GET_TRAIL], policy(READ_TRAILS)));
    expect(report.failures).toEqual([
      'scenario "cli.test.ts › plans a fix": the operator running `scan` called cloudtrail:GetTrail, which needs ' +
        'cloudtrail:GetTrail on arn:aws:cloudtrail:us-east-1:123456789012:trail/main (cloudtrail:GetTrail); role ' +
        '"command-line operator" (arn:aws:iam::123456789012:role/operator) is ImplicitlyDenied. Missing statement: ' +
        '{"Effect":"Allow","Action":"cloudtrail:GetTrail","Resource":"arn:aws:cloudtrail:us-east-1:123456789012:trail/main"} ' +
        '(or a pattern covering it), in its policy.',
    ]);
  });

  it('names the deny statement that refuses a call', async () => {
    const deny = { Sid: 'NoTrailReads', Effect: 'Deny', Action: 'cloudtrail:GetTrail', Resource: '*' };
    const guardrail: Guardrail = {
      roles: [OPERATOR_LABEL],
      sid: 'NoTrailReads',
      probe: () => ({
        action: 'cloudtrail:GetTrail',
        resource: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/x',
        resourceType: 'trail',
        context: {},
        neededBy: 'probe',
      }),
      reason: 'a test',
    };
    const report = await runCheck(
      input([DESCRIBE_TRAILS, GET_TRAIL], policy(READ_TRAILS, GET_TRAILS, deny), { guardrails: [guardrail] }),
    );
    expect(report.failures).toEqual([
      expect.stringContaining(
        'is ExplicitlyDenied. Denied by statement docs/cli.md operator policy/NoTrailReads of "command-line operator".',
      ),
    ]);
  });

  it('fails when a granted action is used by no recorded call', async () => {
    const report = await runCheck(input([DESCRIBE_TRAILS], policy(READ_TRAILS, GET_TRAILS)));
    expect(report.failures).toEqual([
      'Role "command-line operator", statement docs/cli.md operator policy/GetTrails grants cloudtrail:GetTrail on ' +
        'arn:aws:cloudtrail:*:*:trail/*, but no recorded call uses it: remove it from the statement, record a ' +
        'scenario that makes the call, or list it in REVIEWED_GRANTS (test/privilege/reviewed.ts) with the reason ' +
        'the emulator cannot reach it.',
    ]);
  });

  it('accepts an unused action the reviewed list names, and shows its reason', async () => {
    const reviewed = {
      roles: [OPERATOR_LABEL],
      sid: 'GetTrails',
      actions: ['cloudtrail:GetTrail'],
      reason: 'why',
    };
    const report = await runCheck(
      input([DESCRIBE_TRAILS], policy(READ_TRAILS, GET_TRAILS), { reviewed: [reviewed] }),
    );
    expect(report.failures).toEqual([]);
    expect(report.coverage[1]).toMatchObject({
      action: 'cloudtrail:GetTrail',
      reviewed: 'why',
      scenarios: [],
    });
  });

  it.each([
    {
      problem: 'an entry a recorded call now uses',
      entry: { roles: [OPERATOR_LABEL], sid: 'GetTrails', actions: ['cloudtrail:GetTrail'], reason: 'why' },
      failure: 'so it no longer belongs in the reviewed list: remove it from REVIEWED_GRANTS',
    },
    {
      problem: 'an entry that matches no grant',
      entry: { roles: [OPERATOR_LABEL], sid: 'Gone', actions: ['cloudtrail:StopLogging'], reason: 'why' },
      failure:
        'REVIEWED_GRANTS entry Gone (cloudtrail:StopLogging) for command-line operator matches no grant',
    },
  ])('fails on $problem', async ({ entry, failure }) => {
    const report = await runCheck(
      input([DESCRIBE_TRAILS, GET_TRAIL], policy(READ_TRAILS, GET_TRAILS), { reviewed: [entry] }),
    );
    expect(report.failures).toEqual([expect.stringContaining(failure)]);
  });

  it('fails on a deny statement without a probe, and on a probe the statement does not deny', async () => {
    const deny = { Sid: 'NoStopLogging', Effect: 'Deny', Action: 'cloudtrail:StopLogging', Resource: '*' };
    const withoutProbe = await runCheck(input([DESCRIBE_TRAILS], policy(READ_TRAILS, deny)));
    const wrongProbe = await runCheck(
      input([DESCRIBE_TRAILS], policy(READ_TRAILS, deny), {
        guardrails: [
          {
            roles: [OPERATOR_LABEL],
            sid: 'NoStopLogging',
            probe: () => ({
              action: 'cloudtrail:DescribeTrails',
              resource: '*',
              resourceType: undefined,
              context: {},
              neededBy: 'probe',
            }),
            reason: 'a test',
          },
        ],
      }),
    );
    expect([withoutProbe.failures, wrongProbe.failures]).toEqual([
      [
        expect.stringContaining(
          'deny statement docs/cli.md operator policy/NoStopLogging has no probe in GUARDRAILS',
        ),
      ],
      [expect.stringContaining('its probe cloudtrail:DescribeTrails on * is Allowed')],
    ]);
  });

  it.each([
    {
      problem: 'a request with credentials no principal was declared for',
      exchanges: [
        exchange(
          jsonRequest(
            'cloudtrail',
            'CloudTrail_20131101.DescribeTrails',
            {},
            { accessKey: 'AKIAUNKNOWN0000000000' },
          ),
        ),
      ],
      failure:
        'scenario "cli.test.ts › a scenario": cloudtrail:DescribeTrails was sent with access key AKIAUNKNOWN0000000000, ' +
        'which stands for no declared principal',
    },
    {
      problem: 'an operation without an authorization entry',
      exchanges: [exchange(queryRequest('iam', 'DeleteRole', { RoleName: 'r' }))],
      failure:
        'iam:DeleteRole has no authorization entry: add it to OPERATIONS in test/privilege/authorization.ts',
    },
  ])('fails on $problem', async ({ exchanges, failure }) => {
    const report = await runCheck(input([DESCRIBE_TRAILS, ...exchanges], policy(READ_TRAILS)));
    expect(report.failures).toEqual([expect.stringContaining(failure)]);
  });

  it('fails on a recording of a run that did not finish', async () => {
    const report = await runCheck(input([DESCRIBE_TRAILS], policy(READ_TRAILS), { complete: false }));
    expect(report.failures).toEqual([
      'The recording is from an e2e run that did not finish: run the whole tier (npm run test:e2e) again.',
    ]);
  });

  it('stops at the first failure when asked to', async () => {
    const report = await runCheck(input([GET_TRAIL, GET_TRAIL], policy(READ_TRAILS)), { failFast: true });
    expect(report.failures).toHaveLength(1);
  });
});

describe('runCheck, guardrails', () => {
  it('fails on a probe whose deny statement is gone', async () => {
    const probe: Guardrail = {
      roles: [OPERATOR_LABEL],
      sid: 'NoStopLogging',
      probe: () => ({
        action: 'cloudtrail:StopLogging',
        resource: '*',
        resourceType: undefined,
        context: {},
        neededBy: 'probe',
      }),
      reason: 'a test',
    };
    const report = await runCheck(input([DESCRIBE_TRAILS], policy(READ_TRAILS), { guardrails: [probe] }));
    expect(report.failures).toEqual([
      'GUARDRAILS probe NoStopLogging for "command-line operator" matches no deny statement of that role: restore ' +
        'the statement, or remove the probe (test/privilege/reviewed.ts).',
    ]);
  });
});
