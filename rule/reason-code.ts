import { leadOf } from './annotation-lead.js';
import { ANNOTATION } from './evaluate.js';

/**
 * A stable, machine-readable code for a verdict's reason: the key of the rule's annotation table
 * (rule/evaluate.ts `ANNOTATION`) whose text the annotation is, e.g. `notConfigured` or `stale`. The table is
 * the one definition: each entry's leading words (the text before its first value) identify it, so the code
 * survives values of any length, the 256-character cut and an appended delivery error.
 */
export type ReasonCode = Exclude<keyof typeof ANNOTATION, 'deliveryError'> | 'unknown';

// The delivery error only continues another reason's text, so it names none. No lead starts another (a test
// holds the table to that), so the first lead that matches is the only one.
const LEADS: readonly (readonly [ReasonCode, string])[] = (
  Object.entries(ANNOTATION) as [keyof typeof ANNOTATION, string | ((...values: string[]) => string)][]
).flatMap(([code, entry]): [ReasonCode, string][] =>
  code === 'deliveryError' ? [] : [[code, leadOf(entry)]],
);

/** The reason code of an annotation the rule wrote; `unknown` for text not from its table. */
export function reasonCode(annotation: string): ReasonCode {
  return LEADS.find(([, lead]) => annotation.startsWith(lead))?.[0] ?? 'unknown';
}
