/**
 * AI script writers: a language model drafts a livelier narration from the jobs, and nothing of it is spoken
 * until `checkAiScript` has found its figures, phones and employers in the jobs and its paragraphs fit their
 * scenes. Imports the text module and the cloud voices' HTTP helpers; nothing imports a writer but the
 * callers that choose between its draft and the rule writer's.
 */
export { checkAiScript, type ScriptFacts, type ScriptVerdict } from './check.ts';
export {
  type AiScriptDraft,
  aiScriptNote,
  draftAiScript,
  type ScriptWriterRecord,
  scriptWriterProvider,
  scriptWriterStatus,
} from './draft.ts';
export {
  LLM_TIMEOUT_MS,
  OPENAI_COMPATIBLE_ID,
  openAiCompatibleWriter,
  type ScriptWriterOptions,
  scriptWriterLabel,
} from './openai-compatible.ts';
export { type ChatMessage, parseScriptAnswer, scriptPrompt, slotChars } from './prompt.ts';
export { ScriptWriterError, type ScriptWriterProvider, type ScriptWriterRequest } from './provider.ts';
