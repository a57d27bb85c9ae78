import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LAMBDA_ENTRY_FILE } from '../../infra/bundling.js';
import { loadExemptionsFile } from '../../infra/exemptions.js';
import { RemediationFunction } from '../../infra/remediation-function.js';
import { RuleFunction } from '../../infra/rule-function.js';
import { type BundledHandler, handlerAt } from './bundles.js';

/**
 * The rule and remediation Lambdas as `cdk synth -c exemptions=<file>` builds them: the file validated at synth
 * (infra/exemptions.ts), each function bundled by its local bundling (infra/local-bundling.ts: esbuild, then the
 * exemptions file) into its asset directory. The handlers then run from those directories, `exemptions.json` and
 * the chunks beside `index.mjs`, as Lambda runs the deployed code.
 */
export async function synthesizeWithExemptions(
  exemptionsFile: string,
): Promise<{ rule: BundledHandler; remediation: BundledHandler }> {
  const outdir = await mkdtemp(join(tmpdir(), 'cloudtrail-logs-guard-synth-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Guard');
  const exemptions = loadExemptionsFile(exemptionsFile, { now: new Date(), organizationalUnits: false });
  const settings = { logRetentionDays: 1, logLevel: 'INFO', exemptions } as const;
  const rule = new RuleFunction(stack, 'RuleFunction', settings);
  const remediation = new RemediationFunction(stack, 'RemediationFunction', settings);
  app.synth();
  const template = Template.fromStack(stack);
  // Each function's code is the asset its S3Key names: asset.<hash> in the output directory.
  const assetOf = (logicalId: string) => {
    const code = template.toJSON().Resources[logicalId].Properties.Code as { S3Key: string };
    return join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, LAMBDA_ENTRY_FILE);
  };
  const idOf = (fn: RuleFunction | RemediationFunction) =>
    stack.getLogicalId(fn.guard.function.node.defaultChild as CfnFunction);
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await rm(outdir, { recursive: true, force: true });
  };
  return {
    // Run as the single-account stack's functions, whose environment (the delivery boundary) this bare stack leaves out.
    rule: handlerAt(assetOf(idOf(rule)), 'rule', 'single-account', {}, dispose),
    remediation: handlerAt(assetOf(idOf(remediation)), 'remediation', 'single-account', {}, dispose),
  };
}
