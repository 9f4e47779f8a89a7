export * from './manifest.ts';
export * from './plays.ts';
export * from './timeline.ts';
export * from './tokens.ts';
