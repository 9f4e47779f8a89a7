/**
 * The ffmpeg filter graph of a video, built from numbers only: scene lengths, motion and the
 * transition. No text of a job or a template ever reaches it (the text is drawn into the stills), so
 * nothing a user types can change what ffmpeg is told to do.
 *
 * Each still is decoded once, converted to yuv420p once, and repeated by the `loop` filter, which
 * hands the same frame on without copying. A transition blends only its own frames: each scene is
 * split into head, body and tail, `xfade` runs on a tail and the next head (a few frames), and
 * `concat` joins the pieces. Measured on this machine for a 30 s, 4-scene video: xfade over whole
 * scenes cost 11.3 s; xfade over the transition frames only, 5.7 s; encoding the same number of
 * frames of one static image, 4.3 s.
 */

export interface SceneClip {
  /** How long the scene is shown, transitions included. */
  seconds: number;
  /** `drift`: the still is larger than the frame and a frame-sized window moves across it. */
  motion: 'none' | 'drift';
  /** The still's size (larger than the frame when it drifts). */
  width: number;
  height: number;
  /**
   * The scene's content enters with motion: for its first `frames` frames the `layer` input (the
   * scene's text, transparent elsewhere) rises `rise` pixels into place and fades in over the `base`
   * input (its backgrounds and cards); then the whole still, as usual. Both are the still's size.
   */
  enter?: { base: number; layer: number; frames: number; rise: number };
  /**
   * The scene is filmed footage: input `input` (a clip, already cut to the scene by its input
   * options) fills the frame, and the scene's still, transparent where the footage shows, is laid
   * over it (a lower-third card). `cover` scales and crops a clip of about the frame's shape to fill
   * it; `blur` fits a clip of another shape (landscape) whole over a blurred, darkened copy of
   * itself. A clip shorter than the scene holds its last frame. The still may be only the card's own
   * rectangle, laid `at` its place in the frame: only those pixels are blended.
   */
  footage?: { input: number; fit: 'cover' | 'blur'; at?: { x: number; y: number } };
}

export interface VideoPlan {
  width: number;
  height: number;
  fps: number;
  transition: { type: string; seconds: number };
  scenes: readonly SceneClip[];
}

/** Frames a scene is shown for, and those its transitions share with its neighbours. */
export function planFrames(plan: VideoPlan): { sceneFrames: number[]; transitionFrames: number; totalFrames: number } {
  const sceneFrames = plan.scenes.map((s) => Math.round(s.seconds * plan.fps));
  const transitionFrames = plan.scenes.length > 1 ? Math.round(plan.transition.seconds * plan.fps) : 0;
  const totalFrames = sceneFrames.reduce((a, b) => a + b, 0) - (plan.scenes.length - 1) * transitionFrames;
  return { sceneFrames, transitionFrames, totalFrames };
}

const TRANSITIONS = new Set(['fade', 'slideleft', 'slideup', 'wipeleft', 'smoothup', 'circleopen']);

/**
 * The `-filter_complex` text for stills given as inputs 0…n-1, ending in the label `[video]`.
 * Throws on anything that is not a plain number or a known transition name.
 */
