import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPOSITORY_ROOT } from '../../infra/bundling.js';
import { parseGuardContext } from '../../infra/context.js';
import { createGuardApp } from '../../infra/guard-app.js';
import { parseOrganizationContext } from '../../infra/organization/context.js';
import { addOrganizationHubs } from '../../infra/organization/hubs.js';
import { type DeploymentName, STAND_IN } from '../e2e/principals.js';
import type { CfnTemplate, DeploymentTemplates } from './templates.js';

/**
 * Synthesizes each deployment the e2e tier runs the Lambdas as (principals.ts) with the CDK apps of infra/, as
 * `cdk synth` would, bundling skipped: the single-account stack (with or without monitoring), and the
 * organization's hubs and spoke.
 */

/** The organization deployment's context: what .ci/run's organization synth uses, without KMS keys. */
const ORGANIZATION_CONTEXT: Readonly<Record<string, string>> = {
  organizationId: STAND_IN.organizationId,
  deploymentTargets: 'r-exam',
  governedRegions: 'eu-west-1,us-east-1',
};

const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8'),
).context;

/** cdk.json's feature flags, bundling skipped (no esbuild run: only the statements matter here). */
function appContext(extra: Record<string, unknown>): Record<string, unknown> {
  return { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...extra };
}

function guardTemplate(context: Record<string, unknown>): CfnTemplate {
  const { stack } = createGuardApp({ context: appContext(context), nagChecks: false });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

function organizationTemplates(): DeploymentTemplates['stacks'] {
  const app = new App({ context: appContext(ORGANIZATION_CONTEXT) });
  const read = (key: string) => app.node.tryGetContext(key);
  const hubs = addOrganizationHubs(app, parseGuardContext(read), parseOrganizationContext(read), undefined);
  const primary = Template.fromStack(hubs.primary).toJSON() as CfnTemplate;
  const stackSet = Object.values(primary.Resources).find(
    (resource) => resource.Type === 'AWS::CloudFormation::StackSet',
  );
  const body = stackSet?.Properties?.TemplateBody;
  if (typeof body !== 'string') throw new Error('The primary hub has no StackSet with a TemplateBody.');
  return [
    { kind: 'hub', region: hubs.primary.region, template: primary },
    ...hubs.regional.map((hub) => ({
      kind: 'hub' as const,
      region: hub.region,
      template: Template.fromStack(hub).toJSON() as CfnTemplate,
    })),
    { kind: 'spoke', template: JSON.parse(body) as CfnTemplate },
  ];
}

/** Synthesizes `deployment` (without bundling): a few seconds each. */
export function synthesizeDeployment(deployment: DeploymentName): DeploymentTemplates {
  switch (deployment) {
    case 'single-account':
      return { deployment, stacks: [{ kind: 'guard', template: guardTemplate({}) }] };
    case 'single-account-monitoring':
      return { deployment, stacks: [{ kind: 'guard', template: guardTemplate({ monitoring: 'true' }) }] };
    case 'organization':
      return { deployment, stacks: organizationTemplates() };
  }
}
