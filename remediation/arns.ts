import { capture, isTrailName, parseTrailArn, type TrailArn } from '../common/aws-identifiers.js';
import { ROLE_PATH } from './definition.js';

/**
 * ARN parsing and building for the resources the remediation touches. Pure: no I/O.
 */

const KMS_KEY_ARN = /^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\d{12}):key\/([A-Za-z0-9-]+)$/;
/** An SNS topic ARN, standard or FIFO (names: 1-256 of letters, digits, `_`, `-`): the monitoring alarms' target. */
export const TOPIC_ARN_PATTERN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const TOPIC_ARN = /^arn:(aws[a-z-]*):sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;
// IAM: a path of `/`-separated segments, a name of 1-128 of `[\w+=,.@-]`; `aws` as account for AWS managed policies.
const POLICY_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}|aws):policy(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,128})$/;

// Defined with the other identifiers in common/, where the exemptions parser needs them too.
export { isTrailName, parseTrailArn, type TrailArn };

export interface PolicyArn {
  readonly partition: string;
  /** 12 digits, or `aws` for an AWS managed policy. */
  readonly account: string;
  readonly path: string;
  readonly name: string;
}

/** Parses `arn:<partition>:iam::<account>:policy/<path><name>`; undefined when it is not one. */
export function parsePolicyArn(arn: string): PolicyArn | undefined {
  const groups = capture(POLICY_ARN, arn, 4);
  if (groups === undefined) return undefined;
  const [partition, account, path, name] = groups;
  return { partition, account, path, name };
}

export interface KmsKeyArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly keyId: string;
}

/** Parses `arn:<partition>:kms:<region>:<account>:key/<id>` (aliases are not accepted by AssociateKmsKey). */
export function parseKmsKeyArn(arn: string): KmsKeyArn | undefined {
  const groups = capture(KMS_KEY_ARN, arn, 4);
  if (groups === undefined) return undefined;
  const [partition, region, account, keyId] = groups;
  return { partition, region, account, keyId };
}

/** The log group ARN as DescribeLogGroups' `logGroupArn` gives it (no trailing `:*`). */
export function logGroupArn(
  partition: string,
  region: string,
  account: string,
  logGroupName: string,
): string {
  return `arn:${partition}:logs:${region}:${account}:log-group:${logGroupName}`;
}

/** UpdateTrail's CloudWatchLogsLogGroupArn must name the log group with a trailing `:*`. */
export function trailLogGroupArn(
  partition: string,
  region: string,
  account: string,
  logGroupName: string,
): string {
  return `${logGroupArn(partition, region, account, logGroupName)}:*`;
}

/** ARN of a remediation role: roles live under ROLE_PATH, which is part of the ARN. */
export function remediationRoleArn(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role${ROLE_PATH}${roleName}`;
}

export interface LogGroupArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

const LOG_GROUP_ARN =
  /^arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([A-Za-z0-9_./#-]{1,512}?)(?::\*)?$/;

/** Parses a log group ARN, with or without the trailing `:*` a trail stores; undefined when it is not one. */
export function parseLogGroupArn(arn: string): LogGroupArn | undefined {
  const groups = capture(LOG_GROUP_ARN, arn, 4);
  if (groups === undefined) return undefined;
  const [partition, region, account, name] = groups;
  return { partition, region, account, name };
}

/** An SNS topic ARN's parts: the same four as a trail's. */
export type TopicArn = TrailArn;

/** An SNS topic ARN's parts (TOPIC_ARN_PATTERN); undefined for anything else. */
export function parseTopicArn(arn: string): TopicArn | undefined {
  const groups = capture(TOPIC_ARN, arn, 4);
  if (groups === undefined) return undefined;
  const [partition, region, account, name] = groups;
  return { partition, region, account, name };
}

export interface RoleArn {
  readonly account: string;
  /** `/` or `/<segments>/`, as GetRole reports a role's Path. */
  readonly path: string;
  readonly name: string;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role(\/(?:[\w+=,.@-]+\/)*)([\w+=,.@-]{1,64})$/;

/** Parses `arn:<partition>:iam::<account>:role/<path><name>`; undefined when it is not one. */
export function parseRoleArn(arn: string): RoleArn | undefined {
  const groups = capture(ROLE_ARN, arn, 3);
  if (groups === undefined) return undefined;
  const [account, path, name] = groups;
  return { account, path, name };
}
