import { readFile } from 'node:fs/promises';
import { type ExemptionList, parseExemptions } from '../common/exemptions.js';
import { ExemptionsFileError } from './errors.js';

/**
 * The deployment's exemptions file as `--exemptions FILE` gives it, validated as the deployed Lambdas validate it
 * at `now`: an entry expired since the deployment is kept (scan and report show it expired), a malformed file
 * throws InvalidExemptionsError naming every entry, before any AWS call. Entries naming trails in an OU are read
 * (organization mode's file); they need organizations:ListParents when a trail of that name is met.
 */
export async function readExemptionsFile(path: string, now: Date): Promise<ExemptionList> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ExemptionsFileError(`cannot read the exemptions file ${path} (${code})`, { cause: error });
  }
  return parseExemptions(text, { now, purpose: 'evaluate', organizationalUnits: true, source: path });
}
