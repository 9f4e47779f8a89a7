import { spawn } from 'node:child_process';
import {
  type Synthesis,
  type SynthesisRequest,
  type VoiceInfo,
  type VoiceProvider,
  VoiceProviderError,
} from './provider.ts';
import { readWav } from './wav.ts';

/**
 * The embedded offline voice: Debian's `espeak-ng` binary, run as a separate process (which keeps its
 * GPL out of this project), voice `cmn-latn-pinyin`. Its plain `cmn` voice reads tone digits as
 * English here; the pinyin one reads Chinese characters and also inline tone-numbered pinyin, which
 * is how the lexicon fixes polyphones (`dian4zhang3`).
 */
const ESPEAK_VOICE = 'cmn-latn-pinyin';
/** eSpeak's words per minute at rate 1: ~4.5 Chinese syllables a second, a brisk announcer's pace. */
const BASE_SPEED = 220;
const TIMEOUT_MS = 30_000;

export function espeakArgs(request: Pick<SynthesisRequest, 'voice' | 'rate'>): string[] {
  const variant = ESPEAK_VARIANTS[request.voice];
  if (variant === undefined)
    throw new VoiceProviderError('espeak', 'request', `离线语音没有「${request.voice}」这个声音`);
  const speed = Math.round(BASE_SPEED * Math.min(2, Math.max(0.5, request.rate)));
  // -b 1: the text on stdin is UTF-8. --stdout: a WAV stream, no temporary file.
  return ['-v', `${ESPEAK_VOICE}${variant}`, '-s', String(speed), '-b', '1', '--stdout'];
}

const ESPEAK_VARIANTS: Record<string, string> = { male: '', female: '+f3' };

export const ESPEAK_VOICES: readonly VoiceInfo[] = [
  { id: 'female', label: '离线女声' },
  { id: 'male', label: '离线男声' },
];

export function espeakProvider(options: { command?: string } = {}): VoiceProvider {
  const command = options.command ?? 'espeak-ng';
  return {
    id: 'espeak',
    label: '离线语音（eSpeak NG）',
    maxChars: 500,
    model: 'eSpeak NG cmn-latn-pinyin',
    voices: ESPEAK_VOICES,
    defaultVoice: 'female',
    markPinyin: (_word, pinyin) => pinyin.replace(/\s+/g, ''),
    synthesize: (request) => runEspeak(command, request),
  };
}

function runEspeak(command: string, request: SynthesisRequest): Promise<Synthesis> {
  const args = espeakArgs(request);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], signal: request.signal });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-500);
    });
    child.stdin.on('error', () => {});
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new VoiceProviderError(
          'espeak',
          error.code === 'ENOENT' ? 'auth' : 'transient',
          error.code === 'ENOENT'
            ? '离线语音不可用：本机没有安装 espeak-ng，请运行 npm start 或 apt-get install espeak-ng'
            : `离线语音合成失败：${error.message}`,
        ),
      );
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const why = signal ? `被终止（${signal}）` : `退出码 ${code}`;
        reject(
          new VoiceProviderError('espeak', 'transient', `离线语音合成失败：espeak-ng ${why} ${err.trim()}`.trim()),
        );
        return;
      }
      try {
        resolve({ pcm: readWav(Buffer.concat(out)) });
      } catch (error) {
        reject(new VoiceProviderError('espeak', 'transient', `离线语音输出无法读取：${(error as Error).message}`));
      }
    });
    child.stdin.end(request.text, 'utf8');
  });
}
