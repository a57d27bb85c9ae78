import { synthesizeApp } from './entry.js';
import { createGuardApp } from './guard-app.js';

process.exitCode = synthesizeApp(() => createGuardApp().app, process.stderr);
