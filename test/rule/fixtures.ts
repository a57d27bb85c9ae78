import { readFileSync } from 'node:fs';
import type { Trail as SdkTrail } from '@aws-sdk/client-cloudtrail';
import type { ConfigurationItem as ApiConfigurationItem, Evaluation } from '@aws-sdk/client-config-service';

/** A rule fixture (real AWS event shapes) parsed fresh on each call, so tests can change their copy. */
export function loadFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/rule/${name}`, import.meta.url), 'utf8')) as T;
}

export interface RawRuleEvent extends Record<string, unknown> {
  invokingEvent: string;
  ruleParameters: string;
}

/** A raw event with one change to its parsed invokingEvent (the structuredClone-plus-one-change habit). */
export function withInvokingEvent(
  name: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests reshape fixtures freely; the parser under test checks them
  change: (invokingEvent: Record<string, any>) => void,
): RawRuleEvent {
  const event = loadFixture<RawRuleEvent>(name);
  const invoking = JSON.parse(event.invokingEvent);
  change(invoking);
  return { ...event, invokingEvent: JSON.stringify(invoking) };
}

/** A raw trail change event whose configuration item's `configuration` gets one change. */
export function trailChangeEvent(
  change: (configuration: Record<string, unknown>) => void = () => {},
): RawRuleEvent {
  return withInvokingEvent('change-trail.json', (invoking) =>
    change(invoking.configurationItem.configuration),
  );
}

/** The account, rule and trail the rule fixtures describe. */
export const ACCOUNT = '123456789012';
export const RULE = 'cloudtrail-cloudwatch-logs-integrated';
export const TRAIL = 'AWS::CloudTrail::Trail';
/** Capture time of change-trail.json's item and notification time of scheduled.json. */
export const CAPTURED = new Date('2026-11-29T08:59:12.114Z');
export const NOTIFIED = new Date('2026-11-29T12:00:00.373Z');
export const LOG_GROUP = 'aws-cloudtrail-logs-123456789012-7f92262f';
export const LOG_GROUP_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LOG_GROUP}:*`;
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/AWSCloudTrailLogStream`;
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;

/** A raw event with other rule parameters. */
export const withParameters = (event: RawRuleEvent, parameters: Record<string, unknown>): RawRuleEvent => ({
  ...event,
  ruleParameters: JSON.stringify(parameters),
});

/** A DescribeTrails entry: an owned, integrated multi-region trail of us-east-1, with one change. */
export function sdkTrail(name: string, change: Partial<SdkTrail> = {}): SdkTrail {
  return {
    Name: name,
    TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`,
    HomeRegion: 'us-east-1',
    IsMultiRegionTrail: true,
    IsOrganizationTrail: false,
    CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`,
    CloudWatchLogsRoleArn: ROLE_ARN,
    ...change,
  };
}

/** history-trail.json's item as the SDK returns it (dates parsed). */
export function historyItem(): ApiConfigurationItem {
  const [item] = loadFixture<{ configurationItems: Record<string, string>[] }>(
    'history-trail.json',
  ).configurationItems;
  return {
    ...item,
    configurationItemCaptureTime: new Date(item?.configurationItemCaptureTime as string),
    resourceCreationTime: new Date(item?.resourceCreationTime as string),
  } as ApiConfigurationItem;
}

/**
 * history-trail.json's item captured at `at`, its configuration with one change, with another status when given
 * (`ResourceDiscovered` for a resource's first item). Its configurationStateId is the fixture's own at the
 * fixture's capture time (the id the oversized and change events name), else the capture time in milliseconds.
 */
export function historyAt(
  at: Date,
  change: (configuration: Record<string, unknown>) => void = () => {},
  status: ApiConfigurationItem['configurationItemStatus'] = 'OK',
): ApiConfigurationItem {
  const item = historyItem();
  const configuration = JSON.parse(item.configuration as string);
  change(configuration);
  return {
    ...item,
    configurationItemCaptureTime: at,
    configurationItemStatus: status,
    configurationStateId:
      at.getTime() === item.configurationItemCaptureTime?.getTime()
        ? item.configurationStateId
        : String(at.getTime()),
    configuration: JSON.stringify(configuration),
  };
}

/** The item of another trail (by name), otherwise as {@link historyAt}. */
export function historyOf(
  name: string,
  at: Date,
  change: (configuration: Record<string, unknown>) => void = () => {},
  status: ApiConfigurationItem['configurationItemStatus'] = 'OK',
): ApiConfigurationItem {
  return {
    ...historyAt(
      at,
      (configuration) => {
        configuration.name = name;
        configuration.trailARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
        configuration.cloudWatchLogsLogGroupArn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${name}:*`;
        change(configuration);
      },
      status,
    ),
    resourceId: name,
    resourceName: name,
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`,
  };
}

/** One evaluation of a resource of `type` as PutEvaluations takes it. */
function evaluationOf(
  type: string,
  resourceId: string,
  complianceType: string,
  annotation: string,
  at: Date,
): Evaluation {
  return {
    ComplianceResourceType: type,
    ComplianceResourceId: resourceId,
    ComplianceType: complianceType as Evaluation['ComplianceType'],
    Annotation: annotation,
    OrderingTimestamp: at,
  };
}

/** One trail's evaluation as PutEvaluations takes it. */
export function evaluation(
  resourceId: string,
  complianceType: string,
  annotation: string,
  at: Date,
): Evaluation {
  return evaluationOf(TRAIL, resourceId, complianceType, annotation, at);
}

/** The account-level resource type of a sweep's one account evaluation (rule/account-result.ts). */
export const ACCOUNT_TYPE = 'AWS::::Account';

/** A sweep's account-level evaluation as PutEvaluations takes it: under the evaluated account's id. */
export function accountEvaluation(
  complianceType: string,
  annotation: string,
  at: Date = NOTIFIED,
  account: string = ACCOUNT,
): Evaluation {
  return evaluationOf(ACCOUNT_TYPE, account, complianceType, annotation, at);
}

/** The PutEvaluations call of a sweep's account-level evaluation, which goes in a call of its own. */
export function accountCall(
  accountLevel: Evaluation,
  resultToken = 'myResultToken',
): { ResultToken: string; Evaluations: Evaluation[]; TestMode?: boolean } {
  return {
    ResultToken: resultToken,
    Evaluations: [accountLevel],
    ...(resultToken === 'TESTMODE' ? { TestMode: true } : {}),
  };
}
