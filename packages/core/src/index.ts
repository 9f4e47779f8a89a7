export * from './domain.ts';
export * from './errors.ts';
