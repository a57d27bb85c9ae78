/**
 * End-to-end: the bundled rule Lambda reading AWS Config's history as AWS serves it (issue 22), against
 * moto_server behind the loopback fault proxy (fault-proxy.ts).
 *
 * The proxy's part, because moto cannot give it:
 * - GetResourceConfigHistory (`StarlingDoveService.GetResourceConfigHistory`): moto 5.2 records no
 *   AWS::CloudTrail::Trail and has no seven-day paging. The proxy answers every such call, on the wire (JSON 1.1,
 *   epoch-second timestamps), from the unit tier's history model (test/rule/config-history.ts, through
 *   history-service.ts), which pages as the API reference says: "Each call to the API is limited to span a
 *   duration of seven days. It is likely that the number of records returned is smaller than the specified
 *   limit. In such cases, you can make another call, using the nextToken". No such call reaches moto.
 * - The delivery fields of GetTrailStatus (LatestCloudWatchLogsDeliveryTime and ...Error), which moto never
 *   returns: added to moto's real answer, as in rule.test.ts, at the time each test chooses.
 * - A malformed DescribeTrails entry (case 4 only): moto's real answer, with HomeRegion removed from one of
 *   its two real trails. moto always returns a well-formed entry.
 *
 * moto's part, everything else: the trails (CreateTrail, UpdateTrail, AddTags, with a real log group and role),
 * DescribeTrails, the rest of GetTrailStatus, PutEvaluations, whose recorded request body is the evidence, and
 * the creation times the rule reads when a delivery would count (DescribeLogGroups' creationTime, GetRole's
 * CreateDate): those of the log group and role moto created seconds before the rule runs, never rewritten. So a
 * delivery that must count is reported after moto created them (case 6), and case 7 really deletes and creates
 * again one of them in moto after the delivery it reports.
 * The history items are built from what DescribeTrails reports for the trail (config-events.ts), so their log
 * group and role ARNs are moto's; an older integration differs only in the role it names. The rule takes `now`
 * from the clock, so every history is built relative to the current time.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { AddTagsCommand, CloudTrailClient, type Trail, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ConfigurationItem as ApiConfigurationItem } from '@aws-sdk/client-config-service';
import { CreateRoleCommand, DeleteRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ACCOUNT_ANNOTATION } from '../../rule/account-result.js';
import { ConfigHistory } from '../rule/config-history.js';
import { type BundledHandler, bundleBehindProxy } from './bundles.js';
import {
  type AccountResult,
  accountEvaluation,
  apiConfigurationItem,
  changeEvent,
  oversizedEvent,
  putEvaluationsBody,
  scheduledEvent,
} from './config-events.js';
import { recordedRequests, resetRecording } from './emulator.js';
import { HISTORY_TARGET, serveHistoryCall } from './history-service.js';
import { type Delivery, withDelivery } from './stand-in-services.js';
import { CLOUDTRAIL_TRUST, createTrail, describeTrail, roleArnOf } from './trails.js';

const REGION = 'us-east-1';
const WINDOW = JSON.stringify({ expectedDeliveryWindowAge: '24' });
const DELIVERY_ERROR = 'Access denied. Verify in IAM that the role has adequate permissions.';
/** The role a trail named before its re-point. */
const OLD_ROLE = roleArnOf('old-role');

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const daysAgo = (days: number) => minutesAgo(days * 24 * 60);

/** The item Config would have recorded for `trail` at `capturedAt`, its state id the capture time as AWS's are. */
function itemOf(
  trail: Trail,
  capturedAt: Date,
  status: 'ResourceDiscovered' | 'OK' = 'OK',
  tags?: Record<string, string>,
): ApiConfigurationItem {
  return {
    ...apiConfigurationItem(trail, REGION, capturedAt),
    configurationItemStatus: status,
    configurationStateId: String(capturedAt.getTime()),
    ...(tags === undefined ? {} : { tags }),
  };
}

async function sentEvaluations(endpoint: string): Promise<unknown[]> {
  return (await recordedRequests(endpoint))
    .filter((request) => request.service === 'config' && request.operation === 'PutEvaluations')
    .map((request) => JSON.parse(request.body));
}

