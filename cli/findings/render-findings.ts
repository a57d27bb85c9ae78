import { renderJson } from '../render.js';
import { type AsffTarget, toAsffFindings } from './asff.js';
import { toOcsfFindings } from './ocsf.js';
import type { TrailEvaluation } from './trail-evaluation.js';

export type FindingFormat = 'asff' | 'ocsf';

export interface FindingContext {
  /** Where `batch-import-findings` will run: the ASFF ProductArn names its account and region. */
  readonly target: AsffTarget;
  /** This package's version, the OCSF product version. */
  readonly version: string;
}

/**
 * The findings as one JSON array: for ASFF, what `aws securityhub batch-import-findings --findings file://...`
 * takes (at most 100 a call); for OCSF, one Compliance Finding event per element. Pure.
 */
export function renderFindings(
  evaluations: readonly TrailEvaluation[],
  format: FindingFormat,
  context: FindingContext,
): string {
  return renderJson(
    format === 'asff'
      ? toAsffFindings(evaluations, context.target)
      : toOcsfFindings(evaluations, context.version),
  );
}
