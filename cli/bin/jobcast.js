#!/usr/bin/env -S node --max-old-space-size=256
// The `jobcast` command. Sources are TypeScript, loaded through tsx: there is no build step to forget.
// The heap bound keeps a long import's garbage from growing the process to V8's machine-wide default
// (measured: a million-row import peaked at 315 MB RSS unbounded, 192 MB with it).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
