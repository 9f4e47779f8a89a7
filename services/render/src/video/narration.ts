import { writeFile } from 'node:fs/promises';
import type { JobView } from '@jobcast/core';
import type { AiComponent } from '@jobcast/db';
import { narrationSlots, type PlannedScene, RenderInputError } from '@jobcast/renders';
import {
  type Cue,
  joinParagraphs,
  type Narration,
  narrate,
  type SceneScriptSlot,
  type SpeechCache,
  speechSeconds,
  splitParagraphs,
  type VoiceProvider,
  writeSceneScript,
  writeWav,
} from '@jobcast/speech';
import type { SiteSettings } from '../bindings.ts';
import { planContinuous, planTimeline, type Timeline } from './timeline.ts';

/** How a render speaks: the site's voice (or the request's), and the media team's script if they edited it. */
export interface NarrationSetup {
  provider: VoiceProvider;
  voice?: string;
  rate?: number;
  cache?: SpeechCache;
  /** The edited script: a paragraph per scene, blank lines between; else the rule writer's. */
  script?: string;
  /** An AI script writer, asked for the script when there is no edited one. */
  aiScript?: AiScriptDrafter;
}

/**
 * The AI script writer as the narration sees it. Neither method throws: a refused or failed draft is null,
 * and the drafter keeps why for the render's record.
 */
export interface AiScriptDrafter {
  /** A paragraph per slot, checked against the jobs and the slots' lengths; null: speak the rule writer's. */
  draft(slots: readonly SceneScriptSlot[]): Promise<string[] | null>;
  /** The draft was spoken but its scenes could not hold it: the rule writer's script is spoken instead. */
  dropped(reason: string): void;
  /** The script's AI component once its draft is spoken (it goes in the video's AIGC label too). */
  component?(): AiComponent | null;
}

export interface SpokenVideo {
  /** The script as spoken, paragraph per scene. */
  script: string;
  timeline: Timeline;
  /** Caption cues on the video's timeline. */
  cues: Cue[];
  /** The voice alone, placed on the video's timeline (WAV file written). */
  voiceTrack: string;
  voice: AiComponent;
  /** Seconds of speech in all. */
  speechSeconds: number;
}

async function speakAll(
  paragraphs: readonly string[],
  speak: (text: string) => Promise<Narration>,
): Promise<(Narration | null)[]> {
  const spoken: (Narration | null)[] = [];
  for (const paragraph of paragraphs) spoken.push(paragraph.trim() ? await speak(paragraph) : null);
  return spoken;
}

/** A scene's name for a person, in the messages about its script. */
export function sceneLabel(planned: readonly PlannedScene[], i: number): string {
  const p = planned[i] as PlannedScene;
  if (p.clip !== undefined) return `第 ${p.clip + 1} 段素材`;
  if (p.point !== undefined) return `第 ${p.point + 1} 条要点`;
  if (p.job !== null) {
    const sameScene = planned.filter((q) => q.scene === p.scene);
    const nth = sameScene.length > 1 && planned.some((q) => q.job === p.job && q.scene !== p.scene);
    return nth ? `第 ${p.job + 1} 个岗位（第 ${sameScene.indexOf(p) + 1} 屏）` : `第 ${p.job + 1} 个岗位`;
  }
  if (i === 0) return '开场';
  if (i === planned.length - 1) return '结尾';
  return `第 ${i + 1} 屏`;
}

/**
 * The narration of a video: the script (the media team's, else written by rule from the jobs, a
 * paragraph per scene), each paragraph spoken, the scenes' lengths planned around the speech, and
 * the voice laid on the video's timeline as one track.
 */
