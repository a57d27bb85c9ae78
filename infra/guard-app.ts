import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseGuardContext } from './context.js';
import { loadExemptionsFile } from './exemptions.js';
import { GUARD_STACK_NAME, GuardStack, prefixedName } from './guard-stack.js';

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
 * The single-account CDK app: validates the context (an invalid key fails before any construct is built),
 * reads and validates the exemptions file when one is given, adds the stack and the cdk-nag checks. infra/app.ts
 * synthesizes it; tests build it with their context.
 * @throws InvalidContextError naming the first invalid context key; InvalidExemptionsError naming every invalid
 * entry of the exemptions file (single-account mode refuses entries naming trails in an OU).
 */
export function createGuardApp(props: GuardAppProps = {}): { app: App; stack: GuardStack } {
  const app = new App(props);
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
