import { Token } from 'aws-cdk-lib';
import { GUARD_STACK_NAME, prefixedName } from '../guard-stack.js';

/**
 * Physical names the hub and the spoke must agree on. The spoke template is one template for every account
 * and region, so it cannot receive the hub's generated names: it computes ARNs from these fixed names, the hub
 * account id and `${AWS::Region}`. IAM is global while both stacks are regional, so role names carry the region.
 */

const IAM_ROLE_NAME_MAX = 64;
/** Longest region name expected (`ap-southeast-2` is 14): a region given as a token is measured as this. */
const REGION_NAME_MAX = 16;

/** A name prefix that makes some role name longer than IAM allows. */
export class OrganizationNameError extends Error {
  constructor(roleName: string) {
    super(
      `IAM role name ${roleName} would be longer than ${IAM_ROLE_NAME_MAX} characters; shorten the namePrefix ` +
        'context value (organization mode puts it, the project name and the region in role names).',
    );
    this.name = 'OrganizationNameError';
  }
}

/** What a role is for; the word goes in its name. */
export type RoleKind = 'hub-rule' | 'hub-fix' | 'rule' | 'fix' | 'ssm';

export interface OrganizationNames {
  /** Hub rule Lambda: the spoke Config rule's `SourceIdentifier` ends in this name. */
  readonly ruleFunction: string;
  /** Hub remediation Lambda: the spoke Automation document invokes it by ARN. */
  readonly remediationFunction: string;
  /**
   * The spoke's Automation document, the same in every account and region (SSM names are per account and
   * region): the hub acts only for executions of a document of this name in the account it acts in.
   */
  readonly remediationDocument: string;
  readonly stackSet: string;
  readonly aggregator: string;
  /** The hub's event bus the spokes forward compliance alerts to (context `complianceAlerts`). */
  readonly alertBus: string;
  /** `<prefix->cloudtrail-logs-guard-<kind>-<region>`; `region` may be `Aws.REGION`. */
  roleName(kind: RoleKind, region: string): string;
}

/** The names for a deployment with the given `namePrefix` context value. */
export function organizationNames(namePrefix: string | undefined): OrganizationNames {
  const base = prefixedName(namePrefix, GUARD_STACK_NAME);
  return {
    ruleFunction: `${base}-rule`,
    remediationFunction: `${base}-remediation`,
    remediationDocument: `${base}-remediation`,
    stackSet: `${base}-spoke`,
    aggregator: `${base}-organization`,
    alertBus: `${base}-alerts`,
    roleName(kind, region) {
      const name = `${base}-${kind}-${region}`;
      const length = Token.isUnresolved(region) ? `${base}-${kind}-`.length + REGION_NAME_MAX : name.length;
      if (length > IAM_ROLE_NAME_MAX) throw new OrganizationNameError(`${base}-${kind}-<region>`);
      return name;
    },
  };
}
