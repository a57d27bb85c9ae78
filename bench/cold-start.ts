import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { type AwsStub, STUB_REGION } from './aws-stub.js';

/**
 * Stage 2: cold start in fresh Node processes, the subjects interleaved round by round so machine noise hits
 * them alike. Each child reads its input first, then times (a) importing its modules and (b) its first call:
 * the handler's first invocation (which builds the clients the event needs and makes its AWS calls against
 * the loopback stub), or for the SDK baselines, building the clients and sending the rule's PutEvaluations.
 * It also reports when the import ended counted from the process's own start (`performance.now()`), so a
 * subject's whole-process import, net of bare Node start-up, is that figure minus the `bare` subject's: this
 * counts what a flag such as `--enable-source-maps` costs outside the import itself. A subject's environment
 * (NODE_OPTIONS included) is the deployed function's, from the synthesized template.
 */

const CHILD = `
import { writeSync } from 'node:fs';
const [mode, ...specifiers] = process.argv.slice(1);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'), (key, value) =>
  key === 'OrderingTimestamp' ? new Date(value) : value,
);
let report;
try {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const modules = [];
  for (const specifier of specifiers) modules.push(await import(specifier));
  const imported = performance.now();
  const cpu = process.cpuUsage(cpuStart);
  const api = Object.assign({}, ...modules);
  if (mode === 'handler') {
    await api.handler(input.event, input.context);
  } else if (mode === 'sdk-clients') {
    for (const name of input.clientNames) new api[name](input.clientConfig);
    const client = new api[input.call.client](input.clientConfig);
    await client.send(new api[input.call.command](input.call.input));
  }
  const done = performance.now();
  report = {
    ok: true,
    importMs: imported - start,
    importEndMs: imported,
    importCpuMs: (cpu.user + cpu.system) / 1000,
    firstCallMs: done - imported,
  };
} catch (error) {
  report = { ok: false, error: String(error?.stack ?? error) };
}
writeSync(3, JSON.stringify(report));
`;

export interface ColdStartSubject {
  readonly label: string;
  /**
   * `handler`: import, then `handler(input.event, input.context)`; `sdk-clients`: import, build the clients
   * `input.clientNames` names, then send `input.call` (client, command, input) with one more client of its
   * kind; `bare`: nothing (Node's own start-up).
   */
  readonly mode: 'handler' | 'sdk-clients' | 'bare';
  /** Absolute file paths (bundles) or bare package names (resolved by Node from the repository). */
  readonly modules: readonly string[];
  readonly input: unknown;
  /** The function's own environment variables (NODE_OPTIONS included), on top of the Lambda-like base. */
  readonly environment?: Readonly<Record<string, string>>;
}

export interface ColdStartSample {
  /** The import alone, timed inside the process. */
  readonly importMs: number;
  /** When the import ended, counted from the process's start: Node's start-up plus the import. */
  readonly importEndMs: number;
  /** CPU time (user + system) of the import: less sensitive than wall time to a busy machine. */
  readonly importCpuMs: number;
  readonly firstCallMs: number;
}

export interface ColdStartMeasurement {
  readonly label: string;
  readonly samples: readonly ColdStartSample[];
}

function specifierFor(module: string): string {
  return module.startsWith('/') ? pathToFileURL(module).href : module;
}

async function runChild(subject: ColdStartSubject, cwd: string, stub: AwsStub): Promise<ColdStartSample> {
  const child = spawn(
    process.execPath,
    ['--input-type=module', '--eval', CHILD, subject.mode, ...subject.modules.map(specifierFor)],
    {
      cwd,
      // What a Lambda function's environment gives the SDK, plus the endpoint override to the stub.
      env: {
        ...subject.environment,
        PATH: process.env.PATH ?? '',
        AWS_REGION: STUB_REGION,
        AWS_DEFAULT_REGION: STUB_REGION,
        AWS_ACCESS_KEY_ID: 'bench',
        AWS_SECRET_ACCESS_KEY: 'bench',
        AWS_ENDPOINT_URL: stub.endpoint,
      },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    },
  );
  let output = '';
  let report = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stdio[3]?.on('data', (chunk: Buffer) => {
    report += chunk.toString('utf8');
  });
  const closed = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  child.stdin?.end(JSON.stringify(subject.input));
  const code = await closed;
  if (report === '') {
    throw new Error(
      `cold start of ${subject.label}: the child ended (code ${code}) without a report:\n${output}`,
    );
  }
  const parsed = JSON.parse(report) as ({ ok: true } & ColdStartSample) | { ok: false; error: string };
  if (!parsed.ok)
    throw new Error(`cold start of ${subject.label} failed in the child:\n${parsed.error}\n${output}`);
  return {
    importMs: parsed.importMs,
    importEndMs: parsed.importEndMs,
    importCpuMs: parsed.importCpuMs,
    firstCallMs: parsed.firstCallMs,
  };
}

/**
 * Runs `rounds` fresh processes per subject (after one discarded warm-up round that fills the file cache),
 * rotating the order each round.
 */
export async function measureColdStarts(
  subjects: readonly ColdStartSubject[],
  rounds: number,
  cwd: string,
  stub: AwsStub,
): Promise<ColdStartMeasurement[]> {
  for (const subject of subjects) await runChild(subject, cwd, stub);
  const samples = subjects.map((): ColdStartSample[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < subjects.length; offset++) {
      const index = (round + offset) % subjects.length;
      const subject = subjects[index] as ColdStartSubject;
      samples[index]?.push(await runChild(subject, cwd, stub));
    }
  }
  return subjects.map((subject, index) => ({ label: subject.label, samples: samples[index] ?? [] }));
}
