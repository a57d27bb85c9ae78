/**
 * The vocabulary both plans of a remediation share: where it runs, a step, and what became of each step. The
 * integration (integration/) and the CIS monitoring (monitoring/) both plan in these terms, so neither imports
 * the other. Pure: no I/O.
 */

/** Where the remediation runs: the caller's account (STS) and the clients' region. */
export interface CallerContext {
  readonly account: string;
  readonly region: string;
}

/** One step of a plan: `required` false means the resource is already as wanted (`detail` says why). */
export interface Step<Operation> {
  readonly operation: Operation;
  readonly required: boolean;
  readonly detail: string;
}

export type ActionStatus = 'planned' | 'applied' | 'skipped';

/** A step as a summary shows it: required steps `planned` (dry run) or `applied`, the others `skipped`. */
export function actionStatus(required: boolean, dryRun: boolean): ActionStatus {
  return required ? (dryRun ? 'planned' : 'applied') : 'skipped';
}
