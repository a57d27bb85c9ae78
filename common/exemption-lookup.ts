import { accountOfArn } from './aws-identifiers.js';
import {
  type ExemptionList,
  type ExemptionMatch,
  matchExemption,
  NO_EXEMPTIONS_LIST,
  needsOrganizationalUnits,
  type TrailIdentity,
} from './exemptions.js';

/**
 * The exemptions of one invocation at one instant, with the one read they may need: the OUs above a trail's owner,
 * for an entry naming trails in an OU. The read itself is given (common/organizational-units-api.ts with the
 * caller's own credentials), so this module imports no SDK and loads none into a cold start.
 */

/** The OUs above an account, every level up to the root. */
export type OrganizationalUnitsReader = (account: string) => Promise<ReadonlySet<string>>;

/** The OUs of an account could not be read: exemptions naming trails in an OU cannot be applied to its trails. */
export class OrganizationalUnitLookupError extends Error {
  readonly account: string;
  /** The IAM action of the read, as the rule's and the remediation's errors name theirs. */
  readonly action = 'organizations:ListParents';
  constructor(account: string, detail: string, options?: ErrorOptions) {
    super(
      `Could not read the organizational units of account ${account}: ${detail}. An exemption naming trails in an ` +
        'OU cannot be applied to its trails until they can be read, so they are neither judged nor remediated on a guess.',
      options,
    );
    this.name = 'OrganizationalUnitLookupError';
    this.account = account;
  }
}

export interface TrailExemptions {
  readonly list: ExemptionList;
  /**
   * What the exemptions say about an owned trail. The owner's OUs are read only when an entry names trails of this
   * trail's name in an OU, once per account; when they cannot be read it rejects with
   * {@link OrganizationalUnitLookupError}, so no caller exempts, or judges, a trail on a guess.
   */
  match(trail: TrailIdentity): Promise<ExemptionMatch>;
}

/**
 * The exemptions of `list` at `now`. Without `readUnits` (single-account mode, where nothing may read the
 * organization) a trail that an OU entry might cover is a lookup failure, never an exemption.
 */
export function trailExemptions(
  list: ExemptionList,
  now: Date,
  readUnits?: OrganizationalUnitsReader,
): TrailExemptions {
  const unitsByAccount = new Map<string, Promise<ReadonlySet<string>>>();
  const unitsOf = (account: string): Promise<ReadonlySet<string>> => {
    let units = unitsByAccount.get(account);
    if (units === undefined) {
      units =
        readUnits === undefined
          ? Promise.reject(
              new OrganizationalUnitLookupError(account, 'this deployment does not read the organization'),
            )
          : readUnits(account);
      unitsByAccount.set(account, units);
    }
    return units;
  };
  return {
    list,
    async match(trail) {
      if (!needsOrganizationalUnits(list, trail)) return matchExemption(list, trail, now);
      const owner = accountOfArn(trail.arn);
      if (owner === undefined) return matchExemption(list, trail, now);
      return matchExemption(list, trail, now, await unitsOf(owner));
    },
  };
}

/** A deployment without exemptions: every trail is judged as it is. */
export const NO_EXEMPTIONS: TrailExemptions = trailExemptions(NO_EXEMPTIONS_LIST, new Date(0));
