import type { JobView } from '@jobcast/core';
import type { SceneScriptSlot, ScriptSite } from '../text/script.ts';
import type { VoiceFaultKind } from '../voices/provider.ts';

/** What an AI script writer is asked for: the jobs, the office, and the scenes it writes for. */
export interface ScriptWriterRequest {
  /** One per scene of the video, as the rule writer gets them (what it says, about which job, how long). */
  slots: readonly SceneScriptSlot[];
  jobs: readonly JobView[];
  site: ScriptSite;
  signal?: AbortSignal;
}

/**
 * A language model that writes a livelier narration than the rules do. Its paragraphs are a draft: nothing it
 * says reaches a video before `checkAiScript` has found every figure, phone and employer in the jobs.
 */
export interface ScriptWriterProvider {
  /** Stable id, stored with every render whose script it wrote: `openai-compatible`. */
  readonly id: string;
  /** Chinese name the media team reads: 通义千问（兼容 OpenAI 接口）… */
  readonly label: string;
  /** The model asked (`qwen-plus`, `deepseek-chat` …), for the AI record. */
  readonly model: string;
  /** A paragraph per slot as the model wrote it, cleaned of formatting; the count may differ from the slots'. */
  write(request: ScriptWriterRequest): Promise<string[]>;
}

/** A script writer's failure, naming the provider and what to fix, in Chinese; never quoting the key. */
export class ScriptWriterError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: VoiceFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'ScriptWriterError';
  }
}
