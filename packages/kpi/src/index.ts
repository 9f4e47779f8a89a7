export * from './alerts.ts';
export * from './rules.ts';
export * from './score.ts';
export * from './service-year.ts';
