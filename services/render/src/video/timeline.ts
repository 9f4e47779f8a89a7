import { RenderInputError, SPEECH_LEAD_S, SPEECH_TAIL_S } from '@jobcast/renders';

export { SPEECH_LEAD_S, SPEECH_TAIL_S };

export interface NarratedScene {
  /** The template's length for the scene. */
  seconds: number;
  /** The scene's name for a person (开场, 第 2 个岗位, 结尾). */
  label: string;
}

export interface TimelineInput {
  scenes: readonly NarratedScene[];
  /** How long each paragraph of the narration lasts, one per scene (0: the scene is silent). */
  speech: readonly number[];
  /** Transition length: scenes overlap by it. */
  transitionS: number;
  /** Whether scenes may grow to fit their speech, up to `maxSeconds` in all. */
  mayGrow: boolean;
  maxSeconds: number;
}

export interface Timeline {
  /** Each scene's length, transitions included. */
  sceneSeconds: number[];
  /** When each paragraph starts, in seconds of the video. */
  speechStarts: number[];
  seconds: number;
}

const fmt = (s: number) => (Math.round(s * 10) / 10).toString();

/**
 * Where each paragraph of the narration falls: in its own scene, from just after the scene's start.
 * A scene whose speech does not fit grows when the template allows it, else the render fails naming
 * the scene, and a video that would outgrow its template fails naming the length: the media team
 * shortens the script rather than hear it cut off.
 */
export function planTimeline(input: TimelineInput): Timeline {
  const { scenes, speech, transitionS } = input;
  if (speech.length !== scenes.length) throw new Error('one paragraph of speech per scene');
  const sceneSeconds = scenes.map((scene, i) => {
    const spoken = speech[i] as number;
    if (spoken === 0) return scene.seconds;
    // The next scene's transition starts `transitionS` before this one ends: speech must end before it.
    const needed = SPEECH_LEAD_S + spoken + SPEECH_TAIL_S + (i < scenes.length - 1 ? transitionS : 0);
    if (needed <= scene.seconds) return scene.seconds;
    if (!input.mayGrow) {
      throw new RenderInputError(
        'SCRIPT_TOO_LONG',
        `「${scene.label}」的配音约 ${fmt(spoken)} 秒，画面只有 ${fmt(scene.seconds)} 秒，请缩短这一段配音稿`,
        { scene: scene.label, speechSeconds: spoken, sceneSeconds: scene.seconds },
      );
    }
    return Math.ceil(needed * 10) / 10;
  });
  const speechStarts: number[] = [];
  let at = 0;
  for (const [i, seconds] of sceneSeconds.entries()) {
    speechStarts.push(at + SPEECH_LEAD_S);
    at += seconds - (i < sceneSeconds.length - 1 ? transitionS : 0);
  }
  if (at > input.maxSeconds + 1e-6) {
    throw new RenderInputError(
      'SCRIPT_TOO_LONG',
      `配音稿读完需要约 ${fmt(at)} 秒，超过这个视频最长 ${fmt(input.maxSeconds)} 秒的时长，请缩短配音稿`,
      { seconds: at, maxSeconds: input.maxSeconds },
    );
  }
  return { sceneSeconds, speechStarts, seconds: at };
}

/**
 * A narration that is not one paragraph per scene (the media team rewrote it as one text): spoken
 * from the start of the video; it must fit the video's length.
 */
export function planContinuous(input: Omit<TimelineInput, 'speech'> & { speech: number }): Timeline {
  const base = input.scenes.map((s) => s.seconds);
  const length = base.reduce((a, b) => a + b, 0) - (base.length - 1) * input.transitionS;
  const needed = SPEECH_LEAD_S + input.speech + SPEECH_TAIL_S;
  if (needed <= length) return { sceneSeconds: base, speechStarts: [SPEECH_LEAD_S], seconds: length };
  if (!input.mayGrow || needed > input.maxSeconds) {
    const limit = input.mayGrow ? input.maxSeconds : length;
    throw new RenderInputError(
      'SCRIPT_TOO_LONG',
      `配音稿读完需要约 ${fmt(input.speech)} 秒，超过这个视频 ${fmt(limit)} 秒的时长，请缩短配音稿`,
      { speechSeconds: input.speech, seconds: limit },
    );
  }
  // Every scene grows by the same share, so the pictures keep their proportions.
  const factor = (needed + (base.length - 1) * input.transitionS) / base.reduce((a, b) => a + b, 0);
  const sceneSeconds = base.map((s) => Math.ceil(s * factor * 10) / 10);
  const seconds = sceneSeconds.reduce((a, b) => a + b, 0) - (base.length - 1) * input.transitionS;
  return { sceneSeconds, speechStarts: [SPEECH_LEAD_S], seconds };
}
