export * from './client.ts';
export * from './imports.ts';
export * from './job-records.ts';
export * from './jobs.ts';
export * from './migrate.ts';
export * from './publications.ts';
export * from './renders.ts';
export * as schema from './schema/index.ts';
export * from './sites.ts';
