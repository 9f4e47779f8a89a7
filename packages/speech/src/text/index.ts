/**
 * Text for speech, pure apart from reading the lexicon file once: the normaliser (figures and symbols to
 * what a person says), polyphone fixes, clauses for captions and synthesis, and rule-written narration.
 * Imports @jobcast/core and zod only; the voice engines import from here, never the other way.
 */
export { splitClauses } from './clauses.ts';
export {
  applyLexicon,
  defaultLexicon,
  espeakPinyin,
  type Lexicon,
  loadLexicon,
  type PinyinMark,
  parseLexicon,
} from './lexicon.ts';
export { foldWidth, normalizeForSpeech } from './normalize.ts';
export { phoneGroups, type ReadNumberOptions, readClock, readDigits, readNumber, readPhone } from './numerals.ts';
export {
  CHARS_PER_SECOND,
  CLAUSE_MAX_CHARS,
  checkScriptFits,
  joinParagraphs,
  type NarrationPart,
  type NarrationScript,
  narrationParts,
  type SceneScript,
  type SceneScriptSlot,
  type ScriptRequest,
  type ScriptSite,
  type ScriptTemplate,
  scriptTemplates,
  speechSeconds,
  splitParagraphs,
  spokenPay,
  writeSceneScript,
  writeScript,
} from './script.ts';
