import { describe, expect, it } from 'vitest';
import { classifyAwsError, failureLine, rootAwsError } from '../../cli/failure.js';
import { AwsCallError } from '../../remediation/errors.js';
import { AccessDeniedError } from '../../rule/errors.js';

function sdkError(name: string, message: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(message), {
    name,
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:4566`), { code });
}

/** What the SDK throws when an answer is not JSON (an HTML error page of a proxy). */
function unreadable(): Error {
  return Object.assign(
    new SyntaxError(
      'Unexpected token \'<\', "<html>" is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
    ),
    {
      $metadata: { httpStatusCode: 502 },
      $response: { statusCode: 502, headers: { 'content-type': 'text/html' } },
    },
  );
}

/**
 * The SDK's timeouts as @smithy/node-http-handler raises them (name TimeoutError; the request timeout also sets
 * code ETIMEDOUT), after the retry middleware has counted the attempts into $metadata.
 */
function timeoutError(message: string, attempts: number, code?: string): Error {
  return Object.assign(new Error(`@smithy/node-http-handler - ${message}`), {
    name: 'TimeoutError',
    ...(code === undefined ? {} : { code }),
    $metadata: { attempts, totalRetryDelay: 70 },
  });
}

describe('classifyAwsError', () => {
  it.each([
    [
      'expired credentials',
      sdkError('ExpiredTokenException', 'The security token included in the request is expired', 400),
      'credentials',
      'ExpiredTokenException',
      400,
    ],
    [
      'no credentials',
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'credentials',
      'CredentialsProviderError',
      undefined,
    ],
    [
      'a region not enabled',
      sdkError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
      'credentials',
      'UnrecognizedClientException',
      400,
    ],
    [
      'an IAM denial',
      sdkError('AccessDeniedException', 'not authorized', 400),
      'permission',
      'AccessDeniedException',
      400,
    ],
    [
      'an EC2 denial',
      sdkError('UnauthorizedOperation', 'You are not authorized', 403),
      'permission',
      'UnauthorizedOperation',
      403,
    ],
    [
      'throttling',
      sdkError('ThrottlingException', 'Rate exceeded', 400),
      'throttling',
      'ThrottlingException',
      400,
    ],
    ['a refused connection', networkError('ECONNREFUSED'), 'network', 'ECONNREFUSED', undefined],
    ['a timeout', networkError('ETIMEDOUT'), 'network', 'ETIMEDOUT', undefined],
    ['an unknown host', networkError('ENOTFOUND'), 'endpoint', 'ENOTFOUND', undefined],
    [
      'a 404 without an AWS code',
      sdkError('UnknownError', 'Not Found', 404),
      'endpoint',
      'UnknownError',
      404,
    ],
    ['no region', new Error('Region is missing'), 'region', 'Error', undefined],
    ['a server error', sdkError('InternalFailure', 'internal error', 500), 'service', 'InternalFailure', 500],
  ])('classifies %s', (_name, error, cause, code, httpStatus) => {
    const failure = classifyAwsError(error);
    expect(failure).toMatchObject({ cause, code });
    expect(failure.httpStatus).toBe(httpStatus);
  });

  it.each([
    [
      'a connect timeout',
      timeoutError(
        'the request socket did not establish a connection with the server within the configured timeout of 60000 ms.',
        3,
      ),
      'no connection within 60 s (3 attempts)',
    ],
    [
      'a read timeout',
      timeoutError(
        'the request socket timed out after 1000 ms of inactivity (configured by client requestHandler).',
        3,
      ),
      'no answer within 1 s (3 attempts)',
    ],
    [
      'a request timeout, on the only attempt',
      timeoutError('[ERROR] a request has exceeded the configured 120000 ms requestTimeout.', 1, 'ETIMEDOUT'),
      'no complete answer within 120 s',
    ],
  ])('tells %s by which timeout ran out and after how many attempts', (_name, error, detail) => {
    expect(classifyAwsError(error)).toEqual({ cause: 'timeout', code: 'TimeoutError', detail });
  });

  it('keeps a refused connection, which the SDK also names TimeoutError, a network failure', () => {
    const refused = Object.assign(networkError('ECONNREFUSED'), { name: 'TimeoutError' });
    expect(classifyAwsError(refused)).toMatchObject({ cause: 'network', code: 'ECONNREFUSED' });
  });

  it('tells a non-AWS answer by its status and content type, not by the parser message', () => {
    expect(classifyAwsError(unreadable())).toEqual({
      cause: 'endpoint',
      code: 'UnreadableResponse',
      httpStatus: 502,
      detail: 'the answer is not an AWS API response (text/html)',
    });
  });

  it.each([
    [
      'the rule',
      new AccessDeniedError('cloudtrail:DescribeTrails', 'trails', {
        cause: sdkError('AccessDeniedException', 'denied', 400),
      }),
    ],
    [
      'the remediation',
      new AwsCallError('logs:CreateLogGroup', '/g', sdkError('AccessDeniedException', 'denied', 400)),
    ],
  ])('looks through the wrappers of %s to the SDK error', (_name, wrapped) => {
    expect(rootAwsError(wrapped)).toBe(wrapped.cause);
    expect(classifyAwsError(wrapped)).toEqual({
      cause: 'permission',
      code: 'AccessDeniedException',
      httpStatus: 400,
      detail: 'denied',
    });
  });
});

describe('failureLine', () => {
  it.each([
    [
      sdkError('AccessDeniedException', 'User is not authorized.', 400),
      'cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 400 AccessDeniedException: User is not authorized. Grant cloudtrail:DescribeTrails to the credentials you run with, or check that no SCP denies it in this region.',
    ],
    [
      networkError('ECONNREFUSED'),
      'cloudtrail:DescribeTrails in eu-west-1 failed: ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:4566. Check your network connection, proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL; the request did not get an answer.',
    ],
    [
      unreadable(),
      'cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 502 UnreadableResponse: the answer is not an AWS API response (text/html). Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.',
    ],
    [
      sdkError('ExpiredToken', 'The security token is expired', 403),
      'cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 403 ExpiredToken: The security token is expired. Check your credentials: log in again (aws sso login), or pick a profile with --profile or AWS_PROFILE; in an opt-in region, check that the region is enabled for the account.',
    ],
    [
      sdkError('InternalFailure', 'boom\nsecond line', 500),
      'cloudtrail:DescribeTrails in eu-west-1 failed: HTTP 500 InternalFailure: boom. Run it again with --debug to see the requests.',
    ],
    [
      new Error('Region is missing'),
      'cloudtrail:DescribeTrails in eu-west-1 failed: Error: Region is missing. Set a region: --region, AWS_REGION, AWS_DEFAULT_REGION or a region in your profile.',
    ],
  ])('writes one line with the operation, region, status, code and advice (%#)', (error, line) => {
    expect(failureLine('cloudtrail:DescribeTrails', 'eu-west-1', error)).toBe(line);
  });

  it('takes the advice it is given instead of the advice chosen by the cause', () => {
    expect(
      failureLine('config:X', undefined, sdkError('NoSuchThing', 'gone', 400), 'Name another thing.'),
    ).toBe('config:X failed: HTTP 400 NoSuchThing: gone. Name another thing.');
  });
});
