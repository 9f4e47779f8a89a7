import { describe, expect, it } from 'vitest';
import {
  espeakProvider,
  narrate,
  peakOf,
  readWav,
  type SpeechCache,
  type Synthesis,
  type VoiceProvider,
  VoiceProviderError,
  writeWav,
} from '../src/index.ts';

function memoryCache(): SpeechCache & { size: number } {
  const entries = new Map<string, Buffer>();
  return {
    get: async (key) => entries.get(key) ?? null,
    put: async (key, wav) => {
      entries.set(key, wav);
    },
    get size() {
      return entries.size;
    },
  };
}

/** A voice that says a tone for each character, failing as told: a stand-in for the retry rules. */
function toneVoice(failures: ('transient' | 'auth')[] = []): VoiceProvider & { calls: number; texts: string[] } {
  const voice = {
    id: 'tone',
    label: '测试语音',
    maxChars: 10,
    model: 'tone-1',
    voices: [{ id: 'a', label: '测试' }],
    defaultVoice: 'a',
    calls: 0,
    texts: [] as string[],
    markPinyin: (_w: string, p: string) => p.replace(/\s+/g, ''),
    async synthesize(request: { text: string }): Promise<Synthesis> {
      voice.calls++;
      const failure = failures.shift();
      if (failure) throw new VoiceProviderError('tone', failure, failure === 'auth' ? '密钥无效' : '服务暂时不可用');
      voice.texts.push(request.text);
      const rate = 16000;
      const samples = new Int16Array(Math.round(rate * 0.1 * [...request.text].length));
      for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
      return { pcm: { sampleRate: rate, samples } };
    },
  };
  return voice;
}

describe('narration with the offline voice (espeak-ng)', () => {
  it('speaks a job script clause by clause, with cues that follow the speech and say the words as written', async () => {
    const script = '仓库管理员招五人，月薪4500-6000元/月。报名请打13812345678。';
    const started = Date.now();
    const narration = await narrate(script, { provider: espeakProvider() });
    const took = (Date.now() - started) / 1000;
    expect(narration.voice).toMatchObject({ provider: 'espeak', voice: 'female' });
    expect(narration.cues.map((c) => c.text)).toEqual([
      '仓库管理员招五人',
      '月薪4500-6000元/月',
      '报名请打13812345678',
    ]);
    for (const [i, cue] of narration.cues.entries()) {
      expect(cue.end).toBeGreaterThan(cue.start + 0.3);
      if (i > 0) expect(cue.start).toBeGreaterThan(narration.cues[i - 1]?.end as number);
    }
    expect(narration.seconds).toBeGreaterThan(5);
    expect(narration.seconds).toBeLessThan(20);
    expect(peakOf(narration.pcm)).toBeGreaterThan(0.1);
    // The offline voice is meant to be far faster than real time (aim 0.1); a loose bound for a busy CI.
    expect(took / narration.seconds).toBeLessThan(1);
    console.log(`espeak: ${narration.seconds.toFixed(2)} s of speech in ${took.toFixed(2)} s`);
  });

  it('reads the digits of a phone number and the pay range, not one big number', async () => {
    const cache = memoryCache();
    const voice = toneVoice();
    await narrate('月薪4500-6000元/月，电话13812345678', { provider: voice, cache });
    expect(voice.texts.join('')).toContain('四千五到六千元每月');
    expect(voice.texts.join('|')).toMatch(/幺三八/);
  });
});

describe('narration rules, with a stand-in voice', () => {
  it('caches by provider, voice, rate and text: the second narration of the same script synthesises nothing', async () => {
    const cache = memoryCache();
    const voice = toneVoice();
    const first = await narrate('招聘普工，包吃包住。', { provider: voice, cache });
    const calls = voice.calls;
    const second = await narrate('招聘普工，包吃包住。', { provider: voice, cache });
    expect(voice.calls).toBe(calls);
    expect(second.cached).toBe(first.clauses);
    expect(second.seconds).toBeCloseTo(first.seconds);
    await narrate('招聘普工，包吃包住。', { provider: voice, cache, rate: 1.2 });
    expect(voice.calls).toBeGreaterThan(calls);
  });

  it('splits text to the provider limit', async () => {
    const voice = toneVoice();
    await narrate('南昌洪城电子科技有限公司招聘普工', { provider: voice });
    for (const text of voice.texts) expect([...text].length).toBeLessThanOrEqual(voice.maxChars);
  });

  it('retries a transient failure and gives up on bad credentials at once, naming the provider', async () => {
    const flaky = toneVoice(['transient', 'transient']);
    await expect(narrate('招聘普工', { provider: flaky, retryDelaysMs: [1, 1] })).resolves.toBeTruthy();
    expect(flaky.calls).toBe(3);
    const refused = toneVoice(['auth']);
    const error = await narrate('招聘普工', { provider: refused, retryDelaysMs: [1, 1] }).catch((e) => e);
    expect(error).toBeInstanceOf(VoiceProviderError);
    expect(error).toMatchObject({ provider: 'tone', kind: 'auth' });
    expect(refused.calls).toBe(1);
  });

  it('survives scripts with rare characters, emoji and markup', async () => {
    const voice = toneVoice();
    const narration = await narrate("𠮷野家招聘🔥店员<script>alert(1)</script>，%{x}，{{y}}，\\，'", {
      provider: voice,
    });
    expect(narration.cues.map((c) => c.text).join('')).toContain('𠮷');
    for (const text of voice.texts) expect(text).not.toMatch(/[<>{}%\\]/);
  });

  it('refuses an unknown voice and an empty script with a message saying what to do', async () => {
    await expect(narrate('招聘', { provider: toneVoice(), voice: 'zz' })).rejects.toThrow(
      /没有「zz」这个声音，可选：a（测试）/,
    );
    await expect(narrate('，。！', { provider: toneVoice() })).rejects.toThrow(/配音稿是空的/);
  });

  it('reads back what it writes', () => {
    const pcm = { sampleRate: 8000, samples: Int16Array.from([0, 1000, -1000, 32767]) };
    expect(readWav(writeWav(pcm))).toEqual(pcm);
    // Interleaved stereo (a music bed) reads back mixed down to one channel.
    const stereo = { sampleRate: 8000, samples: Int16Array.from([100, 300, -200, -400]) };
    expect(readWav(writeWav(stereo, 2))).toEqual({ sampleRate: 8000, samples: Int16Array.from([200, -300]) });
  });
});
