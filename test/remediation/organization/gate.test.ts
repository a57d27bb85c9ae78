import { describe, expect, it } from 'vitest';
import { FunctionArnError } from '../../../common/account-credentials.js';
import { PROOF_DOCUMENT_ENV, SPOKE_KMS_KEY_ENV } from '../../../remediation/definition.js';
import { InvalidConfigurationError } from '../../../remediation/errors.js';
import {
  assertOwnAccountOnly,
  organizationModeFromEnvironment,
  organizationTarget,
} from '../../../remediation/organization/gate.js';
import { ProofNotConfiguredError } from '../../../remediation/organization/request-scope.js';
import type { RemediationRequest } from '../../../remediation/payload.js';

const KEY = 'arn:aws:kms:eu-west-1:333333333333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const HUB_FUNCTION = 'arn:aws:lambda:eu-west-1:111111111111:function:cloudtrail-logs-guard-remediation';
const EXECUTION_ID = '4105a4fc-f944-11e6-9d32-8fb2db27a909';

describe('organizationModeFromEnvironment', () => {
  it.each<[string, Record<string, string>, ReturnType<typeof organizationModeFromEnvironment>]>([
    ['nothing set (single-account mode)', {}, undefined],
    ['an empty document name', { [PROOF_DOCUMENT_ENV]: '' }, undefined],
    [
      'a document name and no key',
      { [PROOF_DOCUMENT_ENV]: 'cloudtrail-logs-guard-remediation', [SPOKE_KMS_KEY_ENV]: '' },
      { documentName: 'cloudtrail-logs-guard-remediation', deployedKmsKeyArn: undefined },
    ],
    [
      'a document name and the spokes key',
      { [PROOF_DOCUMENT_ENV]: 'acme-cloudtrail-logs-guard-remediation', [SPOKE_KMS_KEY_ENV]: KEY },
      { documentName: 'acme-cloudtrail-logs-guard-remediation', deployedKmsKeyArn: KEY },
    ],
  ])('reads %s', (_name, env, expected) => {
    expect(organizationModeFromEnvironment(env)).toEqual(expected);
  });

  it.each([
    [
      { [PROOF_DOCUMENT_ENV]: 'a b' },
      'Environment variable PROOF_DOCUMENT_NAME is "a b", not an SSM document name (3-128 letters, digits, \'_\', ' +
        "'-' or '.'). Set it to the spoke's Automation document name, as the hub stack does.",
    ],
    [
      { [PROOF_DOCUMENT_ENV]: 'cloudtrail-logs-guard-remediation', [SPOKE_KMS_KEY_ENV]: 'alias/logs' },
      'Environment variable SPOKE_KMS_KEY_ARN is "alias/logs", not a KMS key ARN. Set it to the key of this ' +
        "region's spokes, or leave it empty for none.",
    ],
  ])('refuses %j', (env, message) => {
    expect(() => organizationModeFromEnvironment(env)).toThrow(new InvalidConfigurationError(message));
  });
});

describe('organizationTarget', () => {
  const mode = { documentName: 'cloudtrail-logs-guard-remediation', deployedKmsKeyArn: undefined };
  const request: RemediationRequest = {
    trail: 'management-events',
    retentionInDays: 365,
    kmsKeyArn: undefined,
    dryRun: false,
    automationExecutionId: EXECUTION_ID,
  };

  it('expects the execution in the payload account, in the hub region', () => {
    expect(organizationTarget({ ...request, targetAccountId: '222222222222' }, mode, HUB_FUNCTION)).toEqual({
      executionId: EXECUTION_ID,
      expectation: {
        documentName: 'cloudtrail-logs-guard-remediation',
        accountId: '222222222222',
        region: 'eu-west-1',
        partition: 'aws',
      },
    });
  });

  it("expects the execution in the hub's own account when the payload names none", () => {
    expect(organizationTarget(request, mode, HUB_FUNCTION).expectation.accountId).toBe('111111111111');
  });

  it('refuses to run without a Lambda context', () => {
    expect(() => organizationTarget(request, mode, undefined)).toThrow(
      new InvalidConfigurationError(
        'The remediation Lambda runs as the organization hub (PROOF_DOCUMENT_NAME is set) but was called without ' +
          'a Lambda context, so it cannot tell its own account and region. Invoke it through Lambda.',
      ),
    );
  });
});

describe('assertOwnAccountOnly', () => {
  const request: RemediationRequest = {
    trail: 'management-events',
    retentionInDays: 365,
    kmsKeyArn: undefined,
    dryRun: false,
  };

  it.each<[string, Partial<RemediationRequest>, string | undefined]>([
    ['no target account', {}, HUB_FUNCTION],
    ['the own account, read from the function ARN', { targetAccountId: '111111111111' }, HUB_FUNCTION],
    ['no target account and no Lambda context', {}, undefined],
  ])('accepts %s', (_name, change, arn) => {
    expect(() => assertOwnAccountOnly({ ...request, ...change }, arn)).not.toThrow();
  });

  it.each<[string, Partial<RemediationRequest>, string | undefined]>([
    ['another account', { targetAccountId: '222222222222' }, HUB_FUNCTION],
    ['any account without a Lambda context', { targetAccountId: '111111111111' }, undefined],
    [
      'a key of the own account in another region than the function',
      { kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' },
      HUB_FUNCTION,
    ],
  ])('refuses %s', (_name, change, arn) => {
    expect(() => assertOwnAccountOnly({ ...request, ...change }, arn)).toThrow(ProofNotConfiguredError);
  });

  it('refuses a context whose ARN is not a function ARN', () => {
    expect(() => assertOwnAccountOnly(request, 'arn:aws:iam::111111111111:role/x')).toThrow(FunctionArnError);
  });
});
