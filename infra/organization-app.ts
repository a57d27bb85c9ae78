import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseGuardContext } from './context.js';
import { parseOrganizationContext } from './organization/context.js';
import { addOrganizationHubs } from './organization/hubs.js';

/**
 * Organization mode: `npx cdk deploy --app "npx tsx infra/organization-app.ts" --all` from the delegated
 * administrator (or management) account, with the context described in docs/organization.md.
 */
const app = new App();
const read = (key: string) => app.node.tryGetContext(key);
addOrganizationHubs(
  app,
  parseGuardContext(read),
  parseOrganizationContext(read),
  process.env.CDK_DEFAULT_ACCOUNT,
);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
