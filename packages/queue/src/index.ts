export * from './bullmq.ts';
export * from './contracts.ts';
export * from './render-requests.ts';
