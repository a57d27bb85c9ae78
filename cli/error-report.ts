import { AwsCallError } from '../remediation/errors.js';
import { AccessDeniedError } from '../rule/errors.js';
import { operationOf } from './clients.js';
import { AggregatorReadError, FixIncompleteError } from './errors.js';
import { type AwsFailure, classifyAwsError, failureLine } from './failure.js';

/**
 * The one line, and the JSON object, of an error that ended a command. Every command says a failed AWS call the
 * way `scan` does (operation, region, HTTP status and code, advice chosen by the cause: cli/failure.ts), and the
 * rule's and the remediation's own errors, written for a Lambda's log, are told in terms of the command line.
 * Pure.
 */

/**
 * The remediation's sentences that address the SSM document and the Lambda's role, and what they mean from a
 * terminal, where it is the operator's own credentials and flags. Longest first, so a phrase is replaced whole.
 */
const FOR_THE_COMMAND_LINE: readonly (readonly [RegExp, string])[] = [
  [
    /run the remediation in the account and region where the trail was created/g,
    'run it with the credentials (--profile) and --region of the account and region where the trail was created',
  ],
  [
    /run the remediation in region ([a-z0-9-]+) in account (\d{12})/g,
    'run it with --region $1 and the credentials of account $2 (--profile)',
  ],
  [/run the remediation in region ([a-z0-9-]+)/g, 'run it with --region $1, or give the trail ARN'],
  [/run the remediation in account (\d{12})/g, 'run it with the credentials of account $1 (--profile)'],
  [
    /run the remediation in ([a-z]{2,4}(?:-[a-z]+)+-\d{1,2})/g,
    'run it with --region $1, or give the trail ARN',
  ],
  [/run the remediation with AdoptExisting=true \(CLI: --adopt-existing\)/g, 'run it with --adopt-existing'],
  [/run it with AdoptExisting=true \(CLI: --adopt-existing\)/g, 'run it with --adopt-existing'],
  [
    /run the remediation with KmsKeyArn set to it or empty/g,
    'run it with --kms-key set to it, or without --kms-key',
  ],
  [
    /remove its exemption from the deployment's exemptions file and deploy the guard again/g,
    'remove its exemption from the file given with --exemptions (and from the deployment)',
  ],
  [/run the remediation again/g, 'run the same command again'],
  [/[Tt]he remediation Lambda's role needs/g, 'the credentials you run with need'],
  [/[Tt]he remediation Lambda's role lacks/g, 'the credentials you run with lack'],
  [/[Tt]he remediation Lambda's role has/g, 'the credentials you run with have'],
  [/[Tt]he remediation Lambda's role/g, 'the credentials you run with'],
  [/ where the remediation runs/g, ' whose credentials you run with'],
];

/** A message of the rule or the remediation, reworded for the command line; the first line only. */
export function forTheCommandLine(message: string): string {
  const line = message.split('\n')[0] ?? message;
  const reworded = FOR_THE_COMMAND_LINE.reduce(
    (text, [pattern, words]) => text.replace(pattern, words),
    line,
  );
  // A sentence that now starts with the lower-case replacement gets its capital back.
  return reworded.replace(/(^|\. )the credentials you run with/g, '$1The credentials you run with');
}

/** The failed AWS call an error stands for: its operation (`iam:CreateRole`) and the SDK's error. */
interface FailedCall {
  readonly operation: string;
  /** What it was called on, when a wrapper named it. */
  readonly resource?: string;
  readonly error: unknown;
  /** Replaces the advice chosen by the cause. */
  readonly advice?: string;
}

/** The failed call behind an error, when it is one a wrapper kept, or the SDK's own error. */
function failedCall(error: unknown): FailedCall | undefined {
  if (error instanceof AggregatorReadError) {
    return {
      operation: error.operation,
      resource: `aggregator ${error.aggregator}`,
      error: error.cause,
      ...(error.advice === undefined ? {} : { advice: error.advice }),
    };
  }
  if (error instanceof AwsCallError) {
    return { operation: error.action, resource: error.resource, error: error.cause };
  }
  if (error instanceof AccessDeniedError) return { operation: error.action, error: error.cause };
  const operation = operationOf(error);
  return operation === undefined ? undefined : { operation, error };
}

/** The error that says what happened: a partial fix's is the error that stopped it. */
function underlying(error: unknown): unknown {
  return error instanceof FixIncompleteError ? error.cause : error;
}

/**
 * The one line an operator reads, without the `cloudtrail-logs-guard <command>: ` prefix. `region` is where the
 * command ran (undefined when it is not known).
 */
export function operatorMessage(error: unknown, region: string | undefined): string {
  const cause = underlying(error);
  const call = failedCall(cause);
  if (call !== undefined) {
    const what = call.resource === undefined ? call.operation : `${call.operation} on ${call.resource}`;
    return failureLine(what, region, call.error, call.advice);
  }
  return forTheCommandLine(cause instanceof Error ? cause.message : String(cause));
}

/** The `error` object `--output json` prints on stdout: the line, and the classified failure of an AWS call. */
export interface ErrorJson {
  readonly command: string;
  readonly message: string;
  readonly exitCode: number;
  readonly operation?: string;
  readonly resource?: string;
  readonly region?: string;
  readonly cause?: AwsFailure['cause'];
  readonly code?: string;
  readonly httpStatus?: number;
}

/** The JSON form of an error that ended `command` with `exitCode`. */
export function errorJson(
  command: string,
  error: unknown,
  region: string | undefined,
  exitCode: number,
): ErrorJson {
  const call = failedCall(underlying(error));
  const base = { command, message: operatorMessage(error, region), exitCode };
  if (call === undefined) return base;
  const { cause, code, httpStatus } = classifyAwsError(call.error);
  return {
    ...base,
    operation: call.operation,
    ...(call.resource === undefined ? {} : { resource: call.resource }),
    ...(region === undefined ? {} : { region }),
    cause,
    code,
    ...(httpStatus === undefined ? {} : { httpStatus }),
  };
}
