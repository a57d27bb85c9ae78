import {
  ConfigServiceClient,
  ConfigServiceServiceException,
  DescribeAggregateComplianceByConfigRulesCommand,
  DescribeConfigurationAggregatorSourcesStatusCommand,
  GetAggregateConfigRuleComplianceSummaryCommand,
  NoSuchConfigurationAggregatorException,
} from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  readAccountsWithRuleResults,
  readRuleCompliance,
  readSourceStatuses,
} from '../../cli/aggregator-api.js';
import { operatorMessage } from '../../cli/error-report.js';
import { AggregatorReadError } from '../../cli/errors.js';
import { recordedCoverage, serveConfig } from './coverage-fixtures.js';

const config = mockClient(ConfigServiceClient);
const AGGREGATOR = 'organization';
const RULE = 'cloudtrail-cloudwatch-logs-integrated';
const client = () => new ConfigServiceClient({});

beforeEach(() => {
  config.reset();
  serveConfig(config, recordedCoverage());
});

function inputsOf(command: Parameters<typeof config.commandCalls>[0]) {
  return config.commandCalls(command).map((call) => call.args[0].input);
}

describe('readSourceStatuses', () => {
  it("reads every page, 100 rows a page (the API's maximum)", async () => {
    const rows = await readSourceStatuses(client(), AGGREGATOR);
    expect(inputsOf(DescribeConfigurationAggregatorSourcesStatusCommand)).toEqual([
      { ConfigurationAggregatorName: AGGREGATOR, Limit: 100 },
      { ConfigurationAggregatorName: AGGREGATOR, Limit: 100, NextToken: 'sources-page-2' },
    ]);
    expect(rows).toEqual([
      { sourceId: 'o-a1b2c3d4e5', sourceType: 'ORGANIZATION', region: 'eu-west-1', status: 'SUCCEEDED' },
      { sourceId: 'o-a1b2c3d4e5', sourceType: 'ORGANIZATION', region: 'us-east-1', status: 'SUCCEEDED' },
      { sourceId: 'o-a1b2c3d4e5', sourceType: 'ORGANIZATION', region: 'ap-southeast-2', status: 'OUTDATED' },
    ]);
  });

  it('keeps the error code and message of a FAILED row and skips a row without source or region', async () => {
    config.on(DescribeConfigurationAggregatorSourcesStatusCommand).resolves({
      AggregatedSourceStatusList: [
        {
          SourceId: '333333333333',
          SourceType: 'ACCOUNT',
          AwsRegion: 'eu-west-1',
          LastUpdateStatus: 'FAILED',
          LastErrorCode: 'RecordedErrorCode',
          LastErrorMessage: 'Recorded error message.',
        },
        { SourceType: 'ACCOUNT', AwsRegion: 'eu-west-1', LastUpdateStatus: 'SUCCEEDED' },
        { SourceId: '333333333333', LastUpdateStatus: 'SUCCEEDED' },
      ],
    });
    await expect(readSourceStatuses(client(), AGGREGATOR)).resolves.toEqual([
      {
        sourceId: '333333333333',
        sourceType: 'ACCOUNT',
        region: 'eu-west-1',
        status: 'FAILED',
        errorCode: 'RecordedErrorCode',
        errorMessage: 'Recorded error message.',
      },
    ]);
  });
});

describe('readRuleCompliance', () => {
  it('follows NextToken past an empty page, 1000 entries a page (the maximum)', async () => {
    const entries = await readRuleCompliance(client(), AGGREGATOR, RULE);
    const filter = {
      ConfigurationAggregatorName: AGGREGATOR,
      Filters: { ConfigRuleName: RULE },
      Limit: 1000,
    };
    expect(inputsOf(DescribeAggregateComplianceByConfigRulesCommand)).toEqual([
      filter,
      { ...filter, NextToken: 'compliance-page-2' },
      { ...filter, NextToken: 'compliance-page-3' },
    ]);
    expect(entries).toEqual([
      { accountId: '111111111111', region: 'us-east-1', compliance: 'COMPLIANT' },
      { accountId: '111111111111', region: 'eu-west-1', compliance: 'NON_COMPLIANT' },
      { accountId: '222222222222', region: 'us-east-1', compliance: 'COMPLIANT' },
      { accountId: '222222222222', region: 'eu-west-1', compliance: 'COMPLIANT' },
      { accountId: '333333333333', region: 'us-east-1', compliance: 'NON_COMPLIANT' },
      { accountId: '333333333333', region: 'eu-west-1', compliance: 'COMPLIANT' },
    ]);
  });

  it("keeps only this rule's entries that name an account and region", async () => {
    config.on(DescribeAggregateComplianceByConfigRulesCommand).resolves({
      AggregateComplianceByConfigRules: [
        {
          ConfigRuleName: `prod-${RULE}`,
          Compliance: { ComplianceType: 'COMPLIANT' },
          AccountId: '1',
          AwsRegion: 'r',
        },
        { ConfigRuleName: RULE, Compliance: { ComplianceType: 'COMPLIANT' }, AwsRegion: 'us-east-1' },
        { ConfigRuleName: RULE, AccountId: '111111111111', AwsRegion: 'us-east-1' },
      ],
    });
    await expect(readRuleCompliance(client(), AGGREGATOR, RULE)).resolves.toEqual([
      { accountId: '111111111111', region: 'us-east-1' },
    ]);
  });
});

