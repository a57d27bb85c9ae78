import type { App } from 'aws-cdk-lib';
import type { GuardContext } from '../context.js';
import type { DeploymentExemptions } from '../exemptions.js';
import { GUARD_STACK_NAME, prefixedName } from '../guard-stack.js';
import { kmsKeysByRegion } from '../kms-keys.js';
import type { OrganizationContext } from './context.js';
import { HubStack } from './hub-stack.js';
import { organizationNames } from './names.js';

export interface OrganizationHubs {
  /** The first governed region's hub: it also holds the StackSet and the aggregator. */
  readonly primary: HubStack;
  /** The other regions' hubs, deployed before the primary one. */
  readonly regional: readonly HubStack[];
}

/**
 * One hub stack per governed region, each shipping the same `exemptions` in its Lambdas. The first region's hub deploys last: its StackSet starts the spokes,
 * and each spoke calls the hub Lambdas of its own region, which must exist by then.
 */
export function addOrganizationHubs(
  app: App,
  settings: GuardContext,
  organization: OrganizationContext,
  account: string | undefined,
  exemptions?: DeploymentExemptions,
): OrganizationHubs {
  const names = organizationNames(settings.namePrefix);
  // Checked before any stack is built: a key handed to another region fails the synth here.
  const kmsKeys = kmsKeysByRegion(settings.kmsKeyArns, organization.governedRegions);
  const hubFor = (region: string, organizationWide: boolean) =>
    new HubStack(app, `Hub-${region}`, {
      stackName: prefixedName(settings.namePrefix, `${GUARD_STACK_NAME}-hub`),
      description: `cloudtrail-logs-guard hub (${region}): rule and remediation Lambdas for the organization.`,
      env: { account, region },
      settings,
      organization,
      names,
      organizationWide,
      kmsKeysByRegion: kmsKeys,
      ...(exemptions === undefined ? {} : { exemptions }),
    });
  const [primaryRegion, ...otherRegions] = organization.governedRegions;
  if (primaryRegion === undefined)
    throw new Error('governedRegions is empty: parseOrganizationContext requires one');
  const regional = otherRegions.map((region) => hubFor(region, false));
  const primary = hubFor(primaryRegion, true);
  for (const hub of regional)
    primary.addStackDependency(hub, 'the spokes call the hub Lambdas of their region');
  return { primary, regional };
}
