export { freePort } from './rtmp-server.ts';
export { type StreamService, type StreamServiceDeps, startStreamService } from './service.ts';
