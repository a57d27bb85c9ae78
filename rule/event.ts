import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { InvalidEventError } from './errors.js';

/**
 * Our own types for the event AWS Config sends a custom rule, and their parsing. The event's configuration item
 * is not the SDK's `ConfigurationItem` (different keys, `configuration` already an object), so it has its own type
 * and {@link configurationItemFromApi} converts the API shape to it.
 */

/** The message types the rule handles; any other fails the invocation. */
export const MESSAGE_TYPE = {
  change: 'ConfigurationItemChangeNotification',
  oversized: 'OversizedConfigurationItemChangeNotification',
  scheduled: 'ScheduledNotification',
} as const;

export type MessageType = (typeof MESSAGE_TYPE)[keyof typeof MESSAGE_TYPE];

/** Statuses for which there is nothing to judge: the resource is gone or Config does not record it. */
export const NOT_EVALUATED_STATUSES = [
  'ResourceDeleted',
  'ResourceDeletedNotRecorded',
  'ResourceNotRecorded',
] as const;

/** A configuration item in the shape Config puts in `invokingEvent` (the keys the rule reads). */
export interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly ARN?: string;
  readonly awsRegion: string;
  readonly awsAccountId: string;
  readonly configurationItemStatus: string;
  readonly configurationItemCaptureTime: string;
  /** Config's ordering id of the item (a number in AWS's sample events, a string in the API), as a string. */
  readonly configurationStateId?: string;
  /** Null for deleted or unrecorded resources. */
  readonly configuration: Readonly<Record<string, unknown>> | null;
}

/** The subset of an oversized notification's summary needed to fetch the full item. */
export interface ConfigurationItemSummary {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly configurationItemStatus: string;
  readonly configurationItemCaptureTime: string;
  /** Identifies the item among those captured at the same time; absent when the summary has none. */
  readonly configurationStateId?: string;
}

/** One entry of `configurationItemDiff.changedProperties`, keyed like `Configuration.CloudWatchLogsRoleArn`. */
export interface PropertyChange {
  /** CREATE, UPDATE or DELETE. */
  readonly changeType?: string;
  readonly previousValue?: unknown;
  readonly updatedValue?: unknown;
}

/**
 * What changed since the resource's previous configuration item (`invokingEvent.configurationItemDiff`): the
 * resource's `changeType` (CREATE, UPDATE, DELETE) and one {@link PropertyChange} per changed property.
 */
export interface ConfigurationItemDiff {
  readonly changeType?: string;
  readonly changedProperties: Readonly<Record<string, PropertyChange>>;
}

export type InvokingEvent =
  | {
      readonly messageType: typeof MESSAGE_TYPE.change;
      readonly configurationItem: ConfigurationItem;
      /** Absent when Config sends none (null). */
      readonly configurationItemDiff?: ConfigurationItemDiff;
    }
  | {
      readonly messageType: typeof MESSAGE_TYPE.oversized;
      readonly configurationItemSummary: ConfigurationItemSummary;
    }
  | { readonly messageType: typeof MESSAGE_TYPE.scheduled; readonly notificationCreationTime: Date };

/** The Lambda event of a Config custom rule, with its JSON strings parsed. */
export interface ConfigRuleEvent {
  readonly invokingEvent: InvokingEvent;
  /** Raw rule parameters; `parseRuleParameters` validates them. */
  readonly ruleParameters: Readonly<Record<string, unknown>>;
  readonly resultToken: string;
  readonly eventLeftScope: boolean;
  readonly executionRoleArn?: string;
  readonly configRuleName: string;
  readonly accountId: string;
}

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonObject(text: unknown, field: string): JsonObject {
  if (typeof text !== 'string')
    throw new InvalidEventError(`${field} must be a JSON string, got ${typeOf(text)}.`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidEventError(`${field} is not valid JSON (${(error as Error).message}).`, {
      cause: error,
    });
  }
  if (!isObject(value)) throw new InvalidEventError(`${field} must be a JSON object, got ${typeOf(value)}.`);
  return value;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function requireString(object: JsonObject, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string' || value === '') {
    const got = value === '' ? 'an empty string' : typeOf(value);
    throw new InvalidEventError(`${where}.${key} must be a non-empty string, got ${got}.`);
  }
  return value;
}

