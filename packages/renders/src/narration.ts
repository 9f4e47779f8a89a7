import type { SceneScriptSlot } from '@jobcast/speech';
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
export function narrationSlots(planned: readonly PlannedScene[], transitionS: number, pace = 1): SceneScriptSlot[] {
  return planned.map((p, i) => ({
    say: p.scene.say,
    job: p.job,
    seconds:
      Math.max(0.5, p.scene.seconds - SPEECH_LEAD_S - SPEECH_TAIL_S - (i < planned.length - 1 ? transitionS : 0)) /
      pace,
  }));
}
