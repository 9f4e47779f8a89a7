export * from './coverage-evidence.ts';
export * from './evidence.ts';
export * from './ledger.ts';
export * from './workbook.ts';
export * from './year.ts';
