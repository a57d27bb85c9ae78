import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseGuardContext } from './context.js';
import { GUARD_STACK_NAME, prefixedName } from './guard-stack.js';
import { parseOrganizationContext } from './organization/context.js';
import { HubStack } from './organization/hub-stack.js';
import { organizationNames } from './organization/names.js';

/**
 * Organization mode: `npx cdk deploy --app "npx tsx infra/organization-app.ts" --all` from the delegated
 * administrator (or management) account. One hub stack per governed region; the first region's hub also
 * holds the StackSet and the aggregator and deploys last, once every regional hub its spokes call exists.
 */
const app = new App();
const read = (key: string) => app.node.tryGetContext(key);
const settings = parseGuardContext(read);
const organization = parseOrganizationContext(read);
const names = organizationNames(settings.namePrefix);

const [primaryRegion, ...otherRegions] = organization.governedRegions;
const hubFor = (region: string, organizationWide: boolean) =>
  new HubStack(app, `Hub-${region}`, {
    stackName: prefixedName(settings.namePrefix, `${GUARD_STACK_NAME}-hub`),
    description: `cloudtrail-logs-guard hub (${region}): rule and remediation Lambdas for the organization.`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
    settings,
    organization,
    names,
    organizationWide,
  });
const regionalHubs = otherRegions.map((region) => hubFor(region, false));
const primaryHub = hubFor(primaryRegion ?? '', true);
for (const hub of regionalHubs)
  primaryHub.addStackDependency(hub, 'the spokes call the hub Lambdas of their region');

Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
