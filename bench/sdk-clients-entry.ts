/**
 * Reference entry for the cold-start stage: only the Config and CloudTrail clients the rule uses, bundled with
 * the Lambda options, to show what bundling alone buys before any lazy loading.
 */
export { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
export { ConfigServiceClient, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
