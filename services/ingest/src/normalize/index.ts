export { formatPay } from '@jobcast/core';
export { inferCategory, parseCategory } from './category.ts';
export { normalizePhone, type ParsedContact, parseContact } from './contact.ts';
export { parseDate } from './dates.ts';
export { dropEmptyPairs, stripOwnLabel, tidyValue } from './debris.ts';
export { type ParsedHeadcount, parseHeadcount } from './headcount.ts';
export {
  type CanonicalField,
  fieldForHeader,
  findHeaderRow,
  headerAliases,
  type MappedColumn,
  mapHeaders,
} from './headers.ts';
export { chineseNumber } from './numerals.ts';
export { type ParsedPay, parsePay, payFromSplit } from './pay.ts';
export { fixShiftedFields, looksLikeEducation, looksLikeExperience, type ShiftFix } from './shift.ts';
export { type CleanedCell, cleanCell, foldKey, toHalfWidth } from './text.ts';
export type { FieldWarning } from './types.ts';
