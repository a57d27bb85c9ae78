/**
 * The project's identity, shared by both Lambdas, the command line and infra: its name and the tag that marks
 * everything it creates. Here, at the bottom layer, because common/account-credentials.ts names its STS session
 * after the project and every layer above tells its own resources apart by the tag. Pure: no I/O.
 */

export const PROJECT_NAME = 'cloudtrail-logs-guard';

/** Tags set on everything the remediation creates, so operators can tell it apart from their own. */
export const CREATED_BY_TAGS: Readonly<Record<string, string>> = { 'managed-by': PROJECT_NAME };

/**
 * True when `tags` (key to value, as CloudWatch Logs lists them) carry every one of CREATED_BY_TAGS: the one test
 * of "created by this project" for log groups, roles and alarms alike.
 */
export function carriesCreatedByTags(tags: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(CREATED_BY_TAGS).every(([key, value]) => tags?.[key] === value);
}
