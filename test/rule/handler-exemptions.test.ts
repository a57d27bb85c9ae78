import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { ListParentsCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OrganizationalUnitLookupError } from '../../common/exemption-lookup.js';
import { InvalidExemptionsError } from '../../common/exemptions.js';
import { RuleRunError, TrailsNotJudgedError } from '../../rule/errors.js';
import { handler } from '../../rule/handler.js';
import { memberRoleCredentials } from '../common/assume-role.js';
import { organizations, organizationTree, PAYMENTS, PRODUCTION, ROOT } from '../common/organization-tree.js';
import {
  ACCOUNT,
  CAPTURED,
  evaluation,
  loadFixture,
  NOTIFIED,
  type RawRuleEvent,
  sdkTrail,
  trailChangeEvent,
  withInvokingEvent,
  withParameters,
} from './fixtures.js';
import { cloudTrail, config, freshRuleAws, putInputs } from './rule-aws.js';

/**
 * The rule with the exemptions its deployment put beside its code (LAMBDA_TASK_ROOT/exemptions.json), judged at
 * an instant the test sets (the fake clock is the handler's `new Date()`).
 */

const sts = mockClient(STSClient);

const BEFORE_EXPIRY = new Date('2026-11-29T12:00:00.000Z');
const AFTER_EXPIRY = new Date('2026-12-16T00:00:01.000Z');
const EXEMPT =
  'Exempt until 2026-12-16: Data events trail; ingest would cost about $4,000 a month. (SEC-1234)';
const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';
const EXPIRED = `Exemption expired on 2026-12-16 (SEC-1234). ${NOT_CONFIGURED}`;

const ENTRY = {
  trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`,
  reason: 'Data events trail; ingest would cost about $4,000 a month.',
  reference: 'SEC-1234',
  approver: 'ciso@example.com',
  expires: '2026-12-16',
};

/** A code directory holding this exemptions file, as the stacks deploy it, for this test alone. */
function deployWith(document: unknown): void {
  const root = mkdtempSync(join(tmpdir(), 'guard-rule-task-'));
  writeFileSync(
    join(root, 'exemptions.json'),
    typeof document === 'string' ? document : JSON.stringify(document),
  );
  vi.stubEnv('LAMBDA_TASK_ROOT', root);
}

const fileWith = (...entries: unknown[]) => ({ version: 1, exemptions: entries });

const bare = () =>
  trailChangeEvent((c) => {
    c.cloudWatchLogsLogGroupArn = null;
    c.cloudWatchLogsRoleArn = null;
  });

const everything = () => putInputs().flatMap((input) => input.Evaluations ?? []);
/** The trail verdicts reported; the sweep's account-level result apart ({@link accountResult}). */
const reported = () => everything().filter((e) => e.ComplianceResourceType === 'AWS::CloudTrail::Trail');
const accountResult = () =>
  everything()
    .filter((e) => e.ComplianceResourceType === 'AWS::::Account')
    .map((e) => [e.ComplianceType, e.Annotation]);

beforeEach(() => {
  freshRuleAws();
  organizationTree();
  sts.reset();
  vi.useFakeTimers({ now: BEFORE_EXPIRY, toFake: ['Date'] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('handler with exemptions: a change event', () => {
  it('reports an exempt trail NOT_APPLICABLE with the date, reason and ticket, reading no delivery status', async () => {
    deployWith(fileWith(ENTRY));
    await handler(withParameters(bare(), { expectedDeliveryWindowAge: '24' }));
    expect(reported()).toEqual([evaluation('management-events', 'NOT_APPLICABLE', EXEMPT, CAPTURED)]);
    expect(cloudTrail.commandCalls(GetTrailStatusCommand)).toHaveLength(0);
  });

  it('reports the trail NON_COMPLIANT, saying the exemption expired, once the clock passes 00:00 UTC of its date', async () => {
    deployWith(fileWith(ENTRY));
    vi.setSystemTime(AFTER_EXPIRY);
    await handler(bare());
    expect(reported()).toEqual([evaluation('management-events', 'NON_COMPLIANT', EXPIRED, CAPTURED)]);
  });

  it('ignores an exemption of another trail', async () => {
    deployWith(
      fileWith({ ...ENTRY, trailArn: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/management-events` }),
    );
    await handler(bare());
    expect(reported()).toEqual([evaluation('management-events', 'NON_COMPLIANT', NOT_CONFIGURED, CAPTURED)]);
  });

  it.each([
    ['an unknown field', { ...ENTRY, owner: 'team-a' }, 'unknown field(s) owner'],
    [
      'an expiry beyond the maximum term',
      { ...ENTRY, expires: '2027-06-01' },
      'expires 2027-06-01, beyond the maximum term of 90 days',
    ],
    ['no approver', { ...ENTRY, approver: undefined }, 'approver is required'],
  ])(
    'honours no exemption of a file with %s: reports the trail as without it, then fails naming the entry',
    async (_case, entry, problem) => {
      deployWith(fileWith(entry));
      const failure = await handler(bare()).catch((error: unknown) => error);
      expect(reported()).toEqual([
        evaluation('management-events', 'NON_COMPLIANT', NOT_CONFIGURED, CAPTURED),
      ]);
      expect(failure).toBeInstanceOf(InvalidExemptionsError);
      expect((failure as Error).message).toContain(`exemptions[0] (SEC-1234): ${problem}`);
    },
  );

  it('honours nothing of a file that is not JSON', async () => {
    deployWith('{"version": 1, "exemptions": [');
    const failure = await handler(bare()).catch((error: unknown) => error);
    expect(reported()).toEqual([evaluation('management-events', 'NON_COMPLIANT', NOT_CONFIGURED, CAPTURED)]);
    expect((failure as Error).message).toMatch(
      /^Invalid exemptions in the deployed exemptions \(.+\): not valid JSON/,
    );
  });
});

