import path from 'node:path';
import { audioMixArgs, normalizeLoudness, type RunningProcesses, runMetered } from '@jobcast/ffmpeg';
import { BUILTIN_MUSIC, RenderInputError } from '@jobcast/renders';
import { writeWav } from '@jobcast/speech';
import type { MediaStore } from '@jobcast/storage';
import { MUSIC_BEDS, SAMPLE_RATE, synthesizeBed } from './music-bed.ts';

/**
 * The file of one of JobCast's own music beds, synthesised once into the media store and reused (it
 * is the same every time); the store writes it to a temporary name and renames it.
 */
export async function builtinBedFile(id: string, store: MediaStore): Promise<string> {
  const bed = MUSIC_BEDS.find((b) => b.id === id);
  if (!bed) {
    throw new RenderInputError(
      'MUSIC_NOT_FOUND',
      `没有「${id}」这首内置音乐，可选：${BUILTIN_MUSIC.map((b) => `${b.id}（${b.label}）`).join('、')}`,
    );
  }
  const key = `cache/music/${bed.id}-v1.wav`;
  if (!(await store.stat(key)))
    await store.writeBuffer(key, writeWav({ sampleRate: SAMPLE_RATE, samples: synthesizeBed(bed) }, 2));
  return store.localPath(key);
}

/**
 * The finished sound track: voice over ducked music, brought to the platforms' loudness. Returns null
 * for a video with neither (it is encoded with silence).
 */
export async function mixSoundTrack(input: {
  voice: string | null;
  music: string | null;
  /** The clips' own sound, kept under the voice and music. */
  ambience?: string | null;
  seconds: number;
  workDir: string;
  running?: RunningProcesses;
}): Promise<string | null> {
  if (!input.voice && !input.music && !input.ambience) return null;
  const mixed = path.join(input.workDir, 'mix.wav');
  const output = path.join(input.workDir, 'sound.wav');
  const raw = await runMetered(
    audioMixArgs({
      voice: input.voice,
      music: input.music,
      ambience: input.ambience ?? null,
      seconds: input.seconds,
      output: mixed,
    }),
    { running: input.running },
  );
  const loudness = await normalizeLoudness(mixed, raw, output, { running: input.running });
  if (!Number.isFinite(loudness.integrated)) {
    throw new RenderInputError('MUSIC_NOT_FOUND', '配音和音乐都是无声的，请换一首音乐或检查配音');
  }
  return output;
}
