import { accountOfArn } from '../../common/aws-identifiers.js';
import { type ExemptionList, isActive } from '../../common/exemptions.js';

/**
 * The exemptions in force when the evidence is written: those of the deployment's exemptions file that `report`
 * was given (`--exemptions FILE`, read and validated by common/exemptions.ts, the parser the deployed Lambdas use),
 * active at that instant. Without the file the CLI knows no exemption, and the evidence says so.
 */

/** One exemption in force: which trail, until when, why, and the reference it was granted under. */
export interface ExemptionInForce {
  /** The account the trail belongs to; for an entry naming trails in an OU, the OU id. */
  readonly account: string;
  /** The trail's ARN; `*` for every trail of the account; the trail name for an entry naming trails in an OU. */
  readonly trail: string;
  readonly expiresAt: string;
  readonly reason: string;
  readonly reference: string;
}

export interface ExemptionsEvidence {
  readonly exemptions: readonly ExemptionInForce[];
  /** How the list was obtained, written into the manifest. */
  readonly source: string;
}

/** The deployment's exemptions file as `report --exemptions` read it. */
export interface ExemptionsFile {
  readonly file: string;
  readonly list: ExemptionList;
}

/** The exemptions of `given` in force at `at`; none, saying so, without a file. */
export function exemptionsInForce(at: Date, given?: ExemptionsFile): ExemptionsEvidence {
  if (given === undefined) {
    return {
      exemptions: [],
      source: 'none: no exemptions file was given (report --exemptions FILE), so no exemption is listed',
    };
  }
  const inForce = given.list.exemptions.filter((exemption) => isActive(exemption, at));
  return {
    exemptions: inForce.map(({ scope, expiresAt, reason, reference }) => ({
      account:
        scope.kind === 'trail'
          ? (accountOfArn(scope.trailArn) ?? '')
          : scope.kind === 'account'
            ? scope.account
            : scope.organizationalUnit,
      trail: scope.kind === 'trail' ? scope.trailArn : scope.kind === 'account' ? '*' : scope.trailName,
      expiresAt: expiresAt.toISOString(),
      reason,
      reference,
    })),
    source: `exemptions file ${given.file} (report --exemptions): ${inForce.length} of its ${given.list.exemptions.length} in force at ${at.toISOString()}`,
  };
}