describe('handler with exemptions: what the trail owner can set', () => {
  it('exempts nothing for a tag on the trail, whoever can tag it', async () => {
    const event = withInvokingEvent('change-trail.json', (invoking) => {
      const item = invoking.configurationItem;
      item.tags = { 'cloudtrail-logs-guard:exempt': 'true', exempt: 'until 2099-01-01' };
      item.configuration.cloudWatchLogsLogGroupArn = null;
      item.configuration.cloudWatchLogsRoleArn = null;
    });
    await handler(event);
    expect(reported()).toEqual([evaluation('management-events', 'NON_COMPLIANT', NOT_CONFIGURED, CAPTURED)]);
  });

  it("refuses exemptions passed as a rule parameter (a member account can edit its own rule's parameters)", async () => {
    await expect(
      handler(withParameters(bare(), { exemptions: JSON.stringify(fileWith(ENTRY)) })),
    ).rejects.toThrow(
      'Invalid rule parameters: unknown parameter(s) exemptions; this rule accepts only expectedDeliveryWindowAge, ExecutionRoleName.',
    );
    expect(putInputs()).toEqual([]);
  });
});

describe('handler with exemptions: the sweep', () => {
  beforeEach(() => {
    cloudTrail.on(DescribeTrailsCommand).resolves({
      trailList: [
        sdkTrail('data-events', { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined }),
        sdkTrail('landing-zone', { CloudWatchLogsLogGroupArn: undefined, CloudWatchLogsRoleArn: undefined }),
        sdkTrail('integrated'),
      ],
    });
  });
  const dataEvents = { ...ENTRY, trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/data-events` };
  const landingZone = {
    ...ENTRY,
    trailArn: undefined,
    trailName: 'landing-zone',
    organizationalUnit: PRODUCTION,
    reference: 'SEC-77',
    reason: 'Owned by the landing zone team.',
  };
  const notConfigured = (name: string) => evaluation(name, 'NON_COMPLIANT', NOT_CONFIGURED, NOTIFIED);
  const integrated = evaluation(
    'integrated',
    'COMPLIANT',
    'Integrated: the trail sends events to CloudWatch Logs log group integrated.',
    NOTIFIED,
  );

  it("exempts a trail by ARN and trails of a name in an OU above the owner's account", async () => {
    organizationTree({ [ACCOUNT]: PAYMENTS, [PAYMENTS]: PRODUCTION, [PRODUCTION]: ROOT });
    deployWith(fileWith(dataEvents, landingZone));
    await handler(loadFixture('scheduled.json'));
    expect(reported()).toEqual([
      evaluation('data-events', 'NOT_APPLICABLE', EXEMPT, NOTIFIED),
      evaluation(
        'landing-zone',
        'NOT_APPLICABLE',
        'Exempt until 2026-12-16: Owned by the landing zone team. (SEC-77)',
        NOTIFIED,
      ),
      integrated,
    ]);
    // An exempt trail is judged, and is not NON_COMPLIANT.
    expect(accountResult()).toEqual([
      [
        'COMPLIANT',
        'Every trail this account owns with its home region here was judged (3 trails); none is NON_COMPLIANT.',
      ],
    ]);
    // Read once for the account, and only because an entry names trails called landing-zone.
    expect(organizations.commandCalls(ListParentsCommand).map((call) => call.args[0].input.ChildId)).toEqual([
      ACCOUNT,
      PAYMENTS,
      PRODUCTION,
    ]);
  });

  it('leaves a trail an OU entry may cover unjudged when the OUs cannot be read, and reports every other trail', async () => {
    organizations.on(ListParentsCommand).rejects(
      Object.assign(new Error("You don't have permissions to access this resource."), {
        name: 'AccessDeniedException',
      }),
    );
    deployWith(fileWith(dataEvents, landingZone));
    const failure = await handler(loadFixture('scheduled.json')).catch((error: unknown) => error);
    expect(reported()).toEqual([evaluation('data-events', 'NOT_APPLICABLE', EXEMPT, NOTIFIED), integrated]);
    expect(failure).toBeInstanceOf(TrailsNotJudgedError);
    expect((failure as TrailsNotJudgedError).errors[0]).toBeInstanceOf(OrganizationalUnitLookupError);
    expect((failure as TrailsNotJudgedError).trails).toEqual(['landing-zone']);
    // Fail closed: a trail whose exemption could not be looked up keeps the account from being COMPLIANT.
    expect(accountResult().map(([type]) => type)).toEqual(['NON_COMPLIANT']);
  });

  it('judges every trail without exemptions when one entry is malformed, reports them, then fails naming it', async () => {
    deployWith(fileWith(dataEvents, { ...landingZone, organizationalUnit: 'ou-bad' }));
    const failure = await handler(loadFixture('scheduled.json')).catch((error: unknown) => error);
    expect(reported()).toEqual([notConfigured('data-events'), notConfigured('landing-zone'), integrated]);
    expect(failure).toBeInstanceOf(InvalidExemptionsError);
    expect((failure as InvalidExemptionsError).problems).toEqual([
      'exemptions[1] (SEC-77): organizationalUnit "ou-bad" is not an OU id (ou-<root part>-<unit part>)',
    ]);
    expect(organizations.commandCalls(ListParentsCommand)).toHaveLength(0);
  });

  it('raises the malformed exemptions together with a failed report', async () => {
    config
      .on(PutEvaluationsCommand)
      .rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    deployWith('[]');
    const failure = await handler(loadFixture('scheduled.json')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RuleRunError);
    expect((failure as RuleRunError).errors.map((error) => (error as Error).name)).toEqual([
      // Two calls now (the account-level result has its own), both failed: named together.
      'PutEvaluationsError',
      'InvalidExemptionsError',
    ]);
  });
});

describe('handler with exemptions in organization mode', () => {
  const HUB = '111111111111';
  const hubContext = {
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${HUB}:function:cloudtrail-logs-guard-rule`,
  };

  it("reads the OUs with the hub's own credentials while judging the member account with the spoke role", async () => {
    const keys: string[] = [];
    const recorded =
      <T>(name: string, output: T) =>
      async (
        _input: unknown,
        getClient: () => { config: { credentials: () => Promise<AwsCredentialIdentity> } },
      ) => {
        keys.push(`${name} ${(await getClient().config.credentials()).accessKeyId}`);
        return output;
      };
    sts.on(AssumeRoleCommand).resolves(memberRoleCredentials());
    organizations
      .on(ListParentsCommand)
      .callsFake(recorded('ListParents', { Parents: [{ Id: ROOT, Type: 'ROOT' }] }));
    config.on(PutEvaluationsCommand).callsFake(recorded('PutEvaluations', { FailedEvaluations: [] }));
    deployWith(
      fileWith({
        ...ENTRY,
        trailArn: undefined,
        trailName: 'management-events',
        organizationalUnit: PRODUCTION,
      }),
    );
    const event: RawRuleEvent = {
      ...bare(),
      ruleParameters: JSON.stringify({ ExecutionRoleName: 'spoke-rule-exemptions' }),
    };

    await handler(event, hubContext);

    // Its account sits directly under the root: in no OU, so not exempt.
    expect(reported()).toEqual([evaluation('management-events', 'NON_COMPLIANT', NOT_CONFIGURED, CAPTURED)]);
    expect(keys).toEqual(['ListParents test', 'PutEvaluations AKIAMEMBER']);
  });
});
