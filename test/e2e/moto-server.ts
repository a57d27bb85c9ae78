import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:fs';
import { access, open, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Starts and stops the `moto_server` process the end-to-end tier runs against. Loopback only: the server
 * binds 127.0.0.1 and every request goes there.
 */

export const MOTO_INSTALL_HINT = 'pip install "moto[server]"';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_CHARS = 2_000;

export class MotoServerError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MotoServerError';
  }
}

export interface MotoServer {
  readonly endpoint: string;
  readonly pid: number;
  /** Stops the process group started for the server; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** Absolute path of the first executable `moto_server` on PATH; throws with the install command when none is. */
export async function findMotoServer(pathVariable: string | undefined = process.env.PATH): Promise<string> {
  for (const dir of (pathVariable ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'moto_server');
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry (or not executable): keep looking; the error below covers the miss.
    }
  }
  throw new MotoServerError(
    `moto_server was not found on PATH. The end-to-end tier needs it: install it with ${MOTO_INSTALL_HINT} (moto 5), then run npm run test:e2e again.`,
  );
}

/** A TCP port that was free on the loopback interface a moment ago (the OS picks it). */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') {
    throw new MotoServerError(`could not read the port of a probe socket on ${HOST}.`);
  }
  return address.port;
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function logTail(logFile: string): Promise<string> {
  const text = await readFile(logFile, 'utf8');
  return text.slice(-LOG_TAIL_CHARS);
}

async function waitUntilReady(endpoint: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      throw new MotoServerError(
        `moto_server exited (code ${child.exitCode}, signal ${child.signalCode}) before answering on ${endpoint}. Its log ends with:\n${await logTail(logFile)}`,
      );
    }
    try {
      // The reset endpoint doubles as the readiness probe: it answers only once every backend is loaded.
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (response.ok) return;
    } catch (error) {
      // Connection refused until the server listens; the deadline bounds the wait and reports this error.
      lastError = error;
    }
    await sleep(READY_POLL_MS);
  }
  throw new MotoServerError(
    `moto_server did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms. Its log ends with:\n${await logTail(logFile)}`,
    { cause: lastError },
  );
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || hasExited(child)) return;
  // Negative PID: the whole process group started for the server, in case moto_server is a wrapper script.
  process.kill(-child.pid, signal);
}

async function stopChild(child: ChildProcess): Promise<void> {
  // No PID: the process never started, so there is nothing to stop (and no 'exit' event to wait for).
  if (child.pid === undefined || hasExited(child)) return;
  const exited = once(child, 'exit');
  signalGroup(child, 'SIGTERM');
  const outcome = await Promise.race([
    exited.then(() => 'exited' as const),
    sleep(STOP_GRACE_MS, 'timeout' as const),
  ]);
  if (outcome === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
}

/**
 * Starts `moto_server` on 127.0.0.1 and a free port and waits (bounded) until it answers. Moto runs with
 * its defaults, under which IAM authorization is not enforced (`INITIAL_NO_AUTH_ACTION_COUNT` is removed
 * from its environment) and PutEvaluations is accepted with `TestMode`. Its request recorder writes every
 * AWS request it receives to `recordingFile`, which is how tests observe what a bundled handler sent. The
 * server's output goes to `logFile`. If startup fails the process is stopped before the error is thrown.
 */
export async function startMotoServer(options: {
  readonly recordingFile: string;
  readonly logFile: string;
}): Promise<MotoServer> {
  const executable = await findMotoServer();
  const port = await freeLoopbackPort();
  const endpoint = `http://${HOST}:${port}`;
  const { INITIAL_NO_AUTH_ACTION_COUNT: _enforceIam, ...inherited } = process.env;
  const log = await open(options.logFile, 'w');
  const child = spawn(executable, ['-H', HOST, '-p', String(port)], {
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
    env: { ...inherited, MOTO_ENABLE_RECORDING: 'true', MOTO_RECORDER_FILEPATH: options.recordingFile },
  });
  // Listen before any await: 'spawn' (or the 'error' that rejects this) fires on a later tick.
  const started = once(child, 'spawn').catch((error: Error) => {
    throw new MotoServerError(`could not start ${executable}: ${error.message}`, { cause: error });
  });
  // A run that dies without reaching teardown must not leave the server behind.
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopChild(child);
    process.off('exit', killOnExit);
  };
  try {
    await started;
    await waitUntilReady(endpoint, child, options.logFile);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    await log.close();
  }
  if (child.pid === undefined) throw new MotoServerError(`${executable} started without a PID.`);
  return { endpoint, pid: child.pid, stop };
}
