import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { InvalidContextError, parseGuardContext } from '../../../infra/context.js';
import { parseOrganizationContext } from '../../../infra/organization/context.js';
import { addOrganizationHubs } from '../../../infra/organization/hubs.js';
import { SYNTH_TIMEOUT_MS } from '../support.js';

const EU_KEY = 'arn:aws:kms:eu-west-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab';
const US_KEY = 'arn:aws:kms:us-east-1:333333333333:key/mrk-1234abcd12ab34cd56ef1234567890ab';

function hubsFor(regions: string, namePrefix?: string, kmsKeyArn?: string) {
  const context: Record<string, string> = {
    organizationId: 'o-a1b2c3d4e5',
    deploymentTargets: 'r-ab12',
    governedRegions: regions,
  };
  const settings: Record<string, string | undefined> = { namePrefix, kmsKeyArn };
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return addOrganizationHubs(
    app,
    parseGuardContext((key) => settings[key]),
    parseOrganizationContext((key) => context[key]),
    '111111111111',
  );
}

describe('addOrganizationHubs', () => {
  it(
    'puts one hub in each governed region, the first holding the organization-wide pieces and deploying last',
    () => {
      const { primary, regional } = hubsFor('eu-west-1,us-east-1,ap-southeast-2');

      expect(primary.region).toBe('eu-west-1');
      expect(primary.stackSet).toBeDefined();
      expect(primary.aggregator).toBeDefined();
      expect(regional.map((hub) => [hub.region, hub.stackSet, hub.aggregator])).toEqual([
        ['us-east-1', undefined, undefined],
        ['ap-southeast-2', undefined, undefined],
      ]);
      expect(primary.dependencies).toEqual(regional);
    },
    SYNTH_TIMEOUT_MS,
  );

  it.each([
    [undefined, 'cloudtrail-logs-guard-hub'],
    ['acme', 'acme-cloudtrail-logs-guard-hub'],
  ])(
    'names every hub stack alike (prefix %s): %s',
    (prefix, stackName) => {
      const { primary } = hubsFor('eu-west-1', prefix);

      expect(primary.stackName).toBe(stackName);
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    "gives each region's spokes and hub the key of that region",
    () => {
      const { primary, regional } = hubsFor('eu-west-1,us-east-1', undefined, `${EU_KEY},${US_KEY}`);
      const spoke = Template.fromJSON(
        JSON.parse(
          Object.values(Template.fromStack(primary).findResources('AWS::CloudFormation::StackSet'))[0]
            ?.Properties.TemplateBody,
        ),
      );

      expect(spoke.toJSON().Mappings).toEqual({
        KmsKeys: { 'eu-west-1': { KeyArn: EU_KEY }, 'us-east-1': { KeyArn: US_KEY } },
      });
      spoke.hasResourceProperties('AWS::Config::RemediationConfiguration', {
        Parameters: Match.objectLike({
          KmsKeyArn: {
            StaticValue: { Values: [{ 'Fn::FindInMap': ['KmsKeys', { Ref: 'AWS::Region' }, 'KeyArn'] }] },
          },
        }),
      });
      for (const [hub, key] of [
        [primary, EU_KEY],
        [regional[0], US_KEY],
      ] as const) {
        Template.fromStack(hub ?? primary).hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: 'cloudtrail-logs-guard-remediation',
          Environment: { Variables: Match.objectLike({ SPOKE_KMS_KEY_ARN: key }) },
        });
      }
    },
    SYNTH_TIMEOUT_MS,
  );

  it('fails the synth when one key would serve two regions, naming the key and the region', () => {
    expect(() => hubsFor('eu-west-1,us-east-1', undefined, EU_KEY)).toThrow(
      new InvalidContextError(
        'kmsKeyArn',
        EU_KEY,
        `one KMS key per governed region; ${EU_KEY} (eu-west-1) would be handed to us-east-1, where CloudWatch ` +
          'Logs cannot use it (a key encrypts log groups of its own region only): add a key of us-east-1 (for a ' +
          'multi-Region key, the ARN of its replica there)',
      ),
    );
  });
});
