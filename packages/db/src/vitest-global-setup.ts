export { databaseTestSetup as default } from './testing.ts';
