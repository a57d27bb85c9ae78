import { createGuardApp } from './guard-app.js';

createGuardApp().app.synth();
