import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseGuardContext } from './context.js';
import { assertKnownContextKeys } from './context-keys.js';
import { synthesizeApp } from './entry.js';
import { loadExemptionsFile } from './exemptions.js';
import { ORGANIZATION_CONTEXT_KEY, parseOrganizationContext } from './organization/context.js';
import { addOrganizationHubs } from './organization/hubs.js';

/**
 * Organization mode: `npx cdk deploy --app "npx tsx infra/organization-app.ts" --all` from the delegated
 * administrator (or management) account, with the context described in docs/organization.md.
 */
process.exitCode = synthesizeApp(() => {
  const app = new App();
  assertKnownContextKeys(app.node.getAllContext(), [
    ...Object.values(CONTEXT_KEY),
    ...Object.values(ORGANIZATION_CONTEXT_KEY),
  ]);
  const read = (key: string) => app.node.tryGetContext(key);
  const settings = parseGuardContext(read);
  const organization = parseOrganizationContext(read);
  // Organization mode may name trails in an OU: the hub reads the organization.
  const exemptions =
    settings.exemptionsFile === undefined
      ? undefined
      : loadExemptionsFile(settings.exemptionsFile, { now: new Date(), organizationalUnits: true });
  addOrganizationHubs(app, settings, organization, process.env.CDK_DEFAULT_ACCOUNT, exemptions);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}, process.stderr);
