/**
 * The part of the STS SDK the credentials module uses, imported dynamically (`import('./sts-sdk.js')`) when a
 * role is first assumed. Naming the exports here keeps esbuild's tree-shaking: a dynamic import of the package
 * itself would bundle every STS command.
 */
export { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