/** The operations moto received since the recording was last reset, sorted (concurrent calls have no order). */
async function receivedOperations(endpoint: string): Promise<string[]> {
  return (await recordedRequests(endpoint))
    .map((request) => `${request.service}:${request.operation}`)
    .sort();
}

/** What the rule asked moto for the creation times: DescribeLogGroups' and GetRole's parameters. */
async function creationTimeReads(
  endpoint: string,
): Promise<{ describeLogGroups: unknown[]; getRole: unknown[] }> {
  const requests = await recordedRequests(endpoint);
  return {
    // JSON protocol (Logs_20140328.DescribeLogGroups).
    describeLogGroups: requests
      .filter((request) => request.operation === 'DescribeLogGroups')
      .map((request) => JSON.parse(request.body)),
    // IAM's query protocol: the parameters are the form-encoded body.
    getRole: requests
      .filter((request) => request.operation === 'GetRole')
      .map((request) => Object.fromEntries(new URLSearchParams(request.body))),
  };
}

/** The account-level result of a sweep whose one owned trail, `name`, got `type`. */
const accountOfOne = (name: string, type: string): AccountResult =>
  type === 'NON_COMPLIANT'
    ? {
        type,
        annotation: `NON_COMPLIANT trails of this account with their home region here: 1 of 1 (${name}).`,
      }
    : { type, annotation: ACCOUNT_ANNOTATION.judged('1 trail') };

