export * from './passwords.ts';
export * from './users.ts';
export * from './web-sessions.ts';
