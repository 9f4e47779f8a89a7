export { type StreamService, type StreamServiceDeps, startStreamService } from './service.ts';
