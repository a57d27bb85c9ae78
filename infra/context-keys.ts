/**
 * Unknown CDK context keys. A key without a namespace (letters and digits, a lower-case first letter, like
 * `retentionDays`) is this project's: CDK's own carry one (`@aws-cdk/...` feature flags, `aws:cdk:...` settings,
 * `availability-zones:account=...` lookups, `acknowledged-issue-numbers`). So such a key that no app of the
 * project reads is a typo that would otherwise be ignored in silence, and so is another spelling of a known key
 * (`retention-days`, `RetentionDays`). The known keys come from each app's key registry (CONTEXT_KEY,
 * ORGANIZATION_CONTEXT_KEY), so a key added there is known here without more. Pure.
 */

/** The keys of the project's namespace. */
const PROJECT_KEY = /^[a-z][A-Za-z0-9]*$/;

/** The CDK context holds a key of the project's namespace that this app does not read. */
export class UnknownContextKeyError extends Error {
  readonly key: string;

  constructor(key: string, value: unknown, detail: string) {
    super(`Unknown CDK context key '${key}' (value ${JSON.stringify(value)}): ${detail}`);
    this.name = 'UnknownContextKeyError';
    this.key = key;
  }
}

/** Another app of the project, whose keys this one does not read. */
export interface OtherApp {
  readonly keys: readonly string[];
  /** How to run it, e.g. `--app "npx tsx infra/organization-app.ts"`. */
  readonly how: string;
}

/** The same key spelt otherwise: case, hyphens and underscores aside. */
function folded(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Edit distance (insertions, deletions, substitutions), for a key one or two letters off. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key `key` is most likely a misspelling of, if any. */
function closest(key: string, known: readonly string[]): string | undefined {
  const same = known.find((candidate) => folded(candidate) === folded(key));
  if (same !== undefined) return same;
  const near = known
    .map((candidate) => ({ candidate, distance: distance(folded(key), folded(candidate)) }))
    .filter((match) => match.distance <= 2)
    .sort((a, b) => a.distance - b.distance);
  return near[0]?.candidate;
}

/**
 * Checks every key of `context` (the app's whole context: cdk.json, cdk.context.json and `-c`) against the keys
 * this app reads (`appKeys`) and those of the project's other apps.
 * @throws UnknownContextKeyError naming the first unknown key, its value and the keys this app reads.
 */
export function assertKnownContextKeys(
  context: Readonly<Record<string, unknown>>,
  appKeys: readonly string[],
  otherApps: readonly OtherApp[] = [],
): void {
  for (const [key, value] of Object.entries(context)) {
    if (appKeys.includes(key)) continue;
    const suggestion = closest(key, appKeys);
    if (!PROJECT_KEY.test(key) && suggestion === undefined) continue;
    const other = otherApps.find((app) => app.keys.includes(key));
    if (other !== undefined) {
      throw new UnknownContextKeyError(
        key,
        value,
        `another app of this project reads it, not this one: deploy that app with ${other.how}, or remove the key.`,
      );
    }
    const hint = suggestion === undefined ? '' : ` Did you mean ${suggestion}?`;
    throw new UnknownContextKeyError(
      key,
      value,
      `this app reads only ${appKeys.join(', ')}.${hint} Correct it in -c or under "context" in cdk.json, or remove it.`,
    );
  }
}