describe('readAccountsWithRuleResults', () => {
  it('groups by account, follows NextToken past an empty page, 1000 groups a page', async () => {
    await expect(readAccountsWithRuleResults(client(), AGGREGATOR)).resolves.toEqual([
      '111111111111',
      '222222222222',
      '444444444444',
    ]);
    const query = { ConfigurationAggregatorName: AGGREGATOR, GroupByKey: 'ACCOUNT_ID', Limit: 1000 };
    expect(inputsOf(GetAggregateConfigRuleComplianceSummaryCommand)).toEqual([
      query,
      { ...query, NextToken: 'summary-page-2' },
    ]);
  });
});

/** A builder of the client error `name` as the Config client throws it for a 400 answer. */
const clientError = (name: string, message: string) => () =>
  new ConfigServiceServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: 400 } });
const denied = clientError(
  'AccessDeniedException',
  'User: arn:aws:sts::222222222222:assumed-role/auditor/me is not authorized.',
);
const missing = () =>
  new NoSuchConfigurationAggregatorException({
    message: 'The configuration aggregator does not exist.',
    $metadata: { httpStatusCode: 400 },
  });
const throttled = clientError('ThrottlingException', 'Rate exceeded');

describe.each([
  [
    'DescribeConfigurationAggregatorSourcesStatus',
    DescribeConfigurationAggregatorSourcesStatusCommand,
    () => readSourceStatuses(client(), AGGREGATOR),
  ],
  [
    'DescribeAggregateComplianceByConfigRules',
    DescribeAggregateComplianceByConfigRulesCommand,
    () => readRuleCompliance(client(), AGGREGATOR, RULE),
  ],
  [
    'GetAggregateConfigRuleComplianceSummary',
    GetAggregateConfigRuleComplianceSummaryCommand,
    () => readAccountsWithRuleResults(client(), AGGREGATOR),
  ],
] as const)('%s failing', (action, command, read) => {
  it.each([
    [
      'an unknown aggregator',
      missing,
      `config:${action} on aggregator organization in us-east-1 failed: HTTP 400 NoSuchConfigurationAggregatorException: The configuration aggregator does not exist. Aggregators are listed by aws configservice describe-configuration-aggregators; run report with the credentials and --region of the aggregator's account.`,
    ],
    [
      'a missing permission',
      denied,
      `config:${action} on aggregator organization in us-east-1 failed: HTTP 400 AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/auditor/me is not authorized. Grant config:${action} on aggregator organization to the credentials you run with, or check that no SCP denies it in this region.`,
    ],
    [
      'any other failure',
      throttled,
      `config:${action} on aggregator organization in us-east-1 failed: HTTP 400 ThrottlingException: Rate exceeded. AWS throttled the calls beyond the SDK retries: run it again in a moment, or with fewer regions (--region) or a lower --concurrency.`,
    ],
  ])('names %s, in the one line every command uses, and keeps the cause', async (_case, error, line) => {
    const cause = error();
    config.on(command).rejects(cause);
    const reading = read();
    await expect(reading).rejects.toThrow(AggregatorReadError);
    await expect(reading).rejects.toHaveProperty('cause', cause);
    expect(operatorMessage(await reading.catch((failure: unknown) => failure), 'us-east-1')).toBe(line);
  });

  it('fails when a later page fails, rather than return the pages before it', async () => {
    config.on(command).resolves({ NextToken: 'page-2' } as never);
    config.on(command, { NextToken: 'page-2' } as never).rejects(throttled());
    const failure = await read().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregatorReadError);
    expect(failure).toMatchObject({ operation: `config:${action}`, cause: { name: 'ThrottlingException' } });
  });
});
