import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for the few AWS operations a cold-start invocation makes, answered instantly, so the
 * cold-start stage times the Lambda's own start-up and first call rather than a network. Unknown operations
 * get an HTTP 400 the SDK raises, so a measured invocation that strays fails the benchmark loudly.
 */

export const STUB_ACCOUNT = '123456789012';
export const STUB_REGION = 'us-east-1';
export const STUB_TRAIL_NAME = 'management-events';
const TRAIL_ARN = `arn:aws:cloudtrail:${STUB_REGION}:${STUB_ACCOUNT}:trail/${STUB_TRAIL_NAME}`;

const JSON_ANSWERS: Readonly<Record<string, unknown>> = {
  'StarlingDoveService.PutEvaluations': { FailedEvaluations: [] },
  'CloudTrail_20131101.GetTrail': {
    Trail: {
      Name: STUB_TRAIL_NAME,
      TrailARN: TRAIL_ARN,
      HomeRegion: STUB_REGION,
      IsMultiRegionTrail: true,
      IsOrganizationTrail: false,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${STUB_REGION}:${STUB_ACCOUNT}:log-group:/cloudtrail-logs-guard/${STUB_TRAIL_NAME}:*`,
      // A role outside the remediation's path: the integration check does not read it (no IAM stub needed).
      CloudWatchLogsRoleArn: `arn:aws:iam::${STUB_ACCOUNT}:role/CloudTrailToLogs`,
    },
  },
  // The remediation's integration check of an integrated trail: its log group exists and it delivers.
  'Logs_20140328.DescribeLogGroups': {
    logGroups: [
      {
        logGroupName: `/cloudtrail-logs-guard/${STUB_TRAIL_NAME}`,
        arn: `arn:aws:logs:${STUB_REGION}:${STUB_ACCOUNT}:log-group:/cloudtrail-logs-guard/${STUB_TRAIL_NAME}:*`,
      },
    ],
  },
  'CloudTrail_20131101.GetTrailStatus': {
    IsLogging: true,
    LatestCloudWatchLogsDeliveryTime: Date.now() / 1000,
  },
};

const GET_CALLER_IDENTITY = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
<GetCallerIdentityResult><Arn>arn:aws:iam::${STUB_ACCOUNT}:user/bench</Arn><UserId>AIDABENCH</UserId><Account>${STUB_ACCOUNT}</Account></GetCallerIdentityResult>
<ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>`;

export interface AwsStub {
  /** `http://127.0.0.1:<port>`, for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  /** Requests answered, by operation. */
  readonly calls: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

function answer(request: IncomingMessage, body: string, response: ServerResponse): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string' && target in JSON_ANSWERS) {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(JSON.stringify(JSON_ANSWERS[target]));
    return target.slice(target.lastIndexOf('.') + 1);
  }
  if (new URLSearchParams(body).get('Action') === 'GetCallerIdentity') {
    response.writeHead(200, { 'content-type': 'text/xml' });
    response.end(GET_CALLER_IDENTITY);
    return 'GetCallerIdentity';
  }
  response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(
    JSON.stringify({ __type: 'UnknownOperationException', message: `bench stub: ${target ?? body}` }),
  );
  return `unknown ${target ?? body}`;
}

/** Starts the stub on a free loopback port. */
export async function startAwsStub(): Promise<AwsStub> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const operation = answer(request, Buffer.concat(chunks).toString('utf8'), response);
      calls[operation] = (calls[operation] ?? 0) + 1;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
