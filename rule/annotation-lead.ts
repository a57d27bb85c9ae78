// A character no annotation holds, standing in for each value to find where an entry's fixed text ends.
const PLACEHOLDER = '\u0000';

/**
 * The fixed words an annotation of the rule's tables (rule/evaluate.ts `ANNOTATION`, rule/account-result.ts
 * `ACCOUNT_ANNOTATION`) starts with, before its first value: what identifies the entry in a stored annotation,
 * whatever the values and PutEvaluations' 256-character cut. Pure.
 */
export function leadOf(entry: string | ((...values: string[]) => string)): string {
  if (typeof entry === 'string') return entry;
  const text = entry(...Array<string>(entry.length).fill(PLACEHOLDER));
  return text.slice(0, text.indexOf(PLACEHOLDER));
}
