import type { Trail as CloudTrailTrail } from '@aws-sdk/client-cloudtrail';
import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { RULE_NAME, TRAIL_RESOURCE_TYPE } from '../../rule/definition.js';
import { configurationItemFromApi, MESSAGE_TYPE } from '../../rule/event.js';

/**
 * Builds AWS Config rule events from trails as the emulator returns them. moto's Config does not record
 * `AWS::CloudTrail::Trail` (GetResourceConfigHistory answers ResourceNotDiscoveredException), so the
 * configuration item is assembled in the API shape GetResourceConfigHistory returns, from DescribeTrails
 * output, and then converted by the rule's own `configurationItemFromApi`, the conversion its oversized path
 * uses. The event envelope follows test/fixtures/rule/change-trail.json.
 */

export const ACCOUNT_ID = '123456789012';
/** The result token rule Lambdas treat as "call PutEvaluations with TestMode", the only mode moto accepts. */
export const TEST_MODE_TOKEN = 'TESTMODE';

/**
 * A trail's Config `configuration`: the DescribeTrails keys with their first letter lowered
 * (`TrailARN` -> `trailARN`, `CloudWatchLogsLogGroupArn` -> `cloudWatchLogsLogGroupArn`), as in Config's items.
 */
export function trailConfiguration(trail: CloudTrailTrail): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(trail)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [`${key.charAt(0).toLowerCase()}${key.slice(1)}`, value]),
  );
}

/** The configuration item GetResourceConfigHistory would return for `trail` as recorded in `region`. */
export function apiConfigurationItem(
  trail: CloudTrailTrail,
  region: string,
  captureTime: Date,
): ApiConfigurationItem {
  return {
    version: '1.3',
    accountId: ACCOUNT_ID,
    configurationItemCaptureTime: captureTime,
    configurationItemStatus: 'OK',
    arn: trail.TrailARN,
    resourceType: TRAIL_RESOURCE_TYPE,
    resourceId: trail.Name,
    resourceName: trail.Name,
    awsRegion: region,
    configuration: JSON.stringify(trailConfiguration(trail)),
  };
}

function envelope(invokingEvent: Record<string, unknown>, region: string): Record<string, unknown> {
  return {
    invokingEvent: JSON.stringify(invokingEvent),
    ruleParameters: '{}',
    resultToken: TEST_MODE_TOKEN,
    eventLeftScope: false,
    executionRoleArn: `arn:aws:iam::${ACCOUNT_ID}:role/config-role`,
    configRuleArn: `arn:aws:config:${region}:${ACCOUNT_ID}:config-rule/config-rule-e2e000`,
    configRuleName: RULE_NAME,
    configRuleId: 'config-rule-e2e000',
    accountId: ACCOUNT_ID,
    version: '1.0',
  };
}

/** A ConfigurationItemChangeNotification for `trail`, recorded in `region` at `captureTime`. */
export function changeEvent(
  trail: CloudTrailTrail,
  region: string,
  captureTime: Date,
): Record<string, unknown> {
  return envelope(
    {
      configurationItem: configurationItemFromApi(apiConfigurationItem(trail, region, captureTime)),
      notificationCreationTime: new Date(captureTime.getTime() + 1_000).toISOString(),
      messageType: MESSAGE_TYPE.change,
      recordVersion: '1.3',
    },
    region,
  );
}

/**
 * An OversizedConfigurationItemChangeNotification for `item` (with its `configurationStateId`): the summary
 * only, as in test/fixtures/rule/oversized-trail.json, so the rule reads the item back from the history.
 */
export function oversizedEvent(item: ApiConfigurationItem, region: string): Record<string, unknown> {
  const capturedAt = item.configurationItemCaptureTime as Date;
  return envelope(
    {
      configurationItemSummary: {
        changeType: 'UPDATE',
        configurationItemVersion: item.version,
        configurationItemCaptureTime: capturedAt.toISOString(),
        // A number in AWS's sample notifications, a string in the API's items.
        configurationStateId: Number(item.configurationStateId),
        awsAccountId: item.accountId,
        configurationItemStatus: item.configurationItemStatus,
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        resourceName: item.resourceName,
        ARN: item.arn,
        awsRegion: item.awsRegion,
        availabilityZone: 'Not Applicable',
        configurationStateMd5Hash: '',
      },
      s3DeliverySummary: {
        s3BucketLocation: `config-bucket-${ACCOUNT_ID}/AWSLogs/${ACCOUNT_ID}/Config/${region}/OversizedChangeNotification/${item.resourceType}/${item.resourceId}.json.gz`,
        errorCode: null,
        errorMessage: null,
      },
      notificationCreationTime: new Date(capturedAt.getTime() + 1_000).toISOString(),
      messageType: MESSAGE_TYPE.oversized,
      recordVersion: '1.0',
    },
    region,
  );
}

/** A ScheduledNotification for the rule deployed in `region`. */
export function scheduledEvent(region: string, notificationTime: Date): Record<string, unknown> {
  return envelope(
    {
      awsAccountId: ACCOUNT_ID,
      notificationCreationTime: notificationTime.toISOString(),
      messageType: MESSAGE_TYPE.scheduled,
      recordVersion: '1.0',
    },
    region,
  );
}

/** One evaluation the rule sends: a trail's, unless `resourceType` names another type (the sweep's account one). */
export interface SentEvaluation {
  readonly id: string;
  readonly type: string;
  readonly annotation: string;
  readonly at: Date;
  readonly resourceType?: string;
}

/** A sweep's account-level result: its compliance type and annotation. */
export interface AccountResult {
  readonly type: string;
  readonly annotation: string;
}

/**
 * The PutEvaluations request body the rule sends in test mode, as moto's recorder holds it (OrderingTimestamp in
 * epoch seconds, as on the wire): what the rule and rule-history tiers compare sent evaluations with.
 */
export function putEvaluationsBody(evaluations: readonly SentEvaluation[]): unknown {
  return {
    Evaluations: evaluations.map(({ id, type, annotation, at, resourceType = 'AWS::CloudTrail::Trail' }) => ({
      ComplianceResourceType: resourceType,
      ComplianceResourceId: id,
      ComplianceType: type,
      Annotation: annotation,
      OrderingTimestamp: at.getTime() / 1000,
    })),
    ResultToken: 'TESTMODE',
    TestMode: true,
  };
}

/** A sweep's account-level evaluation of ACCOUNT_ID, sent in a PutEvaluations call of its own after the trails'. */
export function accountEvaluation({ type, annotation }: AccountResult, at: Date): SentEvaluation {
  return { resourceType: 'AWS::::Account', id: ACCOUNT_ID, type, annotation, at };
}
