/**
 * The part of the Organizations SDK the rule uses, imported dynamically by rule/clients.ts: only an exemption naming
 * trails in an OU needs it. Naming the export keeps esbuild's tree-shaking, as in cloudtrail-sdk.ts.
 */
export { OrganizationsClient } from '@aws-sdk/client-organizations';