export function videoFilterGraph(plan: VideoPlan): string {
  if (!TRANSITIONS.has(plan.transition.type)) throw new Error(`unknown transition ${plan.transition.type}`);
  const { sceneFrames, transitionFrames: tf } = planFrames(plan);
  const { width, height, fps } = plan;
  const n = plan.scenes.length;
  const int = (value: number, what: string) => {
    if (!Number.isInteger(value) || value < 0) throw new Error(`${what} is not a whole number: ${value}`);
    return value;
  };
  const filters: string[] = [];
  const pieces: string[] = [];
  for (const [i, scene] of plan.scenes.entries()) {
    const frames = int(sceneFrames[i] as number, 'scene frames');
    const hasHead = i > 0;
    const hasTail = i < n - 1;
    if (frames < tf * (Number(hasHead) + Number(hasTail)) + 1) {
      throw new Error(`scene ${i + 1} is shorter than its transitions`);
    }
    const loop = (input: number, count: number, format: string) =>
      `[${input}:v]format=${format},setsar=1,loop=loop=${count - 1}:size=1:start=0,settb=1/${int(fps, 'fps')},setpts=N`;
    let chain: string;
    if (scene.footage) {
      const k = int(scene.footage.input, 'footage input');
      const fit =
        scene.footage.fit === 'blur'
          ? // The fill is blurred and darkened at an eighth of the size and scaled up without care for
            // sharpness (it is a blur): the same look for a sixtieth of the work.
            `split=2[fa${i}][fb${i}];[fa${i}]scale=${width / 8}:${height / 8}:force_original_aspect_ratio=increase:flags=fast_bilinear,` +
            `crop=${width / 8}:${height / 8},boxblur=4:2,eq=brightness=-0.12,scale=${width}:${height}:flags=fast_bilinear[fbg${i}];` +
            `[fb${i}]scale=${width}:${height}:force_original_aspect_ratio=decrease:force_divisible_by=2[ffg${i}];` +
            `[fbg${i}][ffg${i}]overlay=x=(W-w)/2:y=(H-h)/2`
          : `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height}`;
      filters.push(
        `[${k}:v]fps=${int(fps, 'fps')},setpts=N/${fps}/TB,${fit},format=yuv420p,` +
          `setsar=1,tpad=stop_mode=clone:stop=${frames},trim=end_frame=${frames},setpts=PTS-STARTPTS[fv${i}]`,
      );
      filters.push(`[${i}:v]format=yuva420p,setsar=1[fo${i}]`);
      const at = scene.footage.at ?? { x: 0, y: 0 };
      chain = `[fv${i}][fo${i}]overlay=x=${int(at.x, 'card x')}:y=${int(at.y, 'card y')}:eof_action=repeat,format=yuv420p,settb=1/${fps},setpts=N`;
    } else if (scene.enter) {
      // Only the entering frames are composited per frame; the rest of the scene is the still itself.
      const e = scene.enter;
      const f = Math.min(int(e.frames, 'enter frames'), frames - 1);
      const rise = int(e.rise, 'enter rise');
      if (f < 1) throw new Error(`scene ${i + 1} is too short for its content to enter`);
      filters.push(`${loop(int(e.base, 'enter base'), f, 'yuv420p')}[eb${i}]`);
      filters.push(`${loop(int(e.layer, 'enter layer'), f, 'yuva420p')},fade=t=in:s=0:n=${f}:alpha=1[el${i}]`);
      // Eased: fast at first, settling into place.
      filters.push(`[eb${i}][el${i}]overlay=x=0:y='${rise}*(1-n/${f})*(1-n/${f})':eval=frame,format=yuv420p[ea${i}]`);
      filters.push(`${loop(i, frames - f, 'yuv420p')}[es${i}]`);
      chain = `[ea${i}][es${i}]concat=n=2:v=1:a=0,settb=1/${fps},setpts=N`;
    } else {
      chain = loop(i, frames, 'yuv420p');
    }
    if (scene.motion === 'drift') {
      // The window moves right across the extra width, in whole pixels (no resampling), and stays
      // centred in height. crop rounds x to the chroma grid.
      const dx = int(scene.width - width, 'drift width');
      const dy = int(scene.height - height, 'drift height');
      chain += `,crop=${width}:${height}:x='${dx}*n/${frames}':y=${Math.floor(dy / 2)}`;
    } else if (!scene.footage && (scene.width !== width || scene.height !== height)) {
      throw new Error(`scene ${i + 1} still is ${scene.width}×${scene.height}, not ${width}×${height}`);
    }
    const parts = 1 + Number(hasHead) + Number(hasTail);
    const labels = Array.from({ length: parts }, (_, j) => `s${i}p${j}`);
    chain += parts > 1 ? `,split=${parts}${labels.map((l) => `[${l}]`).join('')}` : `[${labels[0]}]`;
    filters.push(chain);
    let next = 0;
    if (hasHead) filters.push(`[${labels[next++]}]trim=end_frame=${tf},setpts=PTS-STARTPTS[h${i}]`);
    const bodyStart = hasHead ? tf : 0;
    const bodyEnd = frames - (hasTail ? tf : 0);
    filters.push(`[${labels[next++]}]trim=start_frame=${bodyStart}:end_frame=${bodyEnd},setpts=PTS-STARTPTS[b${i}]`);
    if (hasTail) filters.push(`[${labels[next]}]trim=start_frame=${frames - tf},setpts=PTS-STARTPTS[t${i}]`);
    if (hasHead) {
      const seconds = (tf / fps).toFixed(4);
      filters.push(`[t${i - 1}][h${i}]xfade=transition=${plan.transition.type}:duration=${seconds}:offset=0[x${i}]`);
      pieces.push(`[x${i}]`);
    }
    pieces.push(`[b${i}]`);
  }
  filters.push(`${pieces.join('')}concat=n=${pieces.length}:v=1:a=0[video]`);
  return filters.join(';');
}

