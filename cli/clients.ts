import type {
  HandlerExecutionContext,
  InitializeHandlerOptions,
  InitializeMiddleware,
  Logger,
} from '@aws-sdk/types';
import { sdkClientSettings } from '../common/account-clients.js';
import {
  DEFAULT_TIMEOUTS,
  type RequestHandlerTimeouts,
  requestHandlerTimeouts,
  type Timeouts,
} from './timeouts.js';

/**
 * What the operator chose about the SDK itself: a named profile (`--profile`), the request log (`--debug`), the
 * timeouts (`--cli-connect-timeout`, `--cli-read-timeout`) and the region to fall back on (AWS_DEFAULT_REGION).
 */
export interface SdkOptions {
  /** A profile of the shared config and credentials files; undefined keeps AWS_PROFILE or the default. */
  readonly profile?: string;
  /** Receives the SDK's request log (every call's operation, input and output or error). */
  readonly logger?: Logger;
  /** @default DEFAULT_TIMEOUTS (the AWS CLI's 60 s and 60 s) */
  readonly timeouts?: Timeouts;
  /**
   * The region of a client asked for without one, where the SDK's own chain would not find it (see
   * cli/aws-environment.ts); undefined leaves it to that chain (AWS_REGION, the profile's region).
   */
  readonly fallbackRegion?: string;
}

/** Settings of one client of the command line. */
export type CliClientSettings = ReturnType<typeof sdkClientSettings> & {
  readonly region?: string;
  readonly profile?: string;
  readonly logger?: Logger;
  readonly requestHandler: RequestHandlerTimeouts;
};

interface Stack {
  add(middleware: InitializeMiddleware<object, object>, options: InitializeHandlerOptions): void;
}

/** What the command line needs of an SDK client: its middleware stack, to record failed operations. */
export interface CliClient {
  readonly middlewareStack: Stack;
}

const operations = new WeakMap<object, string>();

/**
 * The operation (`cloudtrail:DescribeTrails`) whose call raised `error`, as the client recorded it; undefined
 * for an error that did not come out of a command line client.
 */
export function operationOf(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null ? operations.get(error) : undefined;
}

/** Records the operation of a failed call on its error, so a failure line can name it whatever raised it. */
function recordOperation(service: string): InitializeMiddleware<object, object> {
  return (next, context: HandlerExecutionContext) => async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (typeof error === 'object' && error !== null && !operations.has(error)) {
        operations.set(error, `${service}:${(context.commandName ?? '').replace(/Command$/, '')}`);
      }
      throw error;
    }
  };
}

/**
 * SDK clients of the command line, one per service and region, created on first use and reused for the life
 * of the process. Credentials, endpoint and the default region stay with the SDK's default chain
 * (AWS_PROFILE, environment, SSO, AWS_ENDPOINT_URL), narrowed by `options.profile`; `region` undefined means
 * `options.fallbackRegion`, else that default region. Every call has the operator's timeouts, and the SDK's
 * bounded retries (its standard mode). `service` is the IAM service prefix that names the client's operations
 * in errors.
 */
export function clientPerRegion<C extends CliClient>(
  service: string,
  create: (config: CliClientSettings) => C,
  options: SdkOptions = {},
): (region?: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    const key = region ?? '';
    let client = clients.get(key);
    if (client === undefined) {
      const chosen = region ?? options.fallbackRegion;
      client = create({
        ...sdkClientSettings(undefined),
        ...(chosen === undefined ? {} : { region: chosen }),
        ...(options.profile === undefined ? {} : { profile: options.profile }),
        ...(options.logger === undefined ? {} : { logger: options.logger }),
        requestHandler: requestHandlerTimeouts(options.timeouts ?? DEFAULT_TIMEOUTS),
      });
      client.middlewareStack.add(recordOperation(service), {
        step: 'initialize',
        name: 'cliRecordOperation',
      });
      clients.set(key, client);
    }
    return client;
  };
}
