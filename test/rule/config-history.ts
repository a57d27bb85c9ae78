import {
  type ConfigurationItem as ApiConfigurationItem,
  type ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  type GetResourceConfigHistoryCommandInput,
  type GetResourceConfigHistoryCommandOutput,
  InvalidLimitException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  ResourceNotDiscoveredException,
} from '@aws-sdk/client-config-service';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/**
 * An in-memory AWS Config history that answers GetResourceConfigHistory as the API reference documents it,
 * served through the real SDK client (aws-sdk-client-mock). Each behaviour follows a sentence of the reference:
 * - "By default, the results are listed in reverse chronological order"; `chronologicalOrder: 'Forward'` lists
 *   oldest first.
 * - "Each call to the API is limited to span a duration of seven days. It is likely that the number of records
 *   returned is smaller than the specified limit. In such cases, you can make another call, using the
 *   nextToken": every call covers at most seven days from where the previous page stopped, so a page can be
 *   short or empty while older (or newer) items exist, and `nextToken` is returned until the whole range is
 *   covered.
 * - `laterTime`: "If not specified, current time is taken"; `earlierTime`: "If not specified, the action returns
 *   paginated results that contain configuration items that start when the first configuration item was
 *   recorded".
 * - `limit`: "The default is 10. You cannot specify a number greater than 100. If you specify 0, Config uses the
 *   default" (InvalidLimitException otherwise).
 * - InvalidTimeRangeException: "The earlier time is not chronologically before the later time."
 * - ResourceNotDiscoveredException: "You have specified a resource that is either unknown or has not been
 *   discovered."
 * Whether `earlierTime` and `laterTime` include an item captured exactly at them is not documented: both answers
 * are offered (`inclusiveBounds`), so a test can show the reader is right either way.
 */

const SPAN_MS = 7 * 24 * 3_600_000;
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

interface Cursor {
  /** The bound the next span starts from: its latest time (Reverse) or its earliest (Forward), in ms. */
  readonly from: number;
  /** Items of the current span already returned. */
  readonly skip: number;
}

const captureMs = (item: ApiConfigurationItem) => (item.configurationItemCaptureTime as Date).getTime();

export class ConfigHistory {
  /** Every GetResourceConfigHistory request served, in order. */
  readonly requests: GetResourceConfigHistoryCommandInput[] = [];
  private readonly byResource = new Map<string, ApiConfigurationItem[]>();
  private readonly tokens = new Map<string, Cursor>();

  constructor(private readonly options: { readonly inclusiveBounds: boolean } = { inclusiveBounds: true }) {}

  /** Records an item of its resource (any order: the history keeps them by capture time). */
  record(...items: ApiConfigurationItem[]): this {
    for (const item of items) {
      const key = `${item.resourceType} ${item.resourceId}`;
      const list = [...(this.byResource.get(key) ?? []), item];
      this.byResource.set(
        key,
        list.sort((a, b) => captureMs(a) - captureMs(b)),
      );
    }
    return this;
  }

  /** Serves the history through a mocked ConfigServiceClient. */
  install(config: AwsClientStub<ConfigServiceClient>): this {
    config
      .on(GetResourceConfigHistoryCommand)
      .callsFake((input: GetResourceConfigHistoryCommandInput) => this.serve(input));
    return this;
  }

  /** Requests for one resource, as sent. */
  requestsFor(resourceId: string): GetResourceConfigHistoryCommandInput[] {
    return this.requests.filter((request) => request.resourceId === resourceId);
  }

  serve(input: GetResourceConfigHistoryCommandInput): GetResourceConfigHistoryCommandOutput {
    this.requests.push(input);
    const $metadata = {};
    const limit = input.limit === undefined || input.limit === 0 ? DEFAULT_LIMIT : input.limit;
    if (limit < 0 || limit > MAX_LIMIT) {
      throw new InvalidLimitException({
        message: 'The specified limit is outside the allowable range.',
        $metadata,
      });
    }
    const items = this.byResource.get(`${input.resourceType} ${input.resourceId}`);
    if (items === undefined || items.length === 0) {
      throw new ResourceNotDiscoveredException({
        message: `Resource ${input.resourceId} of resourceType:${input.resourceType} is unknown or has not been discovered`,
        $metadata,
      });
    }
    const later = input.laterTime?.getTime() ?? Date.now();
    const earlier = input.earlierTime?.getTime() ?? captureMs(items[0] as ApiConfigurationItem);
    if (input.earlierTime !== undefined && earlier >= later) {
      throw new InvalidTimeRangeException({
        message: 'The earlier time is not chronologically before the later time.',
        $metadata,
      });
    }
    const forward = input.chronologicalOrder === 'Forward';
    let cursor: Cursor = { from: forward ? earlier : later, skip: 0 };
    if (input.nextToken !== undefined) {
      const issued = this.tokens.get(input.nextToken);
      if (issued === undefined) {
        throw new InvalidNextTokenException({ message: 'The specified next token is invalid.', $metadata });
      }
      cursor = issued;
    }
    // One span of at most seven days, within [earlier, later].
    const [spanStart, spanEnd] = forward
      ? [cursor.from, Math.min(cursor.from + SPAN_MS, later)]
      : [Math.max(cursor.from - SPAN_MS, earlier), cursor.from];
    const { inclusiveBounds } = this.options;
    const inRange = (ms: number) =>
      (input.earlierTime === undefined || inclusiveBounds ? ms >= earlier : ms > earlier) &&
      (input.laterTime === undefined || inclusiveBounds ? ms <= later : ms < later);
    const inSpan = items
      .filter(
        (item) => captureMs(item) >= spanStart && captureMs(item) <= spanEnd && inRange(captureMs(item)),
      )
      .sort((a, b) => (forward ? captureMs(a) - captureMs(b) : captureMs(b) - captureMs(a)));
    const page = inSpan.slice(cursor.skip, cursor.skip + limit);
    let next: Cursor | undefined;
    if (cursor.skip + limit < inSpan.length) next = { from: cursor.from, skip: cursor.skip + limit };
    else if (forward ? spanEnd < later : spanStart > earlier) {
      next = { from: forward ? spanEnd + 1 : spanStart - 1, skip: 0 };
    }
    const output: GetResourceConfigHistoryCommandOutput = { configurationItems: page, $metadata };
    if (next === undefined) return output;
    const token = `token-${this.tokens.size + 1}`;
    this.tokens.set(token, next);
    return { ...output, nextToken: token };
  }
}