describe('rule Lambda bundle against moto, Config history paged by the fault proxy as AWS serves it', () => {
  const endpoint = inject('motoEndpoint');
  /** The history the proxy serves; a fresh one per test. */
  let history: ConfigHistory;
  /** Items per page the proxy returned, in call order. */
  let pageSizes: number[];
  /** What the proxy adds to moto's GetTrailStatus answer; nothing when undefined (never delivered). */
  let delivery: Delivery | undefined;
  /** The trail whose DescribeTrails entry the proxy strips of HomeRegion; none when undefined. */
  let malformed: string | undefined;
  let rule: BundledHandler;

  beforeAll(async () => {
    rule = await bundleBehindProxy('rule', 'single-account', endpoint, async (call, forward) => {
      if (call.target === HISTORY_TARGET) {
        const answer = serveHistoryCall(history, call.body);
        const page = JSON.parse(answer.body) as { configurationItems?: unknown[] };
        pageSizes.push(page.configurationItems?.length ?? 0);
        return answer;
      }
      const answer = await forward();
      if (answer.status !== 200) return answer;
      if (call.target?.endsWith('.DescribeTrails') && malformed !== undefined) {
        const listing = JSON.parse(answer.body) as { trailList: Record<string, unknown>[] };
        for (const trail of listing.trailList) {
          if (trail.Name === malformed) delete trail.HomeRegion;
        }
        return { ...answer, body: JSON.stringify(listing) };
      }
      return delivery === undefined ? answer : withDelivery(call, answer, delivery);
    });
  });

  beforeEach(() => {
    history = new ConfigHistory();
    pageSizes = [];
    delivery = undefined;
    malformed = undefined;
  });

  afterAll(async () => {
    await rule?.dispose();
  });

  const notDelivering = (name: string, changed: string, delivered: string) =>
    `Not delivering since the integration changed ${changed} ago: last delivery to log group /e2e/${name} was ${delivered} ago, before the change. Delivery error: ${DELIVERY_ERROR}`;

  it('sweep: a re-point 3 hours ago after 40 days of stability is NON_COMPLIANT, its predecessor found across empty pages (7 history calls)', async () => {
    await createTrail(endpoint, { name: 'repointed', region: REGION, logGroup: true, role: true });
    const trail = await describeTrail('repointed', REGION, REGION);
    history.record(
      itemOf({ ...trail, CloudWatchLogsRoleArn: OLD_ROLE }, daysAgo(40), 'ResourceDiscovered'),
      itemOf(trail, minutesAgo(180)),
    );
    // The last delivery went to the old role, 10 minutes before the re-point.
    const deliveredAt = minutesAgo(190);
    delivery = { at: deliveredAt, error: DELIVERY_ERROR };
    const sweptAt = new Date();

    await rule.run({ ...scheduledEvent(REGION, sweptAt), ruleParameters: WINDOW });

    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'repointed',
          type: 'NON_COMPLIANT',
          annotation: notDelivering('repointed', '3 hours', '3 hours'),
          at: sweptAt,
        },
      ]),
      putEvaluationsBody([accountEvaluation(accountOfOne('repointed', 'NON_COMPLIANT'), sweptAt)]),
    ]);
    // The span since the delivery (the re-point), then back from the re-point one seven-day page at a time:
    // the re-point itself (laterTime includes it), four empty weeks, the 40-day-old item.
    expect(pageSizes).toEqual([1, 1, 0, 0, 0, 0, 1]);
    // The horizon went out in epoch seconds and came back to the millisecond.
    expect(history.requests[0]?.earlierTime).toEqual(deliveredAt);
    expect(history.requests.map((request) => request.nextToken)).toEqual([
      undefined,
      undefined,
      'token-1',
      'token-2',
      'token-3',
      'token-4',
      'token-5',
    ]);
  });

  it('sweep: a trail created 20 minutes ago and edited since, never delivered, keeps its grace (1 history call)', async () => {
    await createTrail(endpoint, { name: 'fresh', region: REGION, logGroup: true, role: true });
    const created = await describeTrail('fresh', REGION, REGION);
    // The edit infrastructure as code makes right after creating a trail, really made in moto.
    await new CloudTrailClient({ region: REGION }).send(
      new UpdateTrailCommand({ Name: 'fresh', EnableLogFileValidation: true }),
    );
    const edited = await describeTrail('fresh', REGION, REGION);
    history.record(itemOf(created, minutesAgo(20), 'ResourceDiscovered'), itemOf(edited, minutesAgo(17)));
    const sweptAt = new Date();

    await rule.run({ ...scheduledEvent(REGION, sweptAt), ruleParameters: WINDOW });

    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'fresh',
          type: 'COMPLIANT',
          annotation:
            'Integrated with log group /e2e/fresh, changed 20 minutes ago: no delivery yet, within the 60-minute grace for a first delivery.',
          at: sweptAt,
        },
      ]),
      putEvaluationsBody([accountEvaluation(accountOfOne('fresh', 'COMPLIANT'), sweptAt)]),
    ]);
    expect(pageSizes).toEqual([2]);
  });

  it('change event: a tag edit minutes after a re-point does not let the delivery to the old integration count', async () => {
    await createTrail(endpoint, { name: 'tagged', region: REGION, logGroup: true, role: true });
    const trailArn = (await describeTrail('tagged', REGION, REGION)).TrailARN;
    await new CloudTrailClient({ region: REGION }).send(
      new AddTagsCommand({ ResourceId: trailArn, TagsList: [{ Key: 'team', Value: 'ops' }] }),
    );
    const trail = await describeTrail('tagged', REGION, REGION);
    const editedAt = minutesAgo(66);
    history.record(
      itemOf({ ...trail, CloudWatchLogsRoleArn: OLD_ROLE }, daysAgo(30), 'ResourceDiscovered'),
      itemOf(trail, minutesAgo(70)),
      itemOf(trail, editedAt, 'OK', { team: 'ops' }),
    );
    delivery = { at: minutesAgo(75), error: DELIVERY_ERROR };
    const event = changeEvent(trail, REGION, editedAt);
    const invoking = JSON.parse(event.invokingEvent as string) as Record<string, unknown>;
    invoking.configurationItemDiff = {
      changedProperties: {
        'SupplementaryConfiguration.Tags.team': {
          previousValue: null,
          updatedValue: 'ops',
          changeType: 'CREATE',
        },
      },
      changeType: 'UPDATE',
    };

    await rule.run({ ...event, invokingEvent: JSON.stringify(invoking), ruleParameters: WINDOW });

    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'tagged',
          type: 'NON_COMPLIANT',
          annotation: notDelivering('tagged', '70 minutes', '75 minutes'),
          at: editedAt,
        },
      ]),
    ]);
    // From the delivery to the edit: the edit itself (laterTime includes it) and the re-point; then the re-point's
    // predecessor, three empty weeks and more back.
    expect(pageSizes).toEqual([2, 1, 0, 0, 0, 1]);
  });

  it('oversized notification: the 20-day-old item it names is read back and judged although the last seven days hold no item (1 history call)', async () => {
    await createTrail(endpoint, { name: 'old-news', region: REGION, logGroup: true, role: true });
    const trail = await describeTrail('old-news', REGION, REGION);
    const named = itemOf(trail, daysAgo(20));
    // Newer items the notification is not about: the role removed 10 days ago (NON_COMPLIANT if judged instead),
    // then restored.
    history.record(
      named,
      itemOf({ ...trail, CloudWatchLogsRoleArn: undefined }, daysAgo(10)),
      itemOf(trail, daysAgo(8)),
    );

    await rule.run(oversizedEvent(named, REGION));

    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'old-news',
          type: 'COMPLIANT',
          annotation: 'Integrated: the trail sends events to CloudWatch Logs log group /e2e/old-news.',
          at: named.configurationItemCaptureTime as Date,
        },
      ]),
    ]);
    expect(pageSizes).toEqual([1]);
  });

  it('sweep: one DescribeTrails entry without HomeRegion fails only that trail, the other trail is reported (TrailsNotJudgedError)', async () => {
    for (const name of ['healthy', 'broken']) {
      await createTrail(endpoint, { name, region: REGION, logGroup: true, role: true });
    }
    const healthy = await describeTrail('healthy', REGION, REGION);
    const brokenArn = (await describeTrail('broken', REGION, REGION)).TrailARN;
    history.record(itemOf(healthy, daysAgo(40), 'ResourceDiscovered'));
    malformed = 'broken';
    await resetRecording(endpoint);
    const sweptAt = new Date();

    const invocation = await rule.invoke({ ...scheduledEvent(REGION, sweptAt), ruleParameters: WINDOW });

    expect(invocation).toMatchObject({
      ok: false,
      error: {
        name: 'TrailsNotJudgedError',
        message:
          'Could not judge 1 trail(s), which keep their earlier results; every other trail was reported: broken ' +
          '(UnexpectedResponseError: Unexpected cloudtrail:DescribeTrails response: a trail lacks Name, a TrailARN ' +
          `with an account or HomeRegion ({"name":"broken","arn":"${brokenArn}"}).). Fix the cause named for each ` +
          'trail, then re-run the rule evaluation.',
      },
    });
    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'healthy',
          type: 'NON_COMPLIANT',
          annotation:
            'Not delivering: CloudTrail has never delivered to log group /e2e/healthy (window 24 hours).',
          at: sweptAt,
        },
      ]),
      // The entry without HomeRegion was not judged: the account-level result is not COMPLIANT over it.
      putEvaluationsBody([
        accountEvaluation(
          {
            type: 'NON_COMPLIANT',
            annotation: `${ACCOUNT_ANNOTATION.notJudged('1 trail')} NON_COMPLIANT trails of this account with their home region here: 1 of 1 (healthy).`,
          },
          sweptAt,
        ),
      ]),
    ]);
    // The malformed entry was never judged: no GetTrailStatus and no history read for it.
    const statusReads = (await recordedRequests(endpoint))
      .filter((request) => request.operation === 'GetTrailStatus')
      .map((request) => JSON.parse(request.body));
    expect(statusReads).toEqual([{ Name: healthy.TrailARN }]);
    expect(history.requests.map((request) => request.resourceId)).toEqual(['healthy']);
  });

  it("sweep: a COMPLIANT delivering annotation shows CloudTrail's delivery error (the delivery made after moto created the log group and role)", async () => {
    await createTrail(endpoint, { name: 'erring', region: REGION, logGroup: true, role: true });
    const trail = await describeTrail('erring', REGION, REGION);
    history.record(itemOf(trail, daysAgo(40), 'ResourceDiscovered'));
    // Delivered just now: after moto created the log group and role (seconds ago, in createTrail), so the rule's
    // creation-time check (DescribeLogGroups, GetRole: moto's real times) lets it count. A delivery before them
    // would not count (case 7, below).
    delivery = { at: new Date(), error: DELIVERY_ERROR };
    await resetRecording(endpoint);
    const sweptAt = new Date();

    await rule.run({ ...scheduledEvent(REGION, sweptAt), ruleParameters: WINDOW });

    expect(await sentEvaluations(endpoint)).toEqual([
      putEvaluationsBody([
        {
          id: 'erring',
          type: 'COMPLIANT',
          annotation: `Integrated and delivering: last delivery to log group /e2e/erring was less than a minute ago (window 24 hours). Delivery error: ${DELIVERY_ERROR}`,
          at: sweptAt,
        },
      ]),
      putEvaluationsBody([accountEvaluation(accountOfOne('erring', 'COMPLIANT'), sweptAt)]),
    ]);
    // The delivery counted only once both creation times were read from moto and found older.
    expect(await creationTimeReads(endpoint)).toEqual({
      describeLogGroups: [{ logGroupNamePrefix: '/e2e/erring' }],
      getRole: [{ Action: 'GetRole', Version: '2010-05-08', RoleName: 'e2e-erring' }],
    });
    expect(await receivedOperations(endpoint)).toEqual([
      'cloudtrail:DescribeTrails',
      'cloudtrail:GetTrailStatus',
      // The trail's verdict, then the account-level result in a call of its own.
      'config:PutEvaluations',
      'config:PutEvaluations',
      'iam:GetRole',
      'logs:DescribeLogGroups',
    ]);
    expect(pageSizes).toEqual([0]);
  });

  it.each([
    {
      resource: 'log group',
      recreate: async (name: string) => {
        const logs = new CloudWatchLogsClient({ region: REGION });
        await logs.send(new DeleteLogGroupCommand({ logGroupName: `/e2e/${name}` }));
        await logs.send(new CreateLogGroupCommand({ logGroupName: `/e2e/${name}` }));
      },
    },
    {
      resource: 'role',
      recreate: async (name: string) => {
        const iam = new IAMClient({});
        await iam.send(new DeleteRoleCommand({ RoleName: `e2e-${name}` }));
        await iam.send(
          new CreateRoleCommand({ RoleName: `e2e-${name}`, AssumeRolePolicyDocument: CLOUDTRAIL_TRUST }),
        );
      },
    },
  ])(
    'sweep: a $resource deleted and created again after the last delivery is a new integration, in its grace (creation time read from moto)',
    async ({ recreate }) => {
      await createTrail(endpoint, { name: 'recreated', region: REGION, logGroup: true, role: true });
      const trail = await describeTrail('recreated', REGION, REGION);
      // Integrated as now for 40 days: without the creation times, the delivery below counts ("delivering").
      history.record(itemOf(trail, daysAgo(40), 'ResourceDiscovered'));
      // The last delivery: after moto created the log group and role, before one of them is created again. The
      // pause keeps moto's new creation time (milliseconds) strictly after it.
      delivery = { at: new Date() };
      await sleep(20);
      // Really deleted and created again in moto, under the same name: the trail's ARNs, and so Config's
      // history, do not change; moto's creation time does.
      await recreate('recreated');
      await resetRecording(endpoint);
      const sweptAt = new Date();

      await rule.run({ ...scheduledEvent(REGION, sweptAt), ruleParameters: WINDOW });

      expect(await sentEvaluations(endpoint)).toEqual([
        putEvaluationsBody([
          {
            id: 'recreated',
            type: 'COMPLIANT',
            annotation:
              'Integrated with log group /e2e/recreated, changed less than a minute ago: no delivery yet, within the 60-minute grace for a first delivery.',
            at: sweptAt,
          },
        ]),
        putEvaluationsBody([accountEvaluation(accountOfOne('recreated', 'COMPLIANT'), sweptAt)]),
      ]);
      expect(await creationTimeReads(endpoint)).toEqual({
        describeLogGroups: [{ logGroupNamePrefix: '/e2e/recreated' }],
        getRole: [{ Action: 'GetRole', Version: '2010-05-08', RoleName: 'e2e-recreated' }],
      });
      // The span since the delivery holds no item: the history shows no change.
      expect(pageSizes).toEqual([0]);
    },
  );
});
