export * from './events.ts';
export * from './guard.ts';
export * from './relay-hosts.ts';
export * from './secrets.ts';
export * from './segments.ts';
export * from './sessions.ts';
