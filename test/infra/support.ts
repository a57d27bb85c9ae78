import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { REPOSITORY_ROOT } from '../../infra/bundling.js';
import { createGuardApp } from '../../infra/guard-app.js';
import type { GuardStack } from '../../infra/guard-stack.js';

/** The feature flags cdk.json gives `cdk synth`, so the tests see the statements that get deployed. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(join(REPOSITORY_ROOT, 'cdk.json'), 'utf8'),
).context;

/** An app as `synthGuard` returns it: the app, its one stack and the stack's synthesized template. */
export interface SynthesizedGuard {
  readonly app: App;
  readonly stack: GuardStack;
  readonly template: Template;
}

/**
 * Synthesized apps by their arguments. The infra test files share one module graph (the `infra` project of
 * vitest.config.ts runs them without isolation), so each distinct app is synthesized once per worker rather
 * than once per call: a synthesis runs CloudFormation's template validation and takes up to seconds.
 */
const synthesized = new Map<string, SynthesizedGuard>();

/**
 * The app as `cdk synth` would build it with `context`, minus bundling (esbuild runs only in the CI synth).
 * Shared: every call with the same arguments returns the same app, so callers only read it; a test that
 * changes an app builds its own with `createGuardApp`.
 */
export function synthGuard(context: Record<string, unknown> = {}, nagChecks = false): SynthesizedGuard {
  const key = JSON.stringify([nagChecks, Object.entries(context).sort(([a], [b]) => a.localeCompare(b))]);
  const known = synthesized.get(key);
  if (known !== undefined) return known;
  const { app, stack } = createGuardApp({
    context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context },
    nagChecks,
  });
  const guard = { app, stack, template: Template.fromStack(stack) };
  synthesized.set(key, guard);
  return guard;
}

export const TEST_ACCOUNT = '111122223333';
export const TEST_REGION = 'eu-west-1';

const PSEUDO_PARAMETERS: Readonly<Record<string, string>> = {
  'AWS::Partition': 'aws',
  'AWS::Region': TEST_REGION,
  'AWS::AccountId': TEST_ACCOUNT,
};

/**
 * Replaces the CloudFormation intrinsics the policies use (Ref, Fn::Join, Fn::GetAtt) with concrete values,
 * as CloudFormation would on deploy: pseudo parameters for TEST_ACCOUNT and TEST_REGION, resources from `resources`.
 */
export function resolveIntrinsics(value: unknown, resources: Readonly<Record<string, string>> = {}): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, resources));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined) {
    const [key, argument] = first;
    if (key === 'Ref') return lookUp(String(argument), resources);
    if (key === 'Fn::GetAtt') return lookUp((argument as string[]).join('.'), resources);
    if (key === 'Fn::Join') {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => resolveIntrinsics(part, resources)).join(separator);
    }
  }
  return Object.fromEntries(entries.map(([key, item]) => [key, resolveIntrinsics(item, resources)]));
}

function lookUp(name: string, resources: Readonly<Record<string, string>>): string {
  const found = PSEUDO_PARAMETERS[name] ?? resources[name];
  if (found === undefined) throw new Error(`No value to resolve ${name} with; add it to the resources map.`);
  return found;
}

/** A resource of a synthesized template, as the assertions read it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties: Readonly<Record<string, unknown>>;
  readonly DependsOn?: readonly string[];
  readonly DeletionPolicy?: string;
}

/** Logical id and body of every resource of `type` matching `props`. */
export function resourcesOf(
  template: Template,
  type: string,
  props: Record<string, unknown> = {},
): [string, CfnResource][] {
  return Object.entries(template.findResources(type, props)) as [string, CfnResource][];
}

/** The one resource of `type` matching `props`; throws when there are none or several. */
export function onlyResource(
  template: Template,
  type: string,
  props: Record<string, unknown> = {},
): [string, CfnResource] {
  const found = resourcesOf(template, type, props);
  const [first] = found;
  if (found.length !== 1 || first === undefined) {
    throw new Error(`Expected exactly one ${type} matching ${JSON.stringify(props)}, found ${found.length}.`);
  }
  return first;
}

/**
 * Longest a test or hook that synthesizes may take. A synthesis runs CloudFormation's template validation
 * and, for a hub, the spoke's own synthesis and cdk-nag: about 10 s alone on the 2-core machine, but 60 s was
 * reached with other suites running beside it. The bound only catches a hang, so it is generous.
 */
export const SYNTH_TIMEOUT_MS = 180_000;