function optionalString(object: JsonObject, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw new InvalidEventError(`${where}.${key} must be a string, got ${typeOf(value)}.`);
  return value;
}

function requireTimestamp(object: JsonObject, key: string, where: string): string {
  const value = requireString(object, key, where);
  if (Number.isNaN(Date.parse(value)))
    throw new InvalidEventError(`${where}.${key} is not a timestamp: "${value}".`);
  return value;
}

/** `configurationStateId`: a number in AWS's sample events, a string in the API; kept as a string. */
function optionalStateId(object: JsonObject, where: string): { configurationStateId?: string } {
  const value = object.configurationStateId;
  if (value === undefined || value === null || value === '') return {};
  if (typeof value === 'string') return { configurationStateId: value };
  if (Number.isSafeInteger(value)) return { configurationStateId: String(value) };
  throw new InvalidEventError(
    `${where}.configurationStateId must be a string or an integer, got ${typeOf(value)}.`,
  );
}

function parseConfigurationItem(value: unknown, where: string): ConfigurationItem {
  if (!isObject(value)) throw new InvalidEventError(`${where} must be an object, got ${typeOf(value)}.`);
  const configuration = value.configuration;
  if (configuration !== undefined && configuration !== null && !isObject(configuration)) {
    throw new InvalidEventError(
      `${where}.configuration must be an object or null, got ${typeOf(configuration)}.`,
    );
  }
  const resourceName = optionalString(value, 'resourceName', where);
  const arn = optionalString(value, 'ARN', where);
  return {
    resourceType: requireString(value, 'resourceType', where),
    resourceId: requireString(value, 'resourceId', where),
    ...(resourceName === undefined ? {} : { resourceName }),
    ...(arn === undefined ? {} : { ARN: arn }),
    awsRegion: requireString(value, 'awsRegion', where),
    awsAccountId: requireString(value, 'awsAccountId', where),
    configurationItemStatus: requireString(value, 'configurationItemStatus', where),
    configurationItemCaptureTime: requireTimestamp(value, 'configurationItemCaptureTime', where),
    ...optionalStateId(value, where),
    configuration: configuration ?? null,
  };
}

function parseDiff(value: unknown, where: string): ConfigurationItemDiff | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    throw new InvalidEventError(`${where} must be an object or null, got ${typeOf(value)}.`);
  const properties = value.changedProperties ?? {};
  if (!isObject(properties)) {
    throw new InvalidEventError(`${where}.changedProperties must be an object, got ${typeOf(properties)}.`);
  }
  const changedProperties: Record<string, PropertyChange> = {};
  for (const [key, change] of Object.entries(properties)) {
    if (!isObject(change)) {
      throw new InvalidEventError(
        `${where}.changedProperties["${key}"] must be an object, got ${typeOf(change)}.`,
      );
    }
    const changeType = optionalString(change, 'changeType', `${where}.changedProperties["${key}"]`);
    changedProperties[key] = {
      ...(changeType === undefined ? {} : { changeType }),
      ...('previousValue' in change ? { previousValue: change.previousValue } : {}),
      ...('updatedValue' in change ? { updatedValue: change.updatedValue } : {}),
    };
  }
  const changeType = optionalString(value, 'changeType', where);
  return { ...(changeType === undefined ? {} : { changeType }), changedProperties };
}

function parseSummary(value: unknown, where: string): ConfigurationItemSummary {
  if (!isObject(value)) throw new InvalidEventError(`${where} must be an object, got ${typeOf(value)}.`);
  return {
    resourceType: requireString(value, 'resourceType', where),
    resourceId: requireString(value, 'resourceId', where),
    configurationItemStatus: requireString(value, 'configurationItemStatus', where),
    configurationItemCaptureTime: requireTimestamp(value, 'configurationItemCaptureTime', where),
    ...optionalStateId(value, where),
  };
}

