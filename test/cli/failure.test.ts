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
  ])('writes one line with the operation, region, status, code and advice (%#)', (error, line) => {
    expect(failureLine('cloudtrail:DescribeTrails', 'eu-west-1', error)).toBe(line);
  });
});
