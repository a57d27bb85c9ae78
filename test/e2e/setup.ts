import { relative } from 'node:path';
import { afterAll, beforeEach, expect, inject } from 'vitest';
import { setRecordingEndpoint, setScenario, startRecording } from './call-recorder.js';
import { resetEmulator } from './emulator.js';
import { startFaultProxy } from './fault-proxy.js';

// Test-side SDK clients (which create trails and read results back) use the default chain, like the handlers,
// and talk to moto directly: only what the bundled Lambdas and the CLI send goes through the recording proxy.
process.env.AWS_ENDPOINT_URL = inject('motoEndpoint');

startRecording(inject('recordingDirectory'));
// A pass-through fault proxy: it records every request and forwards it to moto unchanged.
const recorder = await startFaultProxy(inject('motoEndpoint'), (_call, forward) => forward());
setRecordingEndpoint(recorder.endpoint);

beforeEach(async () => {
  const { testPath, currentTestName } = expect.getState();
  setScenario({
    file: relative(import.meta.dirname, testPath ?? 'unknown'),
    test: currentTestName ?? 'unknown',
  });
  await resetEmulator(inject('motoEndpoint'));
});

afterAll(async () => {
  await recorder.close();
});
