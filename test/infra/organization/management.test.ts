import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { describe, expect, it } from 'vitest';
import { InvalidContextError, parseGuardContext } from '../../../infra/context.js';
import {
  type OrganizationContextKey,
  parseHubAccountId,
  parseOrganizationContext,
} from '../../../infra/organization/context.js';
import { addOrganizationHubs } from '../../../infra/organization/hubs.js';
import { createManagementApp } from '../../../infra/organization/management.js';
import { TEMPLATE_BODY_MAX_BYTES } from '../../../infra/organization/spoke-template.js';
import { CDK_JSON_CONTEXT, SYNTH_TIMEOUT_MS } from '../support.js';

/**
 * The management account's app (infra/management-app.ts): the spoke the StackSet deploys to members, deployed by
 * `cdk deploy` to the management account in every governed region, from the same SpokeStack.
 */

const HUB = '111111111111';
/** The management account: the stacks leave it to the CLI's credentials, and CloudFormation fills it in. */
const MANAGEMENT = '444444444444';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
const EU_KEY = 'arn:aws:kms:eu-west-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const US_KEY = 'arn:aws:kms:us-east-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

/** The organization app's context (as in .ci/run), which the management app reads too. */
const ORGANIZATION_CONTEXT = {
  organizationId: 'o-a1b2c3d4e5',
  deploymentTargets: 'r-ab12',
  governedRegions: REGIONS.join(','),
};

/** Every setting that changes the spoke: a prefix, a key per region, the monitoring and its topic. */
const FULL_SETTINGS = { namePrefix: 'acme', kmsKeyArn: `${EU_KEY},${US_KEY}`, monitoring: 'true' };

function managementApp(context: Record<string, unknown>) {
  return createManagementApp({
    context: { ...CDK_JSON_CONTEXT, ...ORGANIZATION_CONTEXT, hubAccountId: HUB, ...context },
  });
}

/** The StackSet's TemplateBody, from the primary hub the organization app builds with the same context. */
function stackSetSpokeTemplate(settings: Record<string, unknown>): CfnTemplate {
  const context: Record<string, unknown> = { ...CDK_JSON_CONTEXT, ...ORGANIZATION_CONTEXT, ...settings };
  const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
  const read = (key: string) => app.node.tryGetContext(key);
  const { primary } = addOrganizationHubs(app, parseGuardContext(read), parseOrganizationContext(read), HUB);
  const [stackSet] = Object.values(
    Template.fromStack(primary).findResources('AWS::CloudFormation::StackSet'),
  );
  return JSON.parse(stackSet?.Properties.TemplateBody);
}

interface CfnTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Mappings?: Record<string, unknown>;
  readonly Resources: Record<string, { readonly Type: string; readonly Properties?: unknown }>;
  readonly [section: string]: unknown;
}

/**
 * The template as CloudFormation deploys it in `region` of MANAGEMENT for the hub HUB: the pseudo parameters and
 * the HubAccountId parameter replaced by their values, and each Fn::Join with its adjacent literals merged (a
 * region the stack names literally and one it takes from AWS::Region then read alike). Refs to resources stay.
 */
function deployedIn(region: string, value: unknown): unknown {
  const values: Readonly<Record<string, string>> = {
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::AccountId': MANAGEMENT,
    HubAccountId: HUB,
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    const [only] = entries;
    if (entries.length === 1 && only !== undefined) {
      const [key, argument] = only;
      if (key === 'Ref' && typeof argument === 'string' && values[argument] !== undefined) {
        return values[argument];
      }
      if (key === 'Fn::Join') {
        const [separator, parts] = argument as [string, unknown[]];
        const merged: unknown[] = [];
        for (const part of parts.map(walk)) {
          const last = merged.at(-1);
          if (typeof part === 'string' && typeof last === 'string')
            merged[merged.length - 1] = last + separator + part;
          else merged.push(part);
        }
        const [single] = merged;
        return merged.length === 1 && typeof single === 'string'
          ? single
          : { 'Fn::Join': [separator, merged] };
      }
    }
    return Object.fromEntries(entries.map(([key, item]) => [key, walk(item)]));
  };
  return walk(value);
}

