/**
 * The part of the IAM SDK the rule uses, imported dynamically (`import('./iam-sdk.js')`) by the one path that
 * calls it, so that only that path loads it (see cloudtrail-sdk.ts).
 */
export { GetRoleCommand, IAMClient, NoSuchEntityException } from '@aws-sdk/client-iam';
