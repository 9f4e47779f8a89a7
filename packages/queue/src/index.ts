export * from './bullmq.ts';
export * from './contracts.ts';
