import { describe, expect, it } from 'vitest';
import { CONTROLS_PAGE, MONITORING_CONTROLS } from '../../../remediation/monitoring/controls.js';

const IDS = Array.from({ length: 14 }, (_, i) => `CloudWatch.${i + 1}`);

// The patterns as the controls' remediation steps print them (Security Hub CSPM controls for Amazon CloudWatch),
// kept here a second time on purpose: a change to the data must be a deliberate change to both.
const DOCUMENTED: Record<string, string> = {
  'CloudWatch.1':
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
  'CloudWatch.2': '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
  'CloudWatch.3':
    '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  'CloudWatch.5':
    '{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || ($.eventName=StartLogging) || ($.eventName=StopLogging)}',
  'CloudWatch.6': '{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}',
  'CloudWatch.7':
    '{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || ($.eventName=ScheduleKeyDeletion))}',
};

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

  it.each(Object.entries(DOCUMENTED))(
    'gives %s its documented pattern character for character',
    (id, pattern) => {
      expect(MONITORING_CONTROLS.find((control) => control.id === id)?.filterPattern).toBe(pattern);
    },
  );

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
