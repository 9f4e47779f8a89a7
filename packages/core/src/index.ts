export * from './bytes.ts';
export * from './chinese-only.ts';
export * from './clock.ts';
export * from './domain.ts';
export * from './errors.ts';
export * from './log.ts';
export * from './month.ts';
export * from './pay.ts';
