import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { describe, expect, it } from 'vitest';
import { InvalidEventError } from '../../rule/errors.js';
import { configurationItemFromApi, parseConfigRuleEvent } from '../../rule/event.js';
import { loadFixture, type RawRuleEvent, withInvokingEvent } from './fixtures.js';

function apiItem(): ApiConfigurationItem {
  const item = loadFixture<{ configurationItems: Record<string, unknown>[] }>('history-trail.json')
    .configurationItems[0];
  return {
    ...item,
    configurationItemCaptureTime: new Date(item?.configurationItemCaptureTime as string),
    resourceCreationTime: new Date(item?.resourceCreationTime as string),
  } as ApiConfigurationItem;
}

describe('parseConfigRuleEvent', () => {
  it('parses the documented change-triggered event', () => {
    const event = parseConfigRuleEvent(loadFixture('change-ec2-instance.json'));
    expect(event).toEqual({
      invokingEvent: {
        messageType: 'ConfigurationItemChangeNotification',
        configurationItem: {
          resourceType: 'AWS::EC2::Instance',
          resourceId: 'i-00000000',
          ARN: 'arn:aws:ec2:us-east-2:123456789012:instance/i-00000000',
          awsRegion: 'us-east-2',
          awsAccountId: '123456789012',
          configurationItemStatus: 'OK',
          configurationItemCaptureTime: '2016-02-17T01:36:34.043Z',
          configuration: { foo: 'bar' },
        },
      },
      ruleParameters: {},
      resultToken: 'myResultToken',
      eventLeftScope: false,
      executionRoleArn: 'arn:aws:iam::123456789012:role/config-role',
      configRuleName: 'change-triggered-config-rule',
      accountId: '123456789012',
    });
  });

  it('parses the configurationItemDiff of a trail change', () => {
    const { invokingEvent } = parseConfigRuleEvent(loadFixture('change-trail.json'));
    expect(invokingEvent).toMatchObject({
      configurationItemDiff: {
        changeType: 'UPDATE',
        changedProperties: {
          'Configuration.CloudWatchLogsLogGroupArn': {
            previousValue: null,
            updatedValue:
              'arn:aws:logs:us-east-1:123456789012:log-group:aws-cloudtrail-logs-123456789012-7f92262f:*',
            changeType: 'CREATE',
          },
          'Configuration.CloudWatchLogsRoleArn': {
            previousValue: null,
            updatedValue: 'arn:aws:iam::123456789012:role/service-role/AWSCloudTrailLogStream',
            changeType: 'CREATE',
          },
        },
      },
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['absent', undefined],
  ])('leaves out a configurationItemDiff that is %s', (_case, diff) => {
    const raw = withInvokingEvent('change-trail.json', (i) => {
      i.configurationItemDiff = diff;
    });
    expect(parseConfigRuleEvent(raw).invokingEvent).not.toHaveProperty('configurationItemDiff');
  });

  it('reads a diff without changedProperties as changing nothing', () => {
    const raw = withInvokingEvent('change-trail.json', (i) => {
      i.configurationItemDiff = { changeType: 'UPDATE' };
    });
    expect(parseConfigRuleEvent(raw).invokingEvent).toMatchObject({
      configurationItemDiff: { changeType: 'UPDATE', changedProperties: {} },
    });
  });

  it('parses the oversized notification summary', () => {
    const event = parseConfigRuleEvent(loadFixture('oversized-trail.json'));
    expect(event.invokingEvent).toEqual({
      messageType: 'OversizedConfigurationItemChangeNotification',
      configurationItemSummary: {
        resourceType: 'AWS::CloudTrail::Trail',
        resourceId: 'management-events',
        configurationItemStatus: 'OK',
        configurationItemCaptureTime: '2026-11-29T08:59:12.114Z',
        // A number in the event, kept as the API's string to match the item read back.
        configurationStateId: '1764406752114',
      },
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['an empty string', ''],
  ])('leaves out a configurationStateId that is %s', (_case, stateId) => {
    const event = parseConfigRuleEvent(
      withInvokingEvent(
        'oversized-trail.json',
        (i) => (i.configurationItemSummary.configurationStateId = stateId),
      ),
    );
    expect(
      'configurationStateId' in
        (event.invokingEvent as { configurationItemSummary: object }).configurationItemSummary,
    ).toBe(false);
  });

  it('keeps a configurationStateId given as a string', () => {
    const event = parseConfigRuleEvent(
      withInvokingEvent(
        'oversized-trail.json',
        (i) => (i.configurationItemSummary.configurationStateId = '42'),
      ),
    );
    expect(event.invokingEvent).toMatchObject({ configurationItemSummary: { configurationStateId: '42' } });
  });

  it('parses the scheduled notification time', () => {
    const event = parseConfigRuleEvent(loadFixture('scheduled.json'));
    expect(event.invokingEvent).toEqual({
      messageType: 'ScheduledNotification',
      notificationCreationTime: new Date('2026-11-29T12:00:00.373Z'),
    });
  });

  it('treats absent ruleParameters and eventLeftScope as none and false', () => {
    const { ruleParameters: _p, eventLeftScope: _s, ...raw } = loadFixture<RawRuleEvent>('scheduled.json');
    const event = parseConfigRuleEvent(raw);
    expect(event.ruleParameters).toEqual({});
    expect(event.eventLeftScope).toBe(false);
  });

  it('leaves out an executionRoleArn the event does not give', () => {
    const { executionRoleArn: _r, ...raw } = loadFixture<RawRuleEvent>('scheduled.json');
    expect(parseConfigRuleEvent(raw)).not.toHaveProperty('executionRoleArn');
  });

  it.each([
    ['invokingEvent', { invokingEvent: '{"messageType":' }],
    ['ruleParameters', { ruleParameters: '{expectedDeliveryWindowAge: 24}' }],
  ])('keeps the JSON parser error as the cause of a malformed %s', (_field, change) => {
    const raw = { ...loadFixture<RawRuleEvent>('scheduled.json'), ...change };
    expect(() => parseConfigRuleEvent(raw)).toThrow(InvalidEventError);
    expect(causeOf(() => parseConfigRuleEvent(raw))).toBeInstanceOf(SyntaxError);
  });

  it('keeps the null configuration of a deleted item', () => {
    const raw = withInvokingEvent('change-trail.json', (invoking) => {
      invoking.configurationItem.configurationItemStatus = 'ResourceDeleted';
      invoking.configurationItem.configuration = null;
    });
    const event = parseConfigRuleEvent(raw);
    expect(event.invokingEvent).toMatchObject({
      configurationItem: { configurationItemStatus: 'ResourceDeleted', configuration: null },
    });
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['absent', undefined],
  ])('treats ruleParameters that are %s as none', (_case, ruleParameters) => {
    expect(
      parseConfigRuleEvent({ ...loadFixture<RawRuleEvent>('scheduled.json'), ruleParameters }).ruleParameters,
    ).toEqual({});
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['absent', undefined],
  ])('leaves out a resourceName and ARN that are %s', (_case, value) => {
    const raw = withInvokingEvent('change-trail.json', (invoking) => {
      invoking.configurationItem.resourceName = value;
      invoking.configurationItem.ARN = value;
    });
    const { invokingEvent } = parseConfigRuleEvent(raw);
    expect(invokingEvent).toHaveProperty('configurationItem');
    const item = 'configurationItem' in invokingEvent ? invokingEvent.configurationItem : undefined;
    expect(item).not.toHaveProperty('resourceName');
    expect(item).not.toHaveProperty('ARN');
    expect(item).toMatchObject({ resourceId: 'management-events', configurationItemStatus: 'OK' });
  });

  it('reads a configuration item without a configuration key as a null configuration', () => {
    const raw = withInvokingEvent('change-trail.json', (invoking) => {
      invoking.configurationItem.configurationItemStatus = 'ResourceNotRecorded';
      delete invoking.configurationItem.configuration;
    });
    expect(parseConfigRuleEvent(raw).invokingEvent).toMatchObject({
      configurationItem: { configurationItemStatus: 'ResourceNotRecorded', configuration: null },
    });
  });

  it('keeps what a changed property holds, and leaves out what it does not', () => {
    const raw = withInvokingEvent('change-trail.json', (invoking) => {
      invoking.configurationItemDiff = {
        changedProperties: {
          'Configuration.A': { previousValue: null, changeType: null },
          'Configuration.B': { updatedValue: false },
          'Configuration.C': {},
        },
      };
    });
    const diff = (parseConfigRuleEvent(raw).invokingEvent as { configurationItemDiff: unknown })
      .configurationItemDiff;
    expect(diff).toStrictEqual({
      changedProperties: {
        'Configuration.A': { previousValue: null },
        'Configuration.B': { updatedValue: false },
        'Configuration.C': {},
      },
    });
  });

  it('reads eventLeftScope true', () => {
    expect(
      parseConfigRuleEvent({ ...loadFixture<RawRuleEvent>('scheduled.json'), eventLeftScope: true })
        .eventLeftScope,
    ).toBe(true);
  });

  const base = (): RawRuleEvent => loadFixture<RawRuleEvent>('change-trail.json');
  it.each<[string, () => unknown, string]>([
    [
      'a non-object event',
      () => 'hello',
      'Invalid Config rule event: the event must be an object, got string.',
    ],
    ['a null event', () => null, 'Invalid Config rule event: the event must be an object, got null.'],
    ['an array event', () => [], 'Invalid Config rule event: the event must be an object, got array.'],
    [
      'an invokingEvent of "null"',
      () => ({ ...base(), invokingEvent: 'null' }),
      'Invalid Config rule event: invokingEvent must be a JSON object, got null.',
    ],
    [
      'an invokingEvent of a JSON number',
      () => ({ ...base(), invokingEvent: '42' }),
      'Invalid Config rule event: invokingEvent must be a JSON object, got number.',
    ],
    [
      'ruleParameters of "null"',
      () => ({ ...base(), ruleParameters: 'null' }),
      'Invalid Config rule event: ruleParameters must be a JSON object, got null.',
    ],
    [
      'ruleParameters that are an object, not a JSON string',
      () => ({ ...base(), ruleParameters: { expectedDeliveryWindowAge: '24' } }),
      'Invalid Config rule event: ruleParameters must be a JSON string, got object.',
    ],
    [
      'a numeric resourceName',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem.resourceName = 7)),
      'Invalid Config rule event: invokingEvent.configurationItem.resourceName must be a string, got number.',
    ],
    [
      'an ARN that is an object',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem.ARN = {})),
      'Invalid Config rule event: invokingEvent.configurationItem.ARN must be a string, got object.',
    ],
    [
      'a configuration that is an array',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem.configuration = [])),
      'Invalid Config rule event: invokingEvent.configurationItem.configuration must be an object or null, got array.',
    ],
    [
      'a configuration item that is null',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem = null)),
      'Invalid Config rule event: invokingEvent.configurationItem must be an object, got null.',
    ],
    [
      'a diff whose changeType is a number',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItemDiff.changeType = 2)),
      'Invalid Config rule event: invokingEvent.configurationItemDiff.changeType must be a string, got number.',
    ],
    [
      'a summary with an empty capture time',
      () =>
        withInvokingEvent(
          'oversized-trail.json',
          (i) => (i.configurationItemSummary.configurationItemCaptureTime = ''),
        ),
      'Invalid Config rule event: invokingEvent.configurationItemSummary.configurationItemCaptureTime must be a non-empty string, got an empty string.',
    ],
    [
      'a summary whose configurationStateId is a fraction',
      () =>
        withInvokingEvent(
          'oversized-trail.json',
          (i) => (i.configurationItemSummary.configurationStateId = 1.5),
        ),
      'Invalid Config rule event: invokingEvent.configurationItemSummary.configurationStateId must be a string or an integer, got number.',
    ],
    [
      'an item whose configurationStateId is an object',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem.configurationStateId = {})),
      'Invalid Config rule event: invokingEvent.configurationItem.configurationStateId must be a string or an integer, got object.',
    ],
    [
      'a scheduled event with a bad notificationCreationTime',
      () => withInvokingEvent('scheduled.json', (i) => (i.notificationCreationTime = 'noon')),
      'Invalid Config rule event: invokingEvent.notificationCreationTime is not a timestamp: "noon".',
    ],
    [
      'a numeric executionRoleArn',
      () => ({ ...base(), executionRoleArn: 1 }),
      'Invalid Config rule event: event.executionRoleArn must be a string, got number.',
    ],
    [
      'malformed invokingEvent JSON',
      () => ({ ...base(), invokingEvent: '{"messageType":' }),
      'Invalid Config rule event: invokingEvent is not valid JSON (',
    ],
    [
      'an invokingEvent that is not a string',
      () => ({ ...base(), invokingEvent: { messageType: 'ScheduledNotification' } }),
      'Invalid Config rule event: invokingEvent must be a JSON string, got object.',
    ],
    [
      'an invokingEvent that is a JSON array',
      () => ({ ...base(), invokingEvent: '[]' }),
      'Invalid Config rule event: invokingEvent must be a JSON object, got array.',
    ],
    [
      'an unknown messageType',
      () =>
        withInvokingEvent(
          'scheduled.json',
          (i) => (i.messageType = 'ConfigurationSnapshotDeliveryCompleted'),
        ),
      'Invalid Config rule event: invokingEvent.messageType "ConfigurationSnapshotDeliveryCompleted" is not handled; expected one of ConfigurationItemChangeNotification, OversizedConfigurationItemChangeNotification, ScheduledNotification. Configure the rule\'s triggers with these message types only.',
    ],
    [
      'malformed ruleParameters JSON',
      () => ({ ...base(), ruleParameters: '{expectedDeliveryWindowAge: 24}' }),
      'Invalid Config rule event: ruleParameters is not valid JSON (',
    ],
    [
      'a change event without configurationItem',
      () => withInvokingEvent('change-trail.json', (i) => delete i.configurationItem),
      'Invalid Config rule event: invokingEvent.configurationItem must be an object, got undefined.',
    ],
    [
      'a configuration item without resourceId',
      () => withInvokingEvent('change-trail.json', (i) => delete i.configurationItem.resourceId),
      'Invalid Config rule event: invokingEvent.configurationItem.resourceId must be a non-empty string, got undefined.',
    ],
    [
      'a configuration item with a bad capture time',
      () =>
        withInvokingEvent(
          'change-trail.json',
          (i) => (i.configurationItem.configurationItemCaptureTime = 'yesterday'),
        ),
      'Invalid Config rule event: invokingEvent.configurationItem.configurationItemCaptureTime is not a timestamp: "yesterday".',
    ],
    [
      'a configuration that is a string',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItem.configuration = '{}')),
      'Invalid Config rule event: invokingEvent.configurationItem.configuration must be an object or null, got string.',
    ],
    [
      'a configurationItemDiff that is a string',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItemDiff = 'UPDATE')),
      'Invalid Config rule event: invokingEvent.configurationItemDiff must be an object or null, got string.',
    ],
    [
      'changedProperties that is an array',
      () => withInvokingEvent('change-trail.json', (i) => (i.configurationItemDiff.changedProperties = [])),
      'Invalid Config rule event: invokingEvent.configurationItemDiff.changedProperties must be an object, got array.',
    ],
    [
      'a changed property that is not an object',
      () =>
        withInvokingEvent(
          'change-trail.json',
          (i) => (i.configurationItemDiff.changedProperties['Configuration.Name'] = 'x'),
        ),
      'Invalid Config rule event: invokingEvent.configurationItemDiff.changedProperties["Configuration.Name"] must be an object, got string.',
    ],
    [
      'a changed property with a numeric changeType',
      () =>
        withInvokingEvent(
          'change-trail.json',
          (i) => (i.configurationItemDiff.changedProperties['Configuration.Name'] = { changeType: 1 }),
        ),
      'Invalid Config rule event: invokingEvent.configurationItemDiff.changedProperties["Configuration.Name"].changeType must be a string, got number.',
    ],
    [
      'an oversized event without summary',
      () => withInvokingEvent('oversized-trail.json', (i) => delete i.configurationItemSummary),
      'Invalid Config rule event: invokingEvent.configurationItemSummary must be an object, got undefined.',
    ],
    [
      'a scheduled event without notificationCreationTime',
      () => withInvokingEvent('scheduled.json', (i) => delete i.notificationCreationTime),
      'Invalid Config rule event: invokingEvent.notificationCreationTime must be a non-empty string, got undefined.',
    ],
    [
      'a missing resultToken',
      () => ({ ...base(), resultToken: undefined }),
      'Invalid Config rule event: event.resultToken must be a non-empty string, got undefined.',
    ],
    [
      'a missing accountId',
      () => ({ ...base(), accountId: '' }),
      'Invalid Config rule event: event.accountId must be a non-empty string, got an empty string.',
    ],
    [
      'a missing configRuleName',
      () => ({ ...base(), configRuleName: null }),
      'Invalid Config rule event: event.configRuleName must be a non-empty string, got null.',
    ],
    [
      'a non-boolean eventLeftScope',
      () => ({ ...base(), eventLeftScope: 'false' }),
      'Invalid Config rule event: eventLeftScope must be a boolean, got string.',
    ],
  ])('throws InvalidEventError for %s', (_case, makeEvent, message) => {
    const parse = () => parseConfigRuleEvent(makeEvent());
    expect(parse).toThrow(InvalidEventError);
    expect(parse).toThrow(message);
  });
});

