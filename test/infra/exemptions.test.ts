import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { InvalidExemptionsError } from '../../common/exemptions.js';
import { InvalidContextError, parseGuardContext } from '../../infra/context.js';
import { loadExemptionsFile } from '../../infra/exemptions.js';
import { createGuardApp } from '../../infra/guard-app.js';
import { parseOrganizationContext } from '../../infra/organization/context.js';
import { HubStack } from '../../infra/organization/hub-stack.js';
import { organizationNames } from '../../infra/organization/names.js';
import { resolveIntrinsics } from './organization/resolve.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const SYNTH_TIMEOUT_MS = 60_000;
const OU = 'ou-ab12-paym0001';

const ENTRY = {
  trailArn: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/data-events',
  reason: 'Data events trail; ingest would cost about $4,000 a month.',
  reference: 'SEC-1234',
  approver: 'ciso@example.com',
  expires: '2026-04-15',
};
const OU_ENTRY = { ...ENTRY, trailArn: undefined, trailName: 'landing-zone', organizationalUnit: OU };

function fileWith(...entries: unknown[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'guard-exemptions-')), 'exemptions.json');
  writeFileSync(path, JSON.stringify({ version: 1, exemptions: entries }, null, 2));
  return path;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('it did not fail');
}

describe('loadExemptionsFile', () => {
  it('keeps the exact text the Lambdas get, and the validated list', () => {
    const path = fileWith(ENTRY);
    const loaded = loadExemptionsFile(path, { now: NOW, organizationalUnits: false });
    expect(loaded.text).toBe(readFileSync(path, 'utf8'));
    expect(loaded.list.exemptions.map((exemption) => exemption.reference)).toEqual(['SEC-1234']);
  });

  it('fails the synth on a file that cannot be read, naming the context key', () => {
    const failure = errorOf(() =>
      loadExemptionsFile('/nonexistent/exemptions.json', { now: NOW, organizationalUnits: false }),
    );
    expect(failure).toBeInstanceOf(InvalidContextError);
    expect(failure.message).toBe(
      `Invalid CDK context 'exemptions': got "/nonexistent/exemptions.json"; expected the path of a readable exemptions file (ENOENT). Pass it as -c exemptions=<value> or set it under "context" in cdk.json.`,
    );
  });

  it.each([
    ['an expired entry', { ...ENTRY, expires: '2026-02-01' }, 'expired on 2026-02-01'],
    [
      'an entry past the maximum term',
      { ...ENTRY, expires: '2026-07-01' },
      'beyond the maximum term of 90 days',
    ],
    ['an unknown field', { ...ENTRY, tags: { exempt: 'true' } }, 'unknown field(s) tags'],
  ])('fails the synth on %s, naming the file and the entry', (_, entry, problem) => {
    const path = fileWith(entry);
    const failure = errorOf(() => loadExemptionsFile(path, { now: NOW, organizationalUnits: false }));
    expect(failure).toBeInstanceOf(InvalidExemptionsError);
    expect(failure.message).toMatch(`Invalid exemptions in ${path}: exemptions[0] (SEC-1234): `);
    expect(failure.message).toContain(problem);
  });
});

describe('createGuardApp with -c exemptions', () => {
  const context = (path: string) => ({ 'aws:cdk:bundling-stacks': [], exemptions: path });

  it('builds the stack with a valid file', { timeout: SYNTH_TIMEOUT_MS }, () => {
    const { stack } = createGuardApp({ context: context(fileWith(ENTRY)), now: NOW });
    expect(stack.stackName).toBe('cloudtrail-logs-guard');
  });

  it('refuses trails named in an OU in single-account mode, where nothing may read the organization', () => {
    const failure = errorOf(() => createGuardApp({ context: context(fileWith(OU_ENTRY)), now: NOW }));
    expect(failure).toBeInstanceOf(InvalidExemptionsError);
    expect((failure as InvalidExemptionsError).problems).toEqual([
      'exemptions[0] (SEC-1234): names trails in an organizational unit, which only organization mode can resolve (its hub reads the organization); name the trail by trailArn or account',
    ]);
  });

  it('refuses an empty path', () => {
    expect(() => createGuardApp({ context: { exemptions: ' ' } })).toThrow(
      `Invalid CDK context 'exemptions': got " "; expected the path of the exemptions JSON file.`,
    );
  });
});

describe('HubStack with exemptions', () => {
  const settings = parseGuardContext(() => undefined);
  const organizationValues: Record<string, string> = {
    organizationId: 'o-a1b2c3d4e5',
    deploymentTargets: 'r-ab12',
    governedRegions: 'eu-west-1',
  };
  const organization = parseOrganizationContext((key) => organizationValues[key]);
  const hubWith = (...entries: unknown[]) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const hub = new HubStack(app, 'Hub', {
      env: { account: '111111111111', region: 'eu-west-1' },
      settings,
      organization,
      names: organizationNames(undefined),
      organizationWide: false,
      exemptions: loadExemptionsFile(fileWith(...entries), { now: NOW, organizationalUnits: true }),
    });
    return { app, template: Template.fromStack(hub) };
  };
  const listParents = {
    Sid: 'ReadOrganizationalUnitsForExemptions',
    Effect: 'Allow',
    Action: 'organizations:ListParents',
    Resource: [
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':organizations::*:account/o-a1b2c3d4e5/*']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':organizations::*:ou/o-a1b2c3d4e5/*']] },
    ],
  };

  it('lets both hub Lambdas read the OUs of this organization only when an entry names trails in an OU, cdk-nag clean', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { app, template } = hubWith(OU_ENTRY);
    const policies = template.findResources('AWS::IAM::Policy', {
      Properties: { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike(listParents)]) } },
    });
    expect(Object.keys(policies)).toHaveLength(2);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).not.toThrow();
  });

  it.each([
    [
      'an account of the organization',
      'organizations:ListParents',
      'account/o-a1b2c3d4e5/222222222222',
      'Allowed',
    ],
    ['an OU of the organization', 'organizations:ListParents', 'ou/o-a1b2c3d4e5/ou-ab12-paym0001', 'Allowed'],
    [
      'an account of another organization',
      'organizations:ListParents',
      'account/o-zzzzzzzzzz/222222222222',
      'ImplicitlyDenied',
    ],
    [
      'anything but ListParents',
      'organizations:DescribeAccount',
      'account/o-a1b2c3d4e5/222222222222',
      'ImplicitlyDenied',
    ],
  ])(
    'lets the hub read the parents of %s only (%s)',
    { timeout: SYNTH_TIMEOUT_MS },
    async (_, action, resource, expected) => {
      const statement = resolveIntrinsics(listParents, { 'AWS::Partition': 'aws' });
      const response = await runSimulation(
        {
          request: {
            principal: 'arn:aws:iam::111111111111:role/cloudtrail-logs-guard-hub-rule-eu-west-1',
            action,
            resource: {
              resource: `arn:aws:organizations::999999999999:${resource}`,
              // The identity policy alone: the hub's own account, so no resource policy takes part.
              accountId: '111111111111',
            },
            contextVariables: {},
          },
          identityPolicies: [{ name: 'hub', policy: { Version: '2012-10-17', Statement: [statement] } }],
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
      if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
      expect(response.overallResult).toBe(expected);
    },
  );

  it('grants no Organizations read for exemptions by trail ARN or account', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { template } = hubWith(ENTRY, { ...ENTRY, trailArn: undefined, account: '222222222222' });
    expect(JSON.stringify(template.toJSON())).not.toContain('organizations:ListParents');
  });
});
