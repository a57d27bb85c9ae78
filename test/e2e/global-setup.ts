import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { RECORDING_DIRECTORY, RECORDING_MARKER } from './call-recorder.js';
import { type MotoServer, startMotoServer } from './moto-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URL of the moto_server this run started, e.g. http://127.0.0.1:41234. */
    motoEndpoint: string;
    /** Where each test file writes its recorded requests (call-recorder.ts). */
    recordingDirectory: string;
  }
}

/**
 * Starts one moto_server for the whole end-to-end run and stops it (by the PID of the process it started)
 * when the run ends, whether tests passed or failed. A missing moto_server fails the run with the install
 * command; the tier never skips. Empties the least-privilege recording first and marks it complete at the
 * end, for the check that runs after the tier (vitest.privilege.config.ts).
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = await mkdtemp(join(tmpdir(), 'cloudtrail-logs-guard-e2e-'));
  await rm(RECORDING_DIRECTORY, { recursive: true, force: true });
  await mkdir(RECORDING_DIRECTORY, { recursive: true });
  let moto: MotoServer;
  try {
    moto = await startMotoServer({
      recordingFile: join(workDir, 'moto-recording.jsonl'),
      logFile: join(workDir, 'moto-server.log'),
    });
  } catch (error) {
    // The error already carries the end of the server's log.
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('motoEndpoint', moto.endpoint);
  project.provide('recordingDirectory', RECORDING_DIRECTORY);
  const startedAt = new Date().toISOString();
  return async () => {
    await moto.stop();
    await rm(workDir, { recursive: true, force: true });
    await writeFile(
      join(RECORDING_DIRECTORY, RECORDING_MARKER),
      `${JSON.stringify({ startedAt, endedAt: new Date().toISOString() })}\n`,
    );
  };
}
