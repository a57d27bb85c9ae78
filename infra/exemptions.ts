import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ExemptionList, parseExemptions } from '../common/exemptions.js';
import { CONTEXT_KEY, InvalidContextError } from './context.js';

/**
 * The exemptions file of a deployment (`-c exemptions=<path>`): read and validated at synth with the parser the
 * Lambdas use, then shipped inside both Lambdas' code (common/exemptions.ts's DEPLOYED_EXEMPTIONS_FILE beside index.mjs, written by infra/local-bundling.ts), where only a
 * new deployment of the code can change it, and where no AWS limit bites: Lambda takes 250 MB of unzipped code,
 * while environment variables take 4 KB in all (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html)
 * and a rule's InputParameters 1,024 characters (ConfigRule in the Config API model), and a member account could
 * edit its own rule's parameters (docs/deploy.md, "Exemptions", weighs the other places).
 */

/** A validated exemptions file, as it is deployed. */
export interface DeploymentExemptions {
  /** The file's exact text: what the Lambdas get, byte for byte. */
  readonly text: string;
  readonly list: ExemptionList;
}

export interface LoadExemptionsOptions {
  /** The instant the terms are checked against: the synth's. */
  readonly now: Date;
  /** Organization mode: entries may name trails in an OU (the hub reads the organization). */
  readonly organizationalUnits: boolean;
}

/**
 * Reads and validates the exemptions file for a deployment: an entry already expired, past the maximum term, with
 * an unknown field or malformed in any way fails the synth (InvalidExemptionsError naming every entry), and so
 * does a file that cannot be read (InvalidContextError).
 */
export function loadExemptionsFile(path: string, options: LoadExemptionsOptions): DeploymentExemptions {
  let text: string;
  try {
    text = readFileSync(resolve(path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new InvalidContextError(
      CONTEXT_KEY.exemptions,
      path,
      `the path of a readable exemptions file (${code})`,
    );
  }
  const list = parseExemptions(text, { ...options, purpose: 'deploy', source: path });
  return { text, list };
}

/** True when an entry names trails in an OU: the hub Lambdas then need organizations:ListParents. */
export function namesOrganizationalUnits(exemptions: DeploymentExemptions | undefined): boolean {
  return exemptions?.list.exemptions.some(({ scope }) => scope.kind === 'organizationalUnit') === true;
}
