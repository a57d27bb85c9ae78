import { describe, expect, it } from 'vitest';
import type { RecordedHttpRequest } from '../e2e/call-recorder.js';
import { type AwsRequest, queryList, readAwsRequest, UnreadableRequestError } from './aws-request.js';
import { ACCESS_KEY, authorization, jsonRequest, OK, queryRequest } from './exchanges.js';

describe('readAwsRequest', () => {
  it.each<{
    protocol: string;
    request: RecordedHttpRequest;
    expected: Omit<AwsRequest, 'accessKey' | 'response'>;
  }>([
    {
      protocol: 'JSON 1.1 (CloudWatch Logs)',
      request: jsonRequest(
        'logs',
        'Logs_20140328.CreateLogGroup',
        { logGroupName: '/x' },
        { region: 'eu-west-1' },
      ),
      expected: {
        region: 'eu-west-1',
        service: 'logs',
        operation: 'CreateLogGroup',
        input: { logGroupName: '/x' },
      },
    },
    {
      protocol: 'JSON 1.0, signing name monitoring (CloudWatch)',
      request: jsonRequest('monitoring', 'GraniteServiceVersion20100801.PutMetricAlarm', { AlarmName: 'a' }),
      expected: {
        region: 'us-east-1',
        service: 'cloudwatch',
        operation: 'PutMetricAlarm',
        input: { AlarmName: 'a' },
      },
    },
    {
      protocol: 'query (IAM)',
      request: queryRequest('iam', 'CreateRole', { RoleName: 'r', 'Tags.member.1.Key': 'k' }),
      expected: {
        region: 'us-east-1',
        service: 'iam',
        operation: 'CreateRole',
        input: { Version: '2010-05-08', RoleName: 'r', 'Tags.member.1.Key': 'k' },
      },
    },
    {
      protocol: 'REST-JSON (Account ListRegions)',
      request: {
        method: 'POST',
        path: '/listRegions',
        headers: { authorization: authorization('us-east-1', 'account'), 'content-type': 'application/json' },
        body: '{"MaxResults":50}',
      },
      expected: {
        region: 'us-east-1',
        service: 'account',
        operation: 'ListRegions',
        input: { MaxResults: 50 },
      },
    },
    {
      protocol: 'REST-JSON with a path parameter (Lambda Invoke)',
      request: {
        method: 'POST',
        path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111111111111%3Afunction%3Afix/invocations',
        headers: { authorization: authorization('us-east-1', 'lambda') },
        body: '{"TrailName":"t"}',
      },
      expected: {
        region: 'us-east-1',
        service: 'lambda',
        operation: 'Invoke',
        input: { TrailName: 't', FunctionName: 'arn:aws:lambda:us-east-1:111111111111:function:fix' },
      },
    },
  ])('reads a $protocol request', ({ request, expected }) => {
    expect(readAwsRequest(request, OK)).toEqual({ accessKey: ACCESS_KEY, ...expected, response: OK });
  });

  it.each<{ problem: string; request: RecordedHttpRequest; message: string }>([
    {
      problem: 'an unsigned request',
      request: { method: 'PUT', path: '/bucket', headers: {}, body: '' },
      message: 'PUT /bucket carries no SigV4 credential scope: an unsigned request cannot be attributed.',
    },
    {
      problem: 'a query request without Action',
      request: { ...queryRequest('iam', 'GetRole', {}), body: 'Version=2010-05-08' },
      message: 'a query request to iam without Action: Version=2010-05-08',
    },
    {
      problem: 'a REST request no route knows',
      request: {
        method: 'GET',
        path: '/regions',
        headers: { authorization: authorization('us-east-1', 'account') },
        body: '',
      },
      message:
        'GET /regions to account matches no REST route: add it to REST_ROUTES in test/privilege/aws-request.ts.',
    },
    {
      problem: 'a JSON body that is not an object',
      request: { ...jsonRequest('logs', 'Logs_20140328.CreateLogGroup', {}), body: '[1]' },
      message: 'the body of logs:CreateLogGroup is not a JSON object: [1]',
    },
  ])('refuses $problem', ({ request, message }) => {
    expect(() => readAwsRequest(request, OK)).toThrow(new UnreadableRequestError(message));
  });
});

describe('queryList', () => {
  it('reads the members of a query-protocol list in index order', () => {
    const input = {
      'Tags.member.2.Key': 'b',
      'Tags.member.1.Key': 'a',
      'Tags.member.1.Value': '1',
      'Tags.member.2.Value': '2',
      'Other.member.1.Key': 'c',
    };
    expect(queryList(input, 'Tags')).toEqual([
      { Key: 'a', Value: '1' },
      { Key: 'b', Value: '2' },
    ]);
  });

  it('is empty when the list is absent', () => {
    expect(queryList({ RoleName: 'r' }, 'Tags')).toEqual([]);
  });
});
