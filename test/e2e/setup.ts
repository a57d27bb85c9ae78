import { beforeEach, inject } from 'vitest';
import { resetEmulator } from './emulator.js';

// Test-side SDK clients (which create trails and read results back) use the default chain, like the handlers.
process.env.AWS_ENDPOINT_URL = inject('motoEndpoint');

beforeEach(async () => {
  await resetEmulator(inject('motoEndpoint'));
});
