import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { parseGuardContext } from '../../../infra/context.js';
import { parseOrganizationContext } from '../../../infra/organization/context.js';
import { addOrganizationHubs } from '../../../infra/organization/hubs.js';

/** Synthesizing a hub also synthesizes and checks the spoke: more than vitest's default allows on a busy machine. */
const SYNTH_TIMEOUT_MS = 60_000;

function hubsFor(regions: string, namePrefix?: string) {
  const context: Record<string, string> = {
    organizationId: 'o-a1b2c3d4e5',
    deploymentTargets: 'r-ab12',
    governedRegions: regions,
  };
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  return addOrganizationHubs(
    app,
    parseGuardContext((key) => (key === 'namePrefix' ? namePrefix : undefined)),
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
});