/** The platform profile's H.264 encoder settings (High, yuv420p, 30 fps, index first): the benchmark's static-image ceiling uses the same. */
export const PLATFORM_H264_OPTIONS = [
  '-c:v',
  'libx264',
  '-profile:v',
  'high',
  '-pix_fmt',
  'yuv420p',
  '-preset',
  'veryfast',
  '-crf',
  '23',
  '-r',
  '30',
  '-movflags',
  '+faststart',
] as const;

const AUDIO_OPTIONS = ['-c:a', 'aac', '-b:a', '128k', '-ar', '44100', '-ac', '2'] as const;

export interface StillsVideo {
  /** Still images, in scene order: one per scene of the plan. */
  stills: readonly string[];
  /** More images the plan names by index after the stills (a scene's `enter` base and layer). */
  layers?: readonly string[];
  /**
   * Clips the plan names by index after the layers (a footage scene's `input`): each read from
   * `startS` for `seconds`, so only the part shown is decoded.
   */
  footage?: readonly { file: string; startS: number; seconds: number }[];
  plan: VideoPlan;
  /**
   * The finished sound track (voice and music mixed and normalised: audioMixArgs), null for silence,
   * or `later`: the picture alone, for soundMuxArgs to join with a track made meanwhile.
   */
  audio: string | null | 'later';
  /**
   * An ASS subtitle file burned in over the animated stills (captions, the AIGC label), named relative
   * to the run's working folder: a bare name needs no escaping inside the filter graph.
   */
  subtitles?: string;
  /** Container tags (the implicit AIGC label): written as MP4 metadata that ffprobe reads back. */
  metadata?: Readonly<Record<string, string>>;
  output: string;
  /** x264 threads; undefined lets x264 use every core. */
  threads?: number;
}

const num = (value: number, what: string) => {
  if (!Number.isFinite(value) || value < 0) throw new Error(`${what} is not a number of seconds: ${value}`);
  return value.toFixed(3);
};

const SUBTITLE_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]*\.ass$/;
const METADATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * The ffmpeg arguments of one video: stills animated by the plan's filter graph, captions burned in,
 * the sound track, H.264 High / AAC in MP4 with the index at the front.
 */
/** Container tags as -metadata arguments; a key that is not a plain name is refused. */
function metadataArgs(metadata: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(metadata ?? {}).flatMap(([key, value]) => {
    if (!METADATA_KEY.test(key)) throw new Error(`metadata key ${key} is not a plain name`);
    return ['-metadata', `${key}=${value}`];
  });
}

/** The track is made to the video's length; apad and atrim make it exact to the sample anyway. */
function exactTrack(input: number, end: string): string {
  return `[${input}:a]apad,atrim=end=${end},asetpts=N/SR/TB[audio]`;
}

