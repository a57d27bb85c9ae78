/**
 * The part of the CloudWatch Logs SDK the rule uses, imported dynamically (`import('./logs-sdk.js')`) by the one
 * path that calls it, so that only that path loads it (see cloudtrail-sdk.ts).
 */
export { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
