/**
 * End-to-end: exemptions (issue 28) against moto_server. The rule and remediation Lambdas are the ones
 * `cdk synth -c exemptions=<file>` builds (the functions' local bundling, exemptions.json beside index.mjs, synthesized-lambdas.ts),
 * run from their asset directories with `exemptions.json` beside the code; the command line is the package's bin.
 * The Lambdas' clock is the test's (lambda-process.ts sets the child's Date), so the expiry is crossed without
 * waiting for it.
 *
 * What this tier proves: an exempt trail is reported NOT_APPLICABLE with its annotation; the remediation and the
 * CLI's `fix` refuse it and nothing is written; once the clock passes the expiry the same trail is NON_COMPLIANT,
 * saying so; and a malformed exemptions file changes nothing: the verdict is the one without it, the remediation
 * and the CLI refuse before any request, nothing is written.
 *
 * Not covered here (the unit tests cover them with the SDK mocked): entries naming trails in an OU (moto's
 * Organizations would need an organization of accounts this tier does not model), and `report --exemptions`
 * (stored Config compliance behind an aggregator, which moto does not implement).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ScannedTrail } from '../../cli/scan.js';
import { type BundledHandler, bundleHandler } from './bundles.js';
import { cli } from './cli-process.js';
import { ACCOUNT_ID, changeEvent } from './config-events.js';
import { recordedRequests, resetRecording } from './emulator.js';
import { synthesizeWithExemptions } from './synthesized-lambdas.js';
import { createTrail, describeTrail, NOTHING_WRITTEN, remediationState } from './trails.js';

const REGION = 'us-east-1';
const TRAIL = 'data-events';
const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/${TRAIL}`;
const CAPTURE_TIME = new Date('2026-11-29T08:59:12.114Z');
const DAY_MS = 86_400_000;
const NOT_CONFIGURED =
  'Not configured: the trail sends no events to CloudWatch Logs (no log group and no role are set).';

/** 30 days from today (UTC), within the default 90-day term, so the synth accepts it whenever the tier runs. */
const EXPIRES = new Date(Date.now() + 30 * DAY_MS).toISOString().slice(0, 10);
/** An hour past 00:00 UTC of the expiry date, when the exemption no longer applies. */
const AFTER_EXPIRY = new Date(Date.parse(`${EXPIRES}T01:00:00.000Z`));

const ENTRY = {
  trailArn: TRAIL_ARN,
  reason: 'Data events trail; ingest would cost about $4,000 a month.',
  reference: 'SEC-1234',
  approver: 'ciso@example.com',
  expires: EXPIRES,
};
const EXEMPT = `Exempt until ${EXPIRES}: ${ENTRY.reason} (SEC-1234)`;

async function sentEvaluations(endpoint: string) {
  return (await recordedRequests(endpoint))
    .filter((request) => request.service === 'config' && request.operation === 'PutEvaluations')
    .flatMap((request) => JSON.parse(request.body).Evaluations)
    .map((evaluation: Record<string, string>) => [
      evaluation.ComplianceResourceId,
      evaluation.ComplianceType,
      evaluation.Annotation,
    ]);
}

const changeOf = async (name: string) =>
  changeEvent(await describeTrail(name, REGION, REGION), REGION, CAPTURE_TIME);

