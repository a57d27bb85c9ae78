/**
 * The part of the CloudTrail SDK the rule uses, imported dynamically (`import('./cloudtrail-sdk.js')`) by the
 * paths that call CloudTrail. Naming the exports here keeps esbuild's tree-shaking: a dynamic import of the
 * package itself would bundle every CloudTrail command.
 */
export {
  CloudTrailClient,
  DescribeTrailsCommand,
  GetTrailStatusCommand,
  TrailNotFoundException,
} from '@aws-sdk/client-cloudtrail';
