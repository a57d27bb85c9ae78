import { InvalidExemptionsError } from '../common/exemptions.js';
import { InvalidContextError } from './context.js';
import { UnknownContextKeyError } from './context-keys.js';

/**
 * The entry point of a CDK app (what `cdk synth` runs): builds and synthesizes it. A deployment setting that is
 * wrong (an invalid value, an unknown key, an invalid entry of the exemptions file) is the one line that names it, on `stderr`, and exit code 1, not a
 * stack trace; anything else is a defect and keeps its trace. Returns the exit code.
 */
export function synthesizeApp(build: () => { synth(): unknown }, stderr: NodeJS.WritableStream): number {
  try {
    build().synth();
    return 0;
  } catch (error) {
    const setting =
      error instanceof InvalidContextError ||
      error instanceof UnknownContextKeyError ||
      error instanceof InvalidExemptionsError;
    if (!setting) throw error;
    stderr.write(`${error.message}\n`);
    return 1;
  }
}
