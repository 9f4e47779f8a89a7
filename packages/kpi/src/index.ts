export * from './alerts.ts';
export * from './fairs.ts';
export * from './rules.ts';
export * from './score.ts';
export * from './service-year.ts';
