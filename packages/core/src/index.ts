export * from './domain.ts';
export * from './errors.ts';
export * from './pay.ts';
