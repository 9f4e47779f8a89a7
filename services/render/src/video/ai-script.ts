import type { JobView } from '@jobcast/core';
import type { AiComponent } from '@jobcast/db';
import { aiScriptNote, draftAiScript, type ScriptWriterProvider, scriptWriterProvider } from '@jobcast/speech';
import type { SiteSettings } from '../bindings.ts';
import type { AiScriptDrafter } from './narration.ts';

/** The AI script writer of one render, keeping what became of its draft for the render's record. */
export interface RenderScriptWriter extends AiScriptDrafter {
  /** The script's AI component, when the AI's draft was spoken. */
  component(): AiComponent | null;
  /** Why the AI's draft was not spoken (null: it was, or it was never asked for). */
  note(): string | null;
}

/**
 * The writer a render with `writer: 'ai'` asks: configured from JOBCAST_LLM_* when asked (unconfigured,
 * it is a note, not a failure). Its draft is spoken only if it passed the check and the scenes held it.
 */
export function renderScriptWriter(
  jobs: readonly JobView[],
  site: SiteSettings,
  writer: () => ScriptWriterProvider = () => scriptWriterProvider(),
): RenderScriptWriter {
  let component: AiComponent | null = null;
  let note: string | null = null;
  return {
    async draft(slots) {
      const at = new Date().toISOString();
      const draft = await draftAiScript(writer, { slots, jobs, site: { name: site.name, hotline: site.hotline } });
      if (!draft.used) {
        note = aiScriptNote(draft.reason);
        return null;
      }
      component = { kind: 'script', ...draft.writer, at };
      return draft.paragraphs;
    },
    dropped(reason) {
      component = null;
      note = aiScriptNote(reason);
    },
    component: () => component,
    note: () => note,
  };
}
