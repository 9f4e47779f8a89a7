export * from './passwords.ts';
export * from './users.ts';
