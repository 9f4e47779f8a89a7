// Entry of the flyer thread: a worker starts as plain Node.js, so it loads TypeScript the way the
// jobcast command does (tsx), then runs the thread's body.
import { register } from 'tsx/esm/api';

register();
await import('./flyer-thread-body.ts');