export function stillsVideoArgs(input: StillsVideo): string[] {
  if (input.stills.length !== input.plan.scenes.length) {
    throw new Error(`${input.stills.length} stills for ${input.plan.scenes.length} scenes`);
  }
  if (input.subtitles !== undefined && !SUBTITLE_FILE.test(input.subtitles)) {
    throw new Error(`subtitles must be a bare .ass file name: ${input.subtitles}`);
  }
  const { totalFrames } = planFrames(input.plan);
  const seconds = totalFrames / input.plan.fps;
  const layers = input.layers ?? [];
  const footage = input.footage ?? [];
  const footageIndex = input.stills.length + layers.length;
  const audioIndex = footageIndex + footage.length;
  for (const scene of input.plan.scenes) {
    for (const index of scene.enter ? [scene.enter.base, scene.enter.layer] : []) {
      if (index < input.stills.length || index >= footageIndex) throw new Error(`enter input ${index} is not a layer`);
    }
    if (scene.footage && (scene.footage.input < footageIndex || scene.footage.input >= audioIndex)) {
      throw new Error(`footage input ${scene.footage.input} is not a clip`);
    }
  }
  const footageInputs = footage.flatMap((clip) => [
    '-ss',
    num(clip.startS, 'clip start'),
    '-t',
    num(clip.seconds, 'clip length'),
    '-i',
    clip.file,
  ]);
  const end = seconds.toFixed(3);
  const later = input.audio === 'later';
  const audioInput = later
    ? []
    : input.audio
      ? ['-i', input.audio]
      : ['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo'];
  const audioChain = later ? '' : `;${exactTrack(audioIndex, end)}`;
  let graph = videoFilterGraph(input.plan);
  if (input.subtitles) graph = `${graph.replace(/\[video\]$/, '[stills]')};[stills]ass=${input.subtitles}[video]`;
  const metadata = metadataArgs(input.metadata);
  const encoder: string[] = [...PLATFORM_H264_OPTIONS];
  // use_metadata_tags: MP4 keeps tags it has no atom for (AIGC) only when told to. A picture whose
  // sound is joined later is not moved about for faststart: the join writes the file that is served.
  if (later) encoder.splice(encoder.indexOf('-movflags'), 2);
  else if (metadata.length > 0) encoder.splice(encoder.indexOf('+faststart'), 1, '+faststart+use_metadata_tags');
  return [
    // Images read at the video's rate, so every scene's frames agree with a clip's for xfade and concat.
    ...input.stills.flatMap((still) => ['-framerate', String(input.plan.fps), '-i', still]),
    ...layers.flatMap((layer) => ['-framerate', String(input.plan.fps), '-i', layer]),
    ...footageInputs,
    ...audioInput,
    '-y',
    '-filter_complex',
    `${graph}${audioChain}`,
    '-map',
    '[video]',
    ...(later ? ['-an'] : ['-map', '[audio]']),
    ...encoder,
    ...(later ? [] : AUDIO_OPTIONS),
    ...(later ? [] : metadata),
    '-frames:v',
    String(totalFrames),
    '-t',
    end,
    ...(input.threads ? ['-threads', String(input.threads)] : []),
    '-f',
    'mp4',
    input.output,
  ];
}

/** A finished sound track (WAV) encoded as the video's AAC, in an M4A of its own, to be joined by soundMuxArgs. */
export function soundTrackAacArgs(input: string, output: string): string[] {
  return ['-i', input, '-y', '-vn', ...AUDIO_OPTIONS, '-f', 'mp4', output];
}

/**
 * A picture encoded alone (stillsVideoArgs with audio `later`) joined with its sound track, already
 * AAC (soundTrackAacArgs): both copied as they are, the tags written, the index at the front. The
 * sound is mixed and encoded while the picture encodes, so neither waits for the other.
 */
export function soundMuxArgs(input: {
  picture: string;
  audio: string;
  metadata?: Readonly<Record<string, string>>;
  output: string;
}): string[] {
  const metadata = metadataArgs(input.metadata);
  return [
    ...['-i', input.picture, '-i', input.audio, '-y', '-map', '0:v', '-map', '1:a', '-c', 'copy', ...metadata],
    ...['-movflags', metadata.length > 0 ? '+faststart+use_metadata_tags' : '+faststart', '-f', 'mp4', input.output],
  ];
}
