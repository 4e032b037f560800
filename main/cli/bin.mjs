#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so the CLI and the app share one copy of the core's source.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