/** The differences between the deployed resources of two templates, one line each; empty when they match. */
function resourceDifferences(region: string, expected: CfnTemplate, actual: CfnTemplate): string[] {
  const differences: string[] = [];
  const ids = new Set([...Object.keys(expected.Resources), ...Object.keys(actual.Resources)]);
  for (const id of ids) {
    const want = JSON.stringify(deployedIn(region, expected.Resources[id]));
    const got = JSON.stringify(deployedIn(region, actual.Resources[id]));
    if (want !== got) differences.push(`${id}: StackSet ${want ?? 'absent'}, management ${got ?? 'absent'}`);
  }
  if (JSON.stringify(expected.Mappings) !== JSON.stringify(actual.Mappings)) differences.push('Mappings');
  return differences;
}

describe('createManagementApp', () => {
  it(
    'synthesizes one spoke stack per governed region and passes cdk-nag (AwsSolutions), every option on',
    () => {
      const { app, spokes } = managementApp(FULL_SETTINGS);

      const assembly = app.synth();

      expect(spokes.map((spoke) => [spoke.node.id, spoke.stackName, spoke.region])).toEqual([
        ['Management-eu-west-1', 'acme-cloudtrail-logs-guard-management', 'eu-west-1'],
        ['Management-us-east-1', 'acme-cloudtrail-logs-guard-management', 'us-east-1'],
      ]);
      expect(assembly.stacks.map((stack) => stack.environment.name)).toEqual([
        'aws://unknown-account/eu-west-1',
        'aws://unknown-account/us-east-1',
      ]);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'fails the synthesis on a cdk-nag finding nobody acknowledged',
    () => {
      const { app, spokes } = managementApp({});
      spokes[0]?.remediationExecutionRole.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::any-bucket/*'] }),
      );

      expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::any-bucket\/\*\]/);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "deploys with the caller's credentials and no bootstrap stack: no role to assume, no asset, no parameter",
    () => {
      const assembly = managementApp({}).app.synth();

      for (const stack of assembly.stacks as CloudFormationStackArtifact[]) {
        expect(stack.assumeRoleArn).toBeUndefined();
        expect(stack.cloudFormationExecutionRoleArn).toBeUndefined();
        expect(stack.stackTemplateAssetObjectUrl).toBeUndefined();
        expect(stack.requiresBootstrapStackVersion).toBeUndefined();
        expect(stack.assets).toEqual([]);
        expect(stack.template.Parameters).toBeUndefined();
        expect(stack.template.Rules).toBeUndefined();
        expect(JSON.stringify(stack.template)).not.toContain('cdk-hnb659fds');
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'stays small enough for the CLI to send inline (at most 50 KiB as YAML; measured as JSON indented by two, larger)',
    () => {
      const assembly = managementApp(FULL_SETTINGS).app.synth();

      for (const stack of assembly.stacks) {
        expect(JSON.stringify(stack.template, null, 2).length).toBeLessThanOrEqual(TEMPLATE_BODY_MAX_BYTES);
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "wires the management account's rule, document and roles to the hub account's Lambdas and roles",
    () => {
      const [spoke] = managementApp({}).spokes;
      if (spoke === undefined) throw new Error('no spoke stack');
      const deployed = deployedIn('eu-west-1', Template.fromStack(spoke).toJSON()) as CfnTemplate;
      const resources = Object.values(deployed.Resources);
      const ofType = (type: string) => resources.filter((resource) => resource.Type === type);

      expect(ofType('AWS::Config::ConfigRule')).toEqual([
        expect.objectContaining({
          Properties: expect.objectContaining({
            Source: expect.objectContaining({
              SourceIdentifier: `arn:aws:lambda:eu-west-1:${HUB}:function:cloudtrail-logs-guard-rule`,
            }),
          }),
        }),
      ]);
      expect(JSON.stringify(ofType('AWS::SSM::Document'))).toContain(
        `arn:aws:lambda:eu-west-1:${HUB}:function:cloudtrail-logs-guard-remediation`,
      );
      const trusted = ofType('AWS::IAM::Role').map((role) => JSON.stringify(role.Properties));
      expect(trusted).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            `"AWS":"arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-rule-eu-west-1"`,
          ),
          expect.stringContaining(`"AWS":"arn:aws:iam::${HUB}:role/cloudtrail-logs-guard-hub-fix-eu-west-1"`),
        ]),
      );
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('the management spoke and the StackSet spoke', () => {
  it.each([
    ['the default context', {}],
    ['a name prefix, a KMS key per region and the monitoring', FULL_SETTINGS],
  ])(
    'have the same resources, logical ids and properties, deployed, with %s',
    (_name, settings) => {
      const stackSet = stackSetSpokeTemplate(settings);
      const spokes = managementApp(settings).spokes;

      expect(stackSet.Parameters).toEqual({ HubAccountId: expect.objectContaining({ Type: 'String' }) });
      for (const [index, region] of REGIONS.entries()) {
        const management = Template.fromStack(spokes[index] as NonNullable<(typeof spokes)[number]>).toJSON();
        expect(Object.keys(management.Resources).sort()).toEqual(Object.keys(stackSet.Resources).sort());
        expect(resourceDifferences(region, stackSet, management as CfnTemplate)).toEqual([]);
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'are told apart by the comparison when one property differs',
    () => {
      const stackSet = stackSetSpokeTemplate({});
      const changed = structuredClone(stackSet) as {
        Resources: Record<string, { Properties: Record<string, unknown> }>;
      };
      const [ruleId] = Object.keys(Template.fromJSON(stackSet).findResources('AWS::Config::ConfigRule'));
      const rule = changed.Resources[ruleId ?? ''];
      if (rule === undefined) throw new Error('no Config rule in the spoke template');
      rule.Properties.Description = 'a property the StackSet spoke does not have';

      expect(resourceDifferences('eu-west-1', stackSet, changed as CfnTemplate)).toEqual([
        expect.stringMatching(new RegExp(`^${ruleId}: `)),
      ]);
    },
    SYNTH_TIMEOUT_MS,
  );
});

describe('parseHubAccountId', () => {
  const readerOf =
    (value: unknown) =>
    (key: OrganizationContextKey): unknown =>
      key === 'hubAccountId' ? value : undefined;

  it('accepts a 12-digit account id, leading zeros kept', () => {
    expect(parseHubAccountId(readerOf('012345678901'))).toBe('012345678901');
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['too short', '12345678901'],
    ['too long', '1234567890123'],
    ['not digits', 'hub-account'],
    ['an ARN', `arn:aws:iam::${HUB}:root`],
    ['a JSON number (leading zeros would be lost)', 111111111111],
  ])('refuses a hubAccountId that is %s, naming the key and what it expects', (_name, value) => {
    expect(() => parseHubAccountId(readerOf(value))).toThrow(InvalidContextError);
    expect(() => parseHubAccountId(readerOf(value))).toThrow(
      `Invalid CDK context 'hubAccountId': got ${JSON.stringify(value)}; expected the 12-digit id of the account ` +
        'that runs the hub stacks (the delegated administrator, or the management account itself with callAs ' +
        'SELF). Pass it as -c hubAccountId=<value> or set it under "context" in cdk.json.',
    );
  });

  it('fails the management app before any stack is built when hubAccountId is missing', () => {
    expect(() => managementApp({ hubAccountId: undefined })).toThrow(
      "Invalid CDK context 'hubAccountId': got undefined",
    );
  });
});
