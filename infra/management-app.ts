import { createManagementApp } from './organization/management.js';

/**
 * The organization's management account, governed like a member: with that account's credentials,
 * `npx cdk deploy --app "npx tsx infra/management-app.ts" --all` with the organization app's context plus
 * `hubAccountId` (docs/organization.md, Deploy).
 */
createManagementApp().app.synth();
