import { parseKmsKeyArn } from '../remediation/arns.js';
import { CONTEXT_KEY, InvalidContextError } from './context.js';

/**
 * Which KMS key (context `kmsKeyArn`) encrypts the log groups of which region. A KMS key encrypts log groups of
 * its own region only, so a key handed to another region would make every remediation there fail
 * (RemediationConflictError); these checks fail `cdk synth` instead. Pure.
 */

/** The region of a key ARN that parseGuardContext has already validated. */
function regionOf(keyArn: string): string {
  return parseKmsKeyArn(keyArn)?.region ?? '';
}

/**
 * The key of the single-account stack: none, or the one given. Several keys (one per region) are for the
 * organization app; the single-account stack is deployed to one region and would not know which to take.
 * @throws InvalidContextError for more than one key.
 */
export function singleAccountKmsKey(kmsKeyArns: readonly string[]): string | undefined {
  if (kmsKeyArns.length > 1) {
    throw new InvalidContextError(
      CONTEXT_KEY.kmsKeyArn,
      kmsKeyArns.join(','),
      'one KMS key ARN, of the region the single-account stack is deployed to (one key per region is for the ' +
        'organization app)',
    );
  }
  return kmsKeyArns[0];
}

/**
 * The key of each governed region, by region name; empty when no key is given. Every governed region needs a
 * key of its own region, and every key must be in a governed region.
 * @throws InvalidContextError naming the key and the regions it would be handed to, or the unused key.
 */
export function kmsKeysByRegion(
  kmsKeyArns: readonly string[],
  governedRegions: readonly string[],
): Readonly<Record<string, string>> {
  if (kmsKeyArns.length === 0) return {};
  const byRegion = Object.fromEntries(kmsKeyArns.map((key) => [regionOf(key), key]));
  const stray = kmsKeyArns.find((key) => !governedRegions.includes(regionOf(key)));
  if (stray !== undefined) {
    throw new InvalidContextError(
      CONTEXT_KEY.kmsKeyArn,
      kmsKeyArns.join(','),
      `one KMS key per governed region (${governedRegions.join(', ')}); key ${stray} is in ${regionOf(stray)}, ` +
        'which is not governed: remove it or add its region to governedRegions',
    );
  }
  const missing = governedRegions.filter((region) => byRegion[region] === undefined);
  if (missing.length > 0) {
    const given = kmsKeyArns.map((key) => `${key} (${regionOf(key)})`).join(', ');
    throw new InvalidContextError(
      CONTEXT_KEY.kmsKeyArn,
      kmsKeyArns.join(','),
      `one KMS key per governed region; ${given} would be handed to ${missing.join(', ')}, where CloudWatch Logs ` +
        `cannot use it (a key encrypts log groups of its own region only): add a key of ${missing.join(', ')} ` +
        '(for a multi-Region key, the ARN of its replica there)',
    );
  }
  return byRegion;
}