describe('exemptions against moto', () => {
  const endpoint = inject('motoEndpoint');
  let workDir: string;
  let exemptionsFile: string;
  let malformedFile: string;
  let deployed: { rule: BundledHandler; remediation: BundledHandler };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'cloudtrail-logs-guard-exemptions-'));
    exemptionsFile = join(workDir, 'exemptions.json');
    await writeFile(exemptionsFile, JSON.stringify({ version: 1, exemptions: [ENTRY] }, null, 2));
    malformedFile = join(workDir, 'malformed.json');
    // Tampered with after the synth: a term of ten years, and a field nobody reviewed.
    await writeFile(
      malformedFile,
      JSON.stringify({ version: 1, exemptions: [{ ...ENTRY, expires: '2036-01-01', tag: 'exempt=true' }] }),
    );
    deployed = await synthesizeWithExemptions(exemptionsFile);
  });

  afterAll(async () => {
    await deployed?.rule.dispose();
    await rm(workDir, { recursive: true, force: true });
  });

  it('reports the exempt trail NOT_APPLICABLE with its annotation, and NON_COMPLIANT saying so once it expired', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await createTrail(endpoint, { name: 'audit', region: REGION });
    const event = await changeOf(TRAIL);

    expect(await deployed.rule.invoke(event)).toMatchObject({ ok: true });
    expect(await deployed.rule.invoke(await changeOf('audit'))).toMatchObject({ ok: true });
    expect(await sentEvaluations(endpoint)).toEqual([
      [TRAIL, 'NOT_APPLICABLE', EXEMPT],
      ['audit', 'NON_COMPLIANT', NOT_CONFIGURED],
    ]);

    await resetRecording(endpoint);
    expect(await deployed.rule.invoke(event, REGION, undefined, AFTER_EXPIRY)).toMatchObject({ ok: true });
    expect(await sentEvaluations(endpoint)).toEqual([
      [TRAIL, 'NON_COMPLIANT', `Exemption expired on ${EXPIRES} (SEC-1234). ${NOT_CONFIGURED}`],
    ]);
  });

  it('has the remediation refuse the exempt trail, writing nothing, and remediate it once the exemption expired', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });

    const refused = await deployed.remediation.invoke({ TrailName: TRAIL });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        name: 'ExemptTrailError',
        message: `Trail ${TRAIL_ARN} is exempt until ${EXPIRES}: ${ENTRY.reason} (SEC-1234, approved by ciso@example.com). Nothing was changed: the remediation refuses an exempt trail. To remediate it now, remove its exemption from the deployment's exemptions file and deploy the guard again.`,
      },
    });
    expect(await remediationState(TRAIL_ARN)).toEqual(NOTHING_WRITTEN);

    const after = await deployed.remediation.invoke({ TrailName: TRAIL }, REGION, undefined, AFTER_EXPIRY);
    expect(after).toMatchObject({ ok: true, result: { outcome: 'REMEDIATED' } });
  });

  it("has the CLI's fix refuse the exempt trail and scan show it EXEMPT, exit 0", async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    await createTrail(endpoint, { name: 'integrated', region: REGION, logGroup: true, role: true });

    const fix = await cli('fix', TRAIL, '--yes', '--exemptions', exemptionsFile);
    expect(fix.code).toBe(1);
    expect(fix.stderr).toBe(
      `cloudtrail-logs-guard fix: Trail ${TRAIL_ARN} is exempt until ${EXPIRES}: ${ENTRY.reason} (SEC-1234, approved by ciso@example.com). Nothing was changed: the remediation refuses an exempt trail. To remediate it now, remove its exemption from the file given with --exemptions (and from the deployment).\n`,
    );
    expect(await remediationState(TRAIL_ARN)).toEqual(NOTHING_WRITTEN);

    const scan = await cli('scan', '--region', REGION, '--exemptions', exemptionsFile, '--output', 'json');
    expect(scan.code).toBe(0);
    const trails = (JSON.parse(scan.stdout) as { trails: ScannedTrail[] }).trails;
    expect(trails.map((t) => [t.name, t.verdict, t.reasonCode, t.exemption?.state])).toEqual([
      ['data-events', 'NOT_APPLICABLE', 'exempt', 'active'],
      ['integrated', 'COMPLIANT', 'integrated', undefined],
    ]);
  });

  it('changes nothing with a malformed file: the verdict is the one without it, the remediation and the CLI refuse before any request', async () => {
    await createTrail(endpoint, { name: TRAIL, region: REGION });
    const rule = await bundleHandler('rule');
    const remediation = await bundleHandler('remediation');
    try {
      const malformed = JSON.stringify({
        version: 1,
        exemptions: [{ ...ENTRY, expires: '2036-01-01', tag: 'exempt=true' }],
      });
      await writeFile(join(rule.codeDirectory, 'exemptions.json'), malformed);
      await writeFile(join(remediation.codeDirectory, 'exemptions.json'), malformed);
      await resetRecording(endpoint);

      const judged = await rule.invoke(await changeOf(TRAIL));
      expect(judged).toMatchObject({ ok: false, error: { name: 'InvalidExemptionsError' } });
      expect(judged.ok === false && judged.error.message).toContain(
        'exemptions[0] (SEC-1234): unknown field(s) tag (allowed: trailArn, account, trailName, organizationalUnit, reason, reference, approver, expires)',
      );
      expect(await sentEvaluations(endpoint)).toEqual([[TRAIL, 'NON_COMPLIANT', NOT_CONFIGURED]]);

      await resetRecording(endpoint);
      const refused = await remediation.invoke({ TrailName: TRAIL });
      expect(refused).toMatchObject({ ok: false, error: { name: 'InvalidConfigurationError' } });
      const fix = await cli('fix', TRAIL, '--yes', '--exemptions', malformedFile);
      expect(fix.code).toBe(1);
      expect(fix.stderr).toContain('beyond the maximum term of 90 days');
      expect(await recordedRequests(endpoint)).toEqual([]);
      expect(await remediationState(TRAIL_ARN)).toEqual(NOTHING_WRITTEN);
    } finally {
      await rule.dispose();
      await remediation.dispose();
    }
  });
});
