#!/usr/bin/env node
// The `jobcast` command. Sources are TypeScript, loaded through tsx: there is no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
