import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SpokeStack, type SpokeStackProps } from './spoke-stack.js';

/** Context keys deciding whether validation failures throw (`cxapi` constants of the same names). */
const FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT = '@aws-cdk/core:failSynthOnValidationErrors';
const APP_MODE_CONTEXT = '@aws-cdk/core:appMode';

/** Longest template CloudFormation accepts inline (`TemplateBody`), in bytes. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;

/** The spoke template is larger than a StackSet accepts inline. */
export class SpokeTemplateSizeError extends Error {
  constructor(bytes: number) {
    super(
      `The spoke template is ${bytes} bytes, more than the ${TEMPLATE_BODY_MAX_BYTES} CloudFormation accepts as ` +
        'TemplateBody; shrink it (for example the Automation document) or publish it to S3 and use TemplateURL.',
    );
    this.name = 'SpokeTemplateSizeError';
  }
}

/**
 * Synthesizes the spoke stack on its own, cdk-nag included (a finding fails the hub's synthesis too), and
 * returns its template as compact JSON for the StackSet's `TemplateBody`. A separate app in a temporary
 * directory, so the spoke never becomes a stack of the hub's cloud assembly; `context` (the hub app's, with
 * its feature flags) keeps both synthesized alike.
 */
export function spokeTemplateBody(props: SpokeStackProps, context: Record<string, unknown> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'cloudtrail-logs-guard-spoke-'));
  try {
    const app = new App({ outdir, context });
    // A cdk-nag finding must throw here, report included: under the CDK CLI an app leaves its report in its
    // assembly for the CLI to print, and the CLI never sees this temporary one. Set after construction because
    // the CLI's context (CDK_CONTEXT_JSON) overrides the constructor's.
    app.node.setContext(FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT, true);
    app.node.setContext(APP_MODE_CONTEXT, 'inmemory');
    const spoke = new SpokeStack(app, 'Spoke', props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const body = JSON.stringify(app.synth().getStackByName(spoke.stackName).template);
    const bytes = Buffer.byteLength(body, 'utf8');
    if (bytes > TEMPLATE_BODY_MAX_BYTES) throw new SpokeTemplateSizeError(bytes);
    return body;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
