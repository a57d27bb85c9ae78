#!/usr/bin/env node
// The package's `bin`. The project ships TypeScript without a build step, so tsx (a dependency of the
// repository) loads it; `npm run cli -- <command>` is the same thing from a clone.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