export async function speakVideo(input: {
  planned: readonly PlannedScene[];
  transitionS: number;
  mayGrow: boolean;
  maxSeconds: number;
  jobs: readonly JobView[];
  site: SiteSettings;
  setup: NarrationSetup;
  voiceTrack: string;
  /** A policy explainer's title and points, which its scenes say. */
  explainer?: { title: string; points: readonly string[] };
}): Promise<SpokenVideo> {
  const { planned, setup } = input;
  const scenes = planned.map((p, i) => ({ seconds: p.seconds ?? p.scene.seconds, label: sceneLabel(planned, i) }));
  const speak = (text: string) =>
    narrate(text, { provider: setup.provider, voice: setup.voice, rate: setup.rate, cache: setup.cache });
  const ruleScript = (pace: number) =>
    writeSceneScript({
      scenes: narrationSlots(planned, input.transitionS, pace, input.explainer),
      jobs: input.jobs,
      site: { name: input.site.name, hotline: input.site.hotline },
    }).paragraphs;
  const plan = (speech: readonly number[]) =>
    planTimeline({
      scenes,
      speech,
      transitionS: input.transitionS,
      mayGrow: input.mayGrow,
      maxSeconds: input.maxSeconds,
    });

  // The AI writer's draft fits the slots by the same estimate as the rule writer's, and is treated like it
  // below: if this voice outruns it, the rule writer's script for the voice's measured pace is spoken instead.
  const aiDraft =
    setup.script === undefined && setup.aiScript
      ? await setup.aiScript.draft(narrationSlots(planned, input.transitionS, 1, input.explainer))
      : null;
  let paragraphs = setup.script !== undefined ? splitParagraphs(setup.script) : (aiDraft ?? ruleScript(1));
  let timeline: Timeline;
  let spoken: (Narration | null)[] = [];
  if (paragraphs.length === planned.length) {
    spoken = await speakAll(paragraphs, speak);
    try {
      timeline = plan(spoken.map((n) => n?.seconds ?? 0));
    } catch (error) {
      // The rule writer fits its estimate of speech; a slower voice can outrun it. Written again for
      // this voice's measured pace (clauses already spoken come from the cache), once.
      if (setup.script !== undefined || !(error instanceof RenderInputError)) throw error;
      if (aiDraft) setup.aiScript?.dropped(`AI 稿用这个声音读出来放不进画面（${error.message.split('，请缩短')[0]}）`);
      const estimated = paragraphs.reduce((sum, p) => sum + speechSeconds(p), 0);
      const measured = spoken.reduce((sum, n) => sum + (n?.seconds ?? 0), 0);
      paragraphs = ruleScript(Math.max(1, measured / Math.max(estimated, 0.1)) * 1.05);
      spoken = await speakAll(paragraphs, speak);
      timeline = plan(spoken.map((n) => n?.seconds ?? 0));
    }
  } else {
    // Rewritten as one text (or with more or fewer paragraphs than scenes): spoken from the start.
    const whole = await speak(paragraphs.join('\n'));
    spoken.push(whole);
    timeline = planContinuous({
      scenes,
      speech: whole.seconds,
      transitionS: input.transitionS,
      mayGrow: input.mayGrow,
      maxSeconds: input.maxSeconds,
    });
  }
  const first = spoken.find((n): n is Narration => n !== null);
  if (!first) throw new Error('a narrated video needs at least one paragraph to speak');

  const sampleRate = first.pcm.sampleRate;
  const track = new Int16Array(Math.ceil(timeline.seconds * sampleRate));
  const cues: Cue[] = [];
  let spokenSeconds = 0;
  for (const [i, narration] of spoken.entries()) {
    if (!narration) continue;
    const start = timeline.speechStarts[i] as number;
    const offset = Math.round(start * sampleRate);
    track.set(narration.pcm.samples.subarray(0, Math.max(0, track.length - offset)), offset);
    for (const cue of narration.cues) {
      cues.push({
        ...cue,
        start: cue.start + start,
        end: cue.end + start,
        // The engine's word timings, where it gave them, move with the scene too.
        ...(cue.words
          ? {
              words: cue.words.map((w) => ({ ...w, startMs: w.startMs + start * 1000, endMs: w.endMs + start * 1000 })),
            }
          : {}),
      });
    }
    spokenSeconds += narration.seconds;
  }
  await writeFile(input.voiceTrack, writeWav({ sampleRate, samples: track }));
  return {
    script: joinParagraphs(paragraphs.map((p) => (p.trim() ? p : '-'))),
    timeline,
    cues,
    voiceTrack: input.voiceTrack,
    voice: {
      kind: 'voice',
      provider: first.voice.provider,
      providerLabel: first.voice.providerLabel,
      model: first.voice.model,
      voice: first.voice.voice,
      at: new Date().toISOString(),
    },
    speechSeconds: spokenSeconds,
  };
}
