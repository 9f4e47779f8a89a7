export * from './assets.ts';
export * from './imports.ts';
export * from './jobs.ts';
export * from './live.ts';
export * from './publications.ts';
export * from './renders.ts';
export * from './sites.ts';
export * from './users.ts';
