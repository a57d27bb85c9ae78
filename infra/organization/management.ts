import { App, type AppProps, LegacyStackSynthesizer, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type GuardContext, parseGuardContext } from '../context.js';
import { GUARD_STACK_NAME, prefixedName } from '../guard-stack.js';
import { kmsKeysByRegion } from '../kms-keys.js';
import { type OrganizationContext, parseHubAccountId, parseOrganizationContext } from './context.js';
import { organizationNames } from './names.js';
import { SpokeStack } from './spoke-stack.js';

/**
 * The organization's management account, which a service-managed StackSet never deploys to ("StackSets doesn't
 * deploy stack instances to the organization management account": DeploymentTargets, CloudFormation API
 * reference), gets the spoke through `cdk deploy` instead: the same SpokeStack class, with the same settings,
 * names and keys as the StackSet's template, one stack per governed region.
 */

/** Base name of the management account's spoke stacks (one per region); the name prefix goes in front. */
export const MANAGEMENT_STACK_NAME = `${GUARD_STACK_NAME}-management`;

/**
 * One SpokeStack per governed region, for the account whose credentials run `cdk deploy`. Each stack:
 * - leaves its account to the CLI (no `env.account`): it deploys to the account of the credentials, which must be
 *   the management account, and its template keeps `AWS::AccountId` as the StackSet's does;
 * - names its region (`env.region`), so one `cdk deploy --all` reaches every governed region;
 * - writes the hub's account in place of the StackSet's HubAccountId parameter, so nothing has to be passed;
 * - needs no bootstrap stack: LegacyStackSynthesizer names no deploy role, so the CLI deploys with the caller's
 *   own credentials, and the spoke has no asset, so it sends the template inline (TemplateBody), as it does for
 *   any template under its 50 KiB limit. (BootstraplessSynthesizer, despite its name, still names the bootstrap
 *   deploy and execution roles; CliCredentialsStackSynthesizer uploads the template to the bootstrap bucket.)
 * The order of `governedRegions` does not matter here: each region's stack needs only that region's hub.
 */
export function addManagementSpokes(
  app: App,
  settings: GuardContext,
  organization: OrganizationContext,
  hubAccountId: string,
): SpokeStack[] {
  const names = organizationNames(settings.namePrefix);
  // The same check as the hubs': a key handed to another region fails the synth here.
  const kmsKeys = kmsKeysByRegion(settings.kmsKeyArns, organization.governedRegions);
  return organization.governedRegions.map(
    (region) =>
      new SpokeStack(app, `Management-${region}`, {
        stackName: prefixedName(settings.namePrefix, MANAGEMENT_STACK_NAME),
        description:
          `cloudtrail-logs-guard spoke for the organization's management account (${region}): the Config rule ` +
          `wired to the hub in account ${hubAccountId}, its remediation and the roles the hub assumes.`,
        env: { region },
        synthesizer: new LegacyStackSynthesizer(),
        settings,
        names,
        kmsKeysByRegion: kmsKeys,
        hubAccountId,
      }),
  );
}

/**
 * The management account's CDK app (infra/management-app.ts synthesizes it): the organization app's context plus
 * `hubAccountId`, validated before any construct is built, then the spokes and the cdk-nag checks (a finding fails
 * the synthesis). Tests build it with their context.
 * @throws InvalidContextError naming the first invalid context key.
 */
export function createManagementApp(props: AppProps = {}): { app: App; spokes: SpokeStack[] } {
  const app = new App(props);
  const read = (key: string) => app.node.tryGetContext(key);
  const settings = parseGuardContext(read);
  const organization = parseOrganizationContext(read);
  const spokes = addManagementSpokes(app, settings, organization, parseHubAccountId(read));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, spokes };
}
