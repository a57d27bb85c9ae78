#!/usr/bin/env node
// The package's `bin`: runs the command line as `npm run build` compiled it (dist/cli.js, and in dist/chunks/ the
// commands and their SDK imports, loaded only when a command runs; the installed package holds its package.json
// at ../package.json). From a clone without a build, `npm run cli -- <command>` runs the TypeScript directly.
await import('../dist/cli.js');
