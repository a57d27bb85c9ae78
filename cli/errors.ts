import type { SummaryAction } from '../remediation/integration/summary.js';

/**
 * Errors of the command line. A {@link UsageError} is found before any AWS call and exits 2; everything else
 * that escapes a command exits 1 with its message on stderr.
 */

/** The command line itself is wrong: an unknown flag, a missing argument or a bad value. */
export class UsageError extends Error {
  /** The command whose `--help` the message points to; undefined for the program as a whole. */
  readonly command: string | undefined;
  constructor(message: string, command?: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

/** The operator declined the confirmation prompt of `fix`, or it could not be asked. */
export class NotConfirmedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConfirmedError';
  }
}

/**
 * Reading the organization view from a Config aggregator failed: `operation` (`config:...`) raised `cause`;
 * `advice`, when set, is what to do instead of the advice chosen by the cause.
 */
export class AggregatorReadError extends Error {
  readonly operation: string;
  readonly aggregator: string;
  readonly advice: string | undefined;
  constructor(aggregator: string, operation: string, cause: unknown, advice?: string) {
    super(`${operation} on aggregator ${aggregator} failed`, { cause });
    this.name = 'AggregatorReadError';
    this.operation = operation;
    this.aggregator = aggregator;
    this.advice = advice;
  }
}

/** The exemptions file given with `--exemptions` cannot be read. */
export class ExemptionsFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ExemptionsFileError';
  }
}

/** `report --coverage` has no account or no region to report on, so it could only ever say "covered". */
export class CoverageScopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CoverageScopeError';
  }
}

/** Listing the account's enabled regions for `--all-regions` failed. */
export class RegionListError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RegionListError';
  }
}

/** The caller's credentials could not be identified (none, expired, or STS unreachable). */
export class CallerIdentityError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallerIdentityError';
  }
}

/**
 * `Name: message` of an error, first line only: SDK messages can go on with advice for programmers
 * (deserialization hints) that would break the one-line error an operator reads.
 */
export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0] ?? text;
}

/**
 * `fix` failed partway: the error that stopped it (`cause`), the changes it had already applied (undefined
 * when the trail could not be read again to tell) and the ones that remain.
 */
export class FixIncompleteError extends Error {
  readonly trailArn: string;
  readonly applied: readonly SummaryAction[] | undefined;
  readonly remaining: readonly SummaryAction[];
  constructor(
    trailArn: string,
    applied: readonly SummaryAction[] | undefined,
    remaining: readonly SummaryAction[],
    cause: unknown,
  ) {
    super(`fix of trail ${trailArn} stopped partway`, { cause });
    this.name = 'FixIncompleteError';
    this.trailArn = trailArn;
    this.applied = applied;
    this.remaining = remaining;
  }
}
