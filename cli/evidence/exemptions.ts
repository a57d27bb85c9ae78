/**
 * SEAM (issue 28, exemptions): the exemptions in force at the time evidence is written. Exemptions are built on
 * branch i28-exemptions (common/exemptions.ts: the parser, the match and the state at an instant), which is not
 * part of this version; without them the rule exempts no trail, so none is in force and the evidence says so.
 * When that branch lands, this function reads the deployed exemptions file with its parser and returns those in
 * force at `at`; the evidence files and the manifest need no other change.
 */

/** One exemption in force: which trail, until when, why, and the reference it was granted under. */
export interface ExemptionInForce {
  readonly account: string;
  readonly trail: string;
  readonly expiresAt: string;
  readonly reason: string;
  readonly reference: string;
}

export interface ExemptionsEvidence {
  readonly exemptions: readonly ExemptionInForce[];
  /** How the list was obtained, written into the manifest. */
  readonly source: string;
}

/** The exemptions in force at `at` (none in this version; see the seam above). */
export function exemptionsInForce(_at: Date): ExemptionsEvidence {
  return {
    exemptions: [],
    source: 'none: this version has no trail exemptions (issue 28), so the rule exempts no trail',
  };
}
