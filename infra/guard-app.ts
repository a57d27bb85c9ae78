import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseGuardContext } from './context.js';
import { assertKnownContextKeys } from './context-keys.js';
import { loadExemptionsFile } from './exemptions.js';
import { GUARD_STACK_NAME, GuardStack, prefixedName } from './guard-stack.js';
import { ORGANIZATION_CONTEXT_KEY } from './organization/context.js';

/** How the organization's apps are deployed, for a key of theirs given to this app. */
const ORGANIZATION_APP =
  '--app "npx tsx infra/organization-app.ts" (or, in the management account, infra/management-app.ts)';

export interface GuardAppProps extends AppProps {
  /**
   * Register the cdk-nag AwsSolutions pack, so synthesis fails on any unacknowledged finding.
   * @default true
   */
  readonly nagChecks?: boolean;
  /** The instant the exemptions file's terms are checked against. @default the current time */
  readonly now?: Date;
}

/**
 * The single-account CDK app: validates the context (an unknown or invalid key fails before any construct is
 * built), reads and validates the exemptions file when one is given, adds the stack and the cdk-nag checks.
 * infra/app.ts synthesizes it; tests build it with their context.
 * @throws UnknownContextKeyError naming the first key of the project's namespace the app does not read.
 * @throws InvalidContextError naming the first invalid context key; InvalidExemptionsError naming every invalid
 * entry of the exemptions file (single-account mode refuses entries naming trails in an OU).
 */
export function createGuardApp(props: GuardAppProps = {}): { app: App; stack: GuardStack } {
  const app = new App(props);
  assertKnownContextKeys(app.node.getAllContext(), Object.values(CONTEXT_KEY), [
    { keys: Object.values(ORGANIZATION_CONTEXT_KEY), how: ORGANIZATION_APP },
  ]);
  const settings = parseGuardContext((key) => app.node.tryGetContext(key));
  const exemptions =
    settings.exemptionsFile === undefined
      ? undefined
      : loadExemptionsFile(settings.exemptionsFile, {
          now: props.now ?? new Date(),
          organizationalUnits: false,
        });
  const stack = new GuardStack(app, 'GuardStack', {
    ...(exemptions === undefined ? {} : { exemptions }),
    stackName: prefixedName(settings.namePrefix, GUARD_STACK_NAME),
    description: 'AWS Config rule and remediation keeping CloudTrail trails integrated with CloudWatch Logs.',
    settings,
  });
  if (props.nagChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
