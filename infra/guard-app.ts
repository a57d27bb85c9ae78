import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEY, parseGuardContext } from './context.js';
import { assertKnownContextKeys } from './context-keys.js';
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
}

/**
 * The single-account CDK app: validates the context (an unknown or invalid key fails before any construct is
 * built), adds the stack and the cdk-nag checks. infra/app.ts synthesizes it; tests build it with their context.
 * @throws UnknownContextKeyError naming the first key of the project's namespace the app does not read.
 * @throws InvalidContextError naming the first invalid context key.
 */
export function createGuardApp(props: GuardAppProps = {}): { app: App; stack: GuardStack } {
  const app = new App(props);
  assertKnownContextKeys(app.node.getAllContext(), Object.values(CONTEXT_KEY), [
    { keys: Object.values(ORGANIZATION_CONTEXT_KEY), how: ORGANIZATION_APP },
  ]);
  const settings = parseGuardContext((key) => app.node.tryGetContext(key));
  const stack = new GuardStack(app, 'GuardStack', {
    stackName: prefixedName(settings.namePrefix, GUARD_STACK_NAME),
    description: 'AWS Config rule and remediation keeping CloudTrail trails integrated with CloudWatch Logs.',
    settings,
  });
  if (props.nagChecks ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
