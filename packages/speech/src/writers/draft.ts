import { checkAiScript, type ScriptFacts } from './check.ts';
import { openAiCompatibleWriter } from './openai-compatible.ts';
import { unwritableParts } from './prompt.ts';
import { ScriptWriterError, type ScriptWriterProvider } from './provider.ts';

/** Who wrote an AI script, for the render's record of AI components. */
export interface ScriptWriterRecord {
  provider: string;
  providerLabel: string;
  model: string;
}

/** A checked AI draft, a paragraph per slot, or why the rule writer's script is to be used instead. */
export type AiScriptDraft =
  | { used: true; paragraphs: string[]; writer: ScriptWriterRecord }
  | { used: false; reason: string };

/**
 * The configured AI script writer (JOBCAST_LLM_*), or a ScriptWriterError naming the variables to set. One
 * provider for now; a service with its own API would be chosen here.
 */
export function scriptWriterProvider(env: NodeJS.ProcessEnv = process.env): ScriptWriterProvider {
  return openAiCompatibleWriter(env);
}

/** Whether the console may offer AI writing, and under which name; no credentials are quoted. */
export function scriptWriterStatus(
  env: NodeJS.ProcessEnv = process.env,
): { available: true; label: string; model: string } | { available: false; reason: string } {
  try {
    const writer = scriptWriterProvider(env);
    return { available: true, label: writer.label, model: writer.model };
  } catch (error) {
    if (error instanceof ScriptWriterError) return { available: false, reason: error.message };
    throw error;
  }
}

/**
 * Asks the writer for the scenes' narration and checks it. Never throws for the writer's sake (unconfigured,
 * refused, down, nonsense): the refusal's reason says what happened, and the caller speaks the rule writer's
 * script. Only the caller's own abort is rethrown.
 */
export async function draftAiScript(
  writer: ScriptWriterProvider | (() => ScriptWriterProvider),
  facts: ScriptFacts & { signal?: AbortSignal },
): Promise<AiScriptDraft> {
  try {
    const provider = typeof writer === 'function' ? writer() : writer;
    if (facts.jobs.length === 0) return { used: false, reason: 'AI 写稿只用于岗位视频，这个视频没有岗位' };
    const unwritable = unwritableParts(facts.slots);
    if (unwritable.length > 0) {
      return { used: false, reason: `这个模板的画面（${unwritable.join('、')}）要说编辑填写的内容，AI 写稿不适用` };
    }
    const paragraphs = await provider.write({
      slots: facts.slots,
      jobs: facts.jobs,
      site: facts.site,
      signal: facts.signal,
    });
    const verdict = checkAiScript(paragraphs, facts);
    if (!verdict.ok) return { used: false, reason: verdict.reason };
    return {
      used: true,
      paragraphs,
      writer: { provider: provider.id, providerLabel: provider.label, model: provider.model },
    };
  } catch (error) {
    if (facts.signal?.aborted) throw error;
    if (error instanceof ScriptWriterError) return { used: false, reason: error.message };
    return { used: false, reason: `AI 写稿出错：${(error as Error).message}` };
  }
}

/** The note kept with a render (and shown on the console) when the AI draft was not spoken. */
export function aiScriptNote(reason: string): string {
  return `AI 写稿未采用：${reason}，已改用规则稿`;
}