function parseInvokingEvent(text: unknown): InvokingEvent {
  const value = parseJsonObject(text, 'invokingEvent');
  const messageType = value.messageType;
  switch (messageType) {
    case MESSAGE_TYPE.change: {
      const diff = parseDiff(value.configurationItemDiff, 'invokingEvent.configurationItemDiff');
      return {
        messageType,
        configurationItem: parseConfigurationItem(value.configurationItem, 'invokingEvent.configurationItem'),
        ...(diff === undefined ? {} : { configurationItemDiff: diff }),
      };
    }
    case MESSAGE_TYPE.oversized:
      return {
        messageType,
        configurationItemSummary: parseSummary(
          value.configurationItemSummary,
          'invokingEvent.configurationItemSummary',
        ),
      };
    case MESSAGE_TYPE.scheduled:
      return {
        messageType,
        notificationCreationTime: new Date(
          requireTimestamp(value, 'notificationCreationTime', 'invokingEvent'),
        ),
      };
    default:
      throw new InvalidEventError(
        `invokingEvent.messageType ${JSON.stringify(messageType)} is not handled; expected one of ${Object.values(MESSAGE_TYPE).join(', ')}. Configure the rule's triggers with these message types only.`,
      );
  }
}

/**
 * Parses the Lambda event of a Config custom rule into {@link ConfigRuleEvent}. Throws
 * {@link InvalidEventError} naming the first field that is missing or malformed.
 */
export function parseConfigRuleEvent(event: unknown): ConfigRuleEvent {
  if (!isObject(event)) throw new InvalidEventError(`the event must be an object, got ${typeOf(event)}.`);
  const invokingEvent = parseInvokingEvent(event.invokingEvent);
  const rawParameters = event.ruleParameters;
  // Config omits ruleParameters when the rule has none.
  const ruleParameters =
    rawParameters === undefined || rawParameters === null
      ? {}
      : parseJsonObject(rawParameters, 'ruleParameters');
  const eventLeftScope = event.eventLeftScope;
  if (eventLeftScope !== undefined && typeof eventLeftScope !== 'boolean') {
    throw new InvalidEventError(`eventLeftScope must be a boolean, got ${typeOf(eventLeftScope)}.`);
  }
  const executionRoleArn = optionalString(event, 'executionRoleArn', 'event');
  return {
    invokingEvent,
    ruleParameters,
    resultToken: requireString(event, 'resultToken', 'event'),
    eventLeftScope: eventLeftScope ?? false,
    ...(executionRoleArn === undefined ? {} : { executionRoleArn }),
    configRuleName: requireString(event, 'configRuleName', 'event'),
    accountId: requireString(event, 'accountId', 'event'),
  };
}

/**
 * Converts a configuration item as GetResourceConfigHistory returns it to the shape Config puts in
 * `invokingEvent` (the conversion rdklib does for oversized items): `accountId` -> `awsAccountId`, `arn` -> `ARN`,
 * dates -> ISO strings, and the `configuration` JSON string -> an object. Throws {@link InvalidEventError}; the
 * caller (rule/history-api.ts) reports it as the response's fault.
 */
export function configurationItemFromApi(item: ApiConfigurationItem): ConfigurationItem {
  let configuration: unknown = null;
  // Absent, null or '' (an item Config does not record, or a deleted one): no configuration.
  if (item.configuration) {
    try {
      configuration = JSON.parse(item.configuration);
    } catch (error) {
      throw new InvalidEventError('its configuration is not valid JSON.', { cause: error });
    }
  }
  return parseConfigurationItem(
    {
      resourceType: item.resourceType,
      resourceId: item.resourceId,
      resourceName: item.resourceName,
      ARN: item.arn,
      awsRegion: item.awsRegion,
      awsAccountId: item.accountId,
      configurationItemStatus: item.configurationItemStatus,
      configurationItemCaptureTime: item.configurationItemCaptureTime?.toISOString(),
      configurationStateId: item.configurationStateId,
      configuration,
    },
    'GetResourceConfigHistory configurationItems[0]',
  );
}
