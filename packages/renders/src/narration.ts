import type { SceneScriptSlot } from '@jobcast/speech';
import { RenderInputError } from './errors.ts';
import type { PlannedScene } from './templates/schema.ts';

/** Speech starts this long after its scene does (the transition has settled, the text has entered). */
export const SPEECH_LEAD_S = 0.4;
/** …and the scene stays this long after the speech ends, so a cut never clips the last word. */
export const SPEECH_TAIL_S = 0.5;

/**
 * What each scene of a video says and how many seconds of speech it has room for (its length less
 * the lead, the tail and the next transition), divided by `pace`: how much slower than the rule
 * writer's estimate the voice speaks. The render and the console's draft write the same script.
 */
export function narrationSlots(
  planned: readonly PlannedScene[],
  transitionS: number,
  pace = 1,
  explainer?: { title: string; points: readonly string[] },
): SceneScriptSlot[] {
  return planned.map((p, i) => ({
    text: explainer
      ? { title: explainer.title, point: p.point === undefined ? undefined : explainer.points[p.point] }
      : undefined,
    say: p.scene.say,
    share: p.share,
    job: p.job,
    seconds:
      Math.max(
        0.5,
        (p.seconds ?? p.scene.seconds) - SPEECH_LEAD_S - SPEECH_TAIL_S - (i < planned.length - 1 ? transitionS : 0),
      ) / pace,
  }));
}

/** The shortest scene a clip makes: longer than the transitions at both ends. */
export const MIN_CLIP_SECONDS = 1.5;

/**
 * How long a clip's scene lasts before narration: from its in point to its out point, else the
 * template's scene length, never past the clip's end. A clip with less than a scene's minimum left
 * after its in point fails, naming it.
 */
export function clipSceneSeconds(
  item: { kind: 'clip' | 'photo'; name: string; durationS: number | null; inS: number; outS?: number },
  templateSeconds: number,
): number {
  if (item.kind === 'photo') return templateSeconds;
  const available = (item.durationS ?? 0) - item.inS;
  if (available < MIN_CLIP_SECONDS) {
    throw new RenderInputError(
      'FOOTAGE_UNUSABLE',
      `素材「${item.name}」从第 ${item.inS} 秒起只剩 ${Math.max(0, available).toFixed(1)} 秒，至少需要 ${MIN_CLIP_SECONDS} 秒，请把开始点提前`,
      { clip: item.name },
    );
  }
  const wanted = item.outS !== undefined ? item.outS - item.inS : templateSeconds;
  return Math.round(Math.max(MIN_CLIP_SECONDS, Math.min(wanted, available)) * 10) / 10;
}
