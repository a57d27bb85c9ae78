import { type App, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createGuardApp } from '../../infra/guard-app.js';
import { SYNTH_TIMEOUT_MS, synthGuard } from './support.js';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every `Validations.of(x).acknowledge(...)` in the app, with the path of the construct it sits on. */
function acknowledgementsIn(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          // aws-cdk-lib stores the id with the annotation namespace; cdk-nag strips it the same way.
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The findings the pack would report if nothing were acknowledged, as `path rule-id`. */
function findingsIgnoringAcknowledgements(app: App): string[] {
  const pack = new AwsSolutionsChecks();
  // isAcknowledged is the pack's one switch between reporting and suppressing a finding.
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack
    .validateScope(app)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${resource.constructPath} ${violation.ruleName}`),
    );
}

const CONTEXTS: [string, Record<string, unknown>][] = [
  ['default context', {}],
  [
    'every context key set',
    {
      namePrefix: 'acme',
      kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      expectedDeliveryWindowAge: 'off',
      autoRemediate: 'true',
      monitoring: 'true',
      complianceAlerts: 'true',
      alarmEmail: 'security@example.com',
      alarmHttpsEndpoint: 'https://alerts.example.com/sns',
    },
  ],
  ['monitoring on', { monitoring: 'true' }],
  [
    "monitoring notifying the team's topic",
    { monitoring: 'true', alarmTopicArn: 'arn:aws:sns:eu-west-1:111122223333:security-alerts' },
  ],
  ['compliance alerts on', { complianceAlerts: 'true' }],
];

describe('cdk-nag AwsSolutions', () => {
  it.each(CONTEXTS)(
    'reports no unacknowledged finding with %s',
    { timeout: SYNTH_TIMEOUT_MS },
    (_name, context) => {
      const { app } = synthGuard(context);
      const report = new AwsSolutionsChecks().validateScope(app);
      expect(report.violations).toEqual([]);
      expect(report.success).toBe(true);
    },
  );

  it('fails synthesis through the app plugin when a finding is not acknowledged', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { app, stack } = createGuardApp({ context: { 'aws:cdk:bundling-stacks': [] } });
    stack.remediationFunction.guard.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }),
    );
    expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  });

  it('acknowledges only findings that exist, each on the resource it concerns', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { app } = synthGuard();
    const findings = findingsIgnoringAcknowledgements(app);
    const acknowledgements = acknowledgementsIn(app);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { path, id } of acknowledgements) {
      expect(
        findings.some((finding) => finding === `${path}/Resource ${id}` || finding === `${path} ${id}`),
      ).toBe(true);
    }
  });

  it('acknowledges with monitoring on only findings that exist, the alarm prefix among them', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { app } = synthGuard({ monitoring: 'true' });
    const findings = findingsIgnoringAcknowledgements(app);
    const acknowledgements = acknowledgementsIn(app);
    for (const { path, id } of acknowledgements) {
      expect(
        findings.some((finding) => finding === `${path}/Resource ${id}` || finding === `${path} ${id}`),
      ).toBe(true);
    }
    expect(acknowledgements.map(({ path, id }) => `${path} ${id}`).sort()).toEqual(
      [...REVIEWED, ...MONITORING_REVIEWED].sort(),
    );
  });

  it('acknowledges exactly the reviewed findings, each with a specific reason', {
    timeout: SYNTH_TIMEOUT_MS,
  }, () => {
    const { app } = synthGuard();
    const acknowledgements = acknowledgementsIn(app);
    expect(acknowledgements.map(({ path, id }) => `${path} ${id}`)).toEqual(REVIEWED);
    for (const { reason } of acknowledgements) expect(reason.length).toBeGreaterThan(80);
  });
});

/** The acknowledged findings, reviewed one by one; the reasons sit next to each in infra/. */
const REVIEWED = [
  'GuardStack/RuleFunction/Lambda/Function AwsSolutions-L1',
  'GuardStack/RuleFunction/Permissions AwsSolutions-IAM5[Resource::*]',
  'GuardStack/RuleFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail/*]',
  'GuardStack/RuleFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
  'GuardStack/RemediationFunction/DeliveryBoundary/Policy AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:*:<AWS::AccountId>:log-group:/cloudtrail-logs-guard/*:log-stream:*]',
  'GuardStack/RemediationFunction/Lambda/Function AwsSolutions-L1',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/cloudtrail-logs-guard/*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/cloudtrail-logs-guard/*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/CloudTrailToLogs-*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:<AWS::Region>:<AWS::AccountId>:trail/*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudtrail:*:*:trail/*]',
];

/** The one more finding with monitoring on: the alarms' name prefix. */
const MONITORING_REVIEWED = [
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:cloudtrail-logs-guard-*]',
  'GuardStack/RemediationFunction/Permissions AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sns:<AWS::Region>:<AWS::AccountId>:*]',
];
