import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEPLOYED_EXEMPTIONS_FILE,
  type ExemptionList,
  InvalidExemptionsError,
  NO_EXEMPTIONS_LIST,
  parseExemptions,
} from './exemptions.js';

/**
 * The exemptions a Lambda was deployed with: DEPLOYED_EXEMPTIONS_FILE beside its code, in `LAMBDA_TASK_ROOT`
 * ("The path to your Lambda function code", a variable Lambda reserves, so no function configuration can point it
 * elsewhere: https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
 * The stacks put the file into the code when deployed with `-c exemptions=<file>`; only a new deployment of the
 * code changes it. It is read and validated again, as the synth validated it, once per container: the code cannot
 * change under a container, and a term within the maximum at one instant stays within it later (the latest allowed
 * date only moves on), so the first invocation's verdict on the file holds for the container's life. Which
 * exemption applies, and whether it has expired, is decided at each invocation's instant (common/exemptions.ts).
 * The largest file the parser takes (1,000 entries of the longest fields, 556 KB) parses in about 14 ms on a
 * development machine; a few dozen entries take well under a millisecond.
 */

/** The deployed exemptions, or why none of them may be honoured. */
export type DeployedExemptions =
  | { readonly ok: true; readonly list: ExemptionList }
  | { readonly ok: false; readonly error: InvalidExemptionsError };

// Per code directory: one in a Lambda container, several only in tests.
const deployed = new Map<string, DeployedExemptions>();

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    // No file: the deployment has no exemptions.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function load(path: string, now: Date): DeployedExemptions {
  const source = `the deployed exemptions (${path})`;
  let text: string | undefined;
  try {
    text = readText(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return { ok: false, error: new InvalidExemptionsError(source, [`cannot be read (${reason})`]) };
  }
  if (text === undefined) return { ok: true, list: NO_EXEMPTIONS_LIST };
  try {
    return {
      ok: true,
      list: parseExemptions(text, { now, purpose: 'evaluate', organizationalUnits: true, source }),
    };
  } catch (error) {
    if (error instanceof InvalidExemptionsError) return { ok: false, error };
    throw error;
  }
}

/**
 * The exemptions deployed with this Lambda, validated as the synth validated them, at the container's first
 * invocation (`now`); an entry that expired since the deployment is kept, to be reported as expired. No code
 * directory or no file: no exemptions. A file that cannot be read or does not validate is `ok: false`: none of it
 * may be honoured, and the caller says so.
 */
export function deployedExemptions(
  now: Date,
  env: Readonly<Record<string, string | undefined>> = process.env,
): DeployedExemptions {
  const root = env.LAMBDA_TASK_ROOT;
  if (root === undefined || root === '') return { ok: true, list: NO_EXEMPTIONS_LIST };
  const path = join(root, DEPLOYED_EXEMPTIONS_FILE);
  let result = deployed.get(path);
  if (result === undefined) {
    result = load(path, now);
    deployed.set(path, result);
  }
  return result;
}
