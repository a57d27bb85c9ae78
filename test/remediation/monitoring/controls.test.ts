import { describe, expect, it } from 'vitest';
import { CONTROLS_PAGE, MONITORING_CONTROLS } from '../../../remediation/monitoring/controls.js';
import awsText from '../../fixtures/remediation/security-hub-cloudwatch-controls.json' with { type: 'json' };

const IDS = Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`);

// AWS's text, verbatim, with its source and date: the one copy of the patterns on the tests' side, so a change to
// the data must be a deliberate change to both.
const AWS_TEXT: {
  source: string;
  retrieved: string;
  controls: Record<string, string>;
  previous: Record<string, string>;
} = awsText;

describe('MONITORING_CONTROLS', () => {
  it('holds CloudWatch.1 to CloudWatch.14, each exactly once and in order', () => {
    expect(MONITORING_CONTROLS.map((control) => control.id)).toEqual(IDS);
  });

  it.each(IDS.map((id, i) => [id, i + 1] as const))(
    'cites %s with its anchor on the controls page',
    (id, n) => {
      const control = MONITORING_CONTROLS.find((candidate) => candidate.id === id);
      expect(control?.citation).toBe(`${CONTROLS_PAGE}#cloudwatch-${n}`);
    },
  );

  it("holds a copy of AWS's text read from the controls page, dated", () => {
    expect(AWS_TEXT.source).toBe(CONTROLS_PAGE);
    expect(AWS_TEXT.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(Object.keys(AWS_TEXT.controls)).toEqual(IDS);
  });

  it.each(IDS)("gives %s the pattern of AWS's text character for character", (id) => {
    expect(MONITORING_CONTROLS.find((control) => control.id === id)?.filterPattern).toBe(
      AWS_TEXT.controls[id],
    );
  });

  it.each(IDS)('knows the earlier text of %s that earlier versions wrote, and no other', (id) => {
    const previous = AWS_TEXT.previous[id];
    expect(MONITORING_CONTROLS.find((control) => control.id === id)?.previousPatterns).toEqual(
      previous === undefined ? [] : [previous],
    );
  });

  it.each(['CloudWatch.4', 'CloudWatch.13'])(
    'differs from the earlier text of %s only by the eventSource prefix AWS added',
    (id) => {
      const current = AWS_TEXT.controls[id] ?? '';
      const previous = AWS_TEXT.previous[id] ?? '';
      const source = id === 'CloudWatch.4' ? 'iam' : 'ec2';
      expect(current).toBe(`{($.eventSource=${source}.amazonaws.com) && (${previous.slice(1, -1)})}`);
    },
  );

  it('holds 14 distinct patterns, none equal to an earlier text', () => {
    const patterns = MONITORING_CONTROLS.map((control) => control.filterPattern);
    expect(new Set(patterns).size).toBe(14);
    for (const control of MONITORING_CONTROLS) {
      for (const previous of control.previousPatterns) expect(patterns).not.toContain(previous);
    }
  });

  it('gives every control a distinct alphanumeric key and a balanced JSON filter pattern', () => {
    const keys = MONITORING_CONTROLS.map((control) => control.key);
    expect(new Set(keys).size).toBe(14);
    for (const control of MONITORING_CONTROLS) {
      expect(control.key).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(control.filterPattern.startsWith('{')).toBe(true);
      expect(control.filterPattern.endsWith('}')).toBe(true);
      const opened = [...control.filterPattern].filter((c) => c === '(').length;
      expect([...control.filterPattern].filter((c) => c === ')').length).toBe(opened);
    }
  });

  it.each([
    ['CloudWatch.4', ['DeleteGroupPolicy', 'PutRolePolicy', 'CreatePolicyVersion', 'DetachGroupPolicy'], 16],
    ['CloudWatch.8', ['PutBucketAcl', 'PutBucketPolicy', 'DeleteBucketReplication'], 9],
    ['CloudWatch.9', ['StopConfigurationRecorder', 'PutConfigurationRecorder'], 4],
    ['CloudWatch.10', ['AuthorizeSecurityGroupIngress', 'DeleteSecurityGroup'], 6],
    ['CloudWatch.11', ['CreateNetworkAcl', 'ReplaceNetworkAclAssociation'], 6],
    ['CloudWatch.12', ['CreateCustomerGateway', 'DetachInternetGateway'], 6],
    ['CloudWatch.13', ['CreateRoute', 'DisassociateRouteTable'], 7],
    ['CloudWatch.14', ['CreateVpc', 'EnableVpcClassicLink'], 11],
  ] as const)('matches %s on its documented events (%j, %i in all)', (id, events, count) => {
    const pattern = MONITORING_CONTROLS.find((control) => control.id === id)?.filterPattern ?? '';
    for (const event of events) expect(pattern).toContain(`($.eventName=${event})`);
    expect(pattern.match(/\$\.eventName=/g)).toHaveLength(count);
  });
});
