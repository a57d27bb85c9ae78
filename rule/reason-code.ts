import { ANNOTATION } from './evaluate.js';

/**
 * A stable, machine-readable code for a verdict's reason: the key of the rule's annotation table
 * (rule/evaluate.ts `ANNOTATION`) whose text the annotation is, e.g. `notConfigured` or `stale`. The table is
 * the one definition: each entry's leading words (the text before its first value) identify it, so the code
 * survives values of any length, the 256-character cut and an appended delivery error.
 */
export type ReasonCode = keyof typeof ANNOTATION | 'unknown';

// A character no annotation holds, standing in for each value to find where an entry's fixed text ends.
const PLACEHOLDER = '\u0000';

function leadOf(entry: string | ((...values: string[]) => string)): string {
  const text = typeof entry === 'string' ? entry : entry(...Array<string>(entry.length).fill(PLACEHOLDER));
  const end = text.indexOf(PLACEHOLDER);
  return end === -1 ? text : text.slice(0, end);
}

// Entries whose text starts with a space continue another one (the delivery error): they name no reason.
const LEADS: readonly (readonly [ReasonCode, string])[] = (
  Object.entries(ANNOTATION) as [keyof typeof ANNOTATION, string | ((...values: string[]) => string)][]
)
  .map(([code, entry]): [ReasonCode, string] => [code, leadOf(entry)])
  .filter(([, lead]) => lead.trim() !== '' && !/^\s/.test(lead))
  .sort(([, a], [, b]) => b.length - a.length);

/** The reason code of an annotation the rule wrote; `unknown` for text not from its table. */
export function reasonCode(annotation: string): ReasonCode {
  return LEADS.find(([, lead]) => annotation.startsWith(lead))?.[0] ?? 'unknown';
}
