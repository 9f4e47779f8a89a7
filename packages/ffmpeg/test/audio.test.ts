import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  audioMixArgs,
  LOUDNESS_TARGET,
  loudnessGainArgs,
  measureLoudness,
  normalizeLoudness,
  parseEbur128,
  runFfmpeg,
  runMetered,
} from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-audio-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tone standing in for a voice: 1.5 s on, 1 s off, twice; and a quiet steady chord for the music. */
async function fixtures(): Promise<{ voice: string; music: string }> {
  const voice = path.join(dir, 'voice.wav');
  const music = path.join(dir, 'music.wav');
  await runFfmpeg([
    '-f',
    'lavfi',
    '-i',
    "aevalsrc='if(lt(mod(t,2.5),1.5),0.3*sin(2*PI*220*t),0)':s=22050:d=5",
    '-y',
    voice,
  ]);
  await runFfmpeg([
    '-f',
    'lavfi',
    '-i',
    "aevalsrc='0.1*sin(2*PI*330*t)+0.1*sin(2*PI*415*t)':s=44100:c=stereo:d=3",
    '-y',
    music,
  ]);
  return { voice, music };
}

async function mix(input: Parameters<typeof audioMixArgs>[0]): Promise<string> {
  const raw = `${input.output}.raw.wav`;
  const measured = await runMetered(audioMixArgs({ ...input, output: raw }));
  await normalizeLoudness(raw, measured, input.output);
  return input.output;
}

describe('the sound track', () => {
  it('mixes voice over looped music and lands on the platforms’ loudness, peaks under the ceiling', async () => {
    const { voice, music } = await fixtures();
    const output = await mix({ voice, music, seconds: 8, output: path.join(dir, 'mix.wav') });
    const whole = await measureLoudness(output);
    expect(Math.abs(whole.integrated - LOUDNESS_TARGET.integrated)).toBeLessThanOrEqual(1);
    expect(whole.truePeak).toBeLessThanOrEqual(-1);
    // Music was looped past its 3 s: the last seconds are not silence.
    const tail = await measureLoudness(output, { from: 6, seconds: 1.5 });
    expect(tail.integrated).toBeGreaterThan(-45);
  });

  it('ducks the music while the voice speaks', async () => {
    const { voice, music } = await fixtures();
    const output = await mix({ voice, music, seconds: 5, output: path.join(dir, 'duck.wav') });
    const musicOnly = await mix({ voice: null, music, seconds: 5, output: path.join(dir, 'm.wav') });
    // In the voice's pause (1.6–2.4 s) the music comes back up; in the mix it sits well under the voice.
    const pause = await measureLoudness(output, { from: 1.7, seconds: 0.6 });
    const speaking = await measureLoudness(output, { from: 0.3, seconds: 1 });
    expect(speaking.integrated - pause.integrated).toBeGreaterThan(3);
    expect((await measureLoudness(musicOnly)).integrated).toBeCloseTo(LOUDNESS_TARGET.integrated, 0);
  });

  it('refuses a gain that is not a number, and a track with nothing in it', () => {
    expect(() => loudnessGainArgs('in.wav', Number.NaN, 'o.wav')).toThrow(/not a number/);
    expect(() => audioMixArgs({ voice: null, music: null, seconds: 5, output: 'o.wav' })).toThrow(/needs a voice/);
  });

  it('leaves silence as it is rather than amplify noise', async () => {
    const silent = path.join(dir, 'silent.wav');
    await runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=44100:cl=stereo', '-t', '3', '-y', silent]);
    const measured = await normalizeLoudness(silent, await measureLoudness(silent), path.join(dir, 'silent-out.wav'));
    expect(measured.integrated).toBeLessThan(-60);
  });

  it('reads the meter’s summary, silence included', () => {
    const summary = `[Parsed_ebur128_0] Summary:\n\n  Integrated loudness:\n    I:         -14.2 LUFS\n    Threshold: -24.2 LUFS\n\n  Loudness range:\n    LRA:         3.1 LU\n\n  True peak:\n    Peak:       -1.4 dBFS\n`;
    expect(parseEbur128(summary)).toEqual({ integrated: -14.2, range: 3.1, truePeak: -1.4 });
    expect(parseEbur128(summary.replace('-14.2', '-70.0').replace('-1.4', '-inf')).truePeak).toBe(
      Number.NEGATIVE_INFINITY,
    );
    expect(() => parseEbur128('nothing')).toThrow(/no summary/);
  });
});
