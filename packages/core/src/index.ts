export * from './domain.ts';
export * from './errors.ts';
export * from './log.ts';
export * from './pay.ts';