describe('configurationItemFromApi', () => {
  it('converts the GetResourceConfigHistory shape to the event shape', () => {
    const eventItem = JSON.parse(
      loadFixture<RawRuleEvent>('change-trail.json').invokingEvent,
    ).configurationItem;
    expect(configurationItemFromApi(apiItem())).toEqual({
      resourceType: eventItem.resourceType,
      resourceId: eventItem.resourceId,
      resourceName: eventItem.resourceName,
      ARN: eventItem.ARN,
      awsRegion: eventItem.awsRegion,
      awsAccountId: eventItem.awsAccountId,
      configurationItemStatus: eventItem.configurationItemStatus,
      configurationItemCaptureTime: eventItem.configurationItemCaptureTime,
      configurationStateId: String(eventItem.configurationStateId),
      configuration: eventItem.configuration,
    });
  });

  it('gives a deleted item without configuration a null configuration', () => {
    const item = {
      ...apiItem(),
      configurationItemStatus: 'ResourceDeleted',
      configuration: undefined,
    } as const;
    expect(configurationItemFromApi(item).configuration).toBeNull();
  });

  it.each<[string, string | undefined]>([
    ['an empty string', ''],
    ['absent', undefined],
  ])('gives an item whose configuration is %s a null configuration', (_case, configuration) => {
    const item = { ...apiItem(), configurationItemStatus: 'ResourceNotRecorded', configuration } as const;
    expect(configurationItemFromApi(item)).toMatchObject({
      resourceId: 'management-events',
      configurationItemStatus: 'ResourceNotRecorded',
      configuration: null,
    });
  });

  it('leaves out a resourceName and arn the history does not give', () => {
    const item = { ...apiItem(), resourceName: undefined, arn: undefined };
    const converted = configurationItemFromApi(item);
    expect(converted).not.toHaveProperty('resourceName');
    expect(converted).not.toHaveProperty('ARN');
  });

  it('throws InvalidEventError when the configuration is JSON but not an object', () => {
    const convert = () => configurationItemFromApi({ ...apiItem(), configuration: '"text"' });
    expect(convert).toThrow(InvalidEventError);
    expect(convert).toThrow(
      'Invalid Config rule event: GetResourceConfigHistory configurationItems[0].configuration must be an object or null, got string.',
    );
  });

  it('throws InvalidEventError when the configuration is not JSON', () => {
    const convert = () => configurationItemFromApi({ ...apiItem(), configuration: '{oops' });
    expect(convert).toThrow(InvalidEventError);
    expect(convert).toThrow('Invalid Config rule event: its configuration is not valid JSON.');
    expect(causeOf(convert)).toBeInstanceOf(SyntaxError);
  });

  it('throws InvalidEventError when the capture time is missing', () => {
    const convert = () => configurationItemFromApi({ ...apiItem(), configurationItemCaptureTime: undefined });
    expect(convert).toThrow(
      'Invalid Config rule event: GetResourceConfigHistory configurationItems[0].configurationItemCaptureTime must be a non-empty string, got undefined.',
    );
  });
});

/** The `cause` of the error `run` throws. */
function causeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as Error).cause;
  }
  throw new Error('expected an error');
}
