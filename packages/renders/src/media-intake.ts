/**
 * The media team's own files on their way in: a clip, a photo or a music track is read (ffprobe
 * through @jobcast/ffmpeg, sharp for photos) and either described for its media_assets row or refused
 * with a reason a non-engineer can act on, naming the file, what is wrong and what to do.
 */
import { open, rm, stat } from 'node:fs/promises';
import { formatBytes, JobcastError } from '@jobcast/core';
import type { schema } from '@jobcast/db';
import { FfmpegError, type MediaProbe, measureLoudness, probe, runFfmpeg, thumbnailArgs } from '@jobcast/ffmpeg';
import { storageError } from '@jobcast/storage';

type MediaAssetKind = schema.MediaAssetKind;

const MB = 1024 * 1024;

/** What JobCast takes of each kind. */
export const MEDIA_LIMITS = {
  clip: { maxBytes: 2048 * MB, minSeconds: 1, maxSeconds: 600, maxLongSide: 4096, maxFps: 60 },
  photo: { maxBytes: 50 * MB, maxPixels: 50_000_000 },
  music: { maxBytes: 100 * MB, minSeconds: 5, maxSeconds: 600, silentBelowLufs: -50 },
} as const;

export const MEDIA_KIND_LABELS: Record<MediaAssetKind, string> = { clip: '视频片段', photo: '照片', music: '音乐' };

/** The largest upload of any kind: what a request body may carry before its kind is known. */
export const MEDIA_MAX_BYTES = Math.max(...Object.values(MEDIA_LIMITS).map((limit) => limit.maxBytes));

/** A thumbnail is at most this tall (and 640 wide): enough for a list, small enough for a phone. */
const THUMB_MAX = { width: 640, height: 360 };

/** What the intake read of an accepted file: the media_assets row's fields. */
export interface MediaFacts {
  kind: MediaAssetKind;
  /** The stored file's extension: mp4, mov, jpg, png, webp, mp3, m4a, aac or wav. */
  extension: string;
  mimeType: string;
  bytes: number;
  durationS: number | null;
  /** As displayed: a portrait phone clip stored landscape with rotation 90 is taller than wide here. */
  width: number | null;
  height: number | null;
  rotation: number;
  fps: number | null;
  hasAudio: boolean;
  codec: string | null;
  facts: Record<string, unknown>;
}

/** Why a file was refused, for a caller that wants more than the message. */
export type MediaRefusal =
  | 'empty'
  | 'too-large'
  | 'not-media'
  | 'wrong-kind'
  | 'incomplete'
  | 'container'
  | 'codec'
  | 'too-short'
  | 'too-long'
  | 'frame-size'
  | 'frame-rate'
  | 'pixels'
  | 'silent'
  | 'corrupt';

/**
 * Reads `filePath` as the kind asked for. Returns its facts, or throws a JobcastError:
 * UNREADABLE_FILE when it cannot be used as that kind at all (not media, incomplete, another
 * format), RULE_VIOLATED when it can be read but breaks a limit (codec, length, size, silence).
 */
export async function inspectMedia(kind: MediaAssetKind, filePath: string, displayName: string): Promise<MediaFacts> {
  const { size } = await stat(filePath);
  const name = `「${displayName}」`;
  if (size === 0) throw refused('UNREADABLE_FILE', 'empty', `${name}是空文件，请重新选择文件`);
  const limit = MEDIA_LIMITS[kind].maxBytes;
  if (size > limit) {
    throw refused(
      'RULE_VIOLATED',
      'too-large',
      `${name}有 ${formatBytes(size)}，超过${MEDIA_KIND_LABELS[kind]} ${formatBytes(limit)} 的上限，请压缩或剪短后再上传`,
    );
  }
  if (kind === 'photo') return inspectPhoto(filePath, name, size);
  return kind === 'clip' ? inspectClip(filePath, name, size) : inspectMusic(filePath, name, size);
}

async function inspectClip(file: string, name: string, bytes: number): Promise<MediaFacts> {
  const media = await probeAs('clip', file, name);
  const video = media.video;
  if (looksLikeImage(media)) throw notVideo(name, '图片');
  if (!video) {
    if (!media.hasAudio) throw notVideo(name, null);
    throw refused('UNREADABLE_FILE', 'wrong-kind', `${name}里只有声音、没有画面，不是视频：音乐请在“音乐库”上传`);
  }
  if (!isMovOrMp4(media)) {
    throw refused(
      'UNREADABLE_FILE',
      'container',
      `${name}是 ${formatLabel(media)} 格式，JobCast 只接收 MP4 或 MOV 视频：请用手机或剪辑软件导出为 MP4 后再上传`,
    );
  }
  if (await cutShort(file)) throw incomplete(name);
  if (video.codec !== 'h264' && video.codec !== 'hevc') {
    throw refused(
      'RULE_VIOLATED',
      'codec',
      `${name}的视频编码是 ${codecLabel(video.codec)}，JobCast 只接收 H.264 或 HEVC（H.265）编码的视频：请在手机或剪辑软件里导出为 H.264 的 MP4 后再上传`,
    );
  }
  const rules = MEDIA_LIMITS.clip;
  const durationS = media.durationS || video.durationS || 0;
  if (durationS < rules.minSeconds) {
    throw refused(
      'RULE_VIOLATED',
      'too-short',
      `${name}只有 ${formatDuration(durationS)}，视频片段至少要 ${rules.minSeconds} 秒`,
    );
  }
  if (durationS > rules.maxSeconds) {
    throw refused(
      'RULE_VIOLATED',
      'too-long',
      `${name}时长 ${formatDuration(durationS)}，超过视频片段 ${formatDuration(rules.maxSeconds)}的上限：请剪短后再上传`,
    );
  }
  const stored = { width: video.width ?? 0, height: video.height ?? 0 };
  if (Math.max(stored.width, stored.height) > rules.maxLongSide) {
    throw refused(
      'RULE_VIOLATED',
      'frame-size',
      `${name}的画面是 ${stored.width}×${stored.height}，超过 ${rules.maxLongSide} 像素（4K）的上限：请导出为 4K 或 1080p 后再上传`,
    );
  }
  // A phone records a variable frame rate: r_frame_rate is then its timebase, the average is the rate.
  const fps = rate(video.averageFrameRate) || video.fps;
  if (fps > rules.maxFps + 0.5) {
    throw refused(
      'RULE_VIOLATED',
      'frame-rate',
      `${name}的帧率是每秒 ${Math.round(fps)} 帧，超过每秒 ${rules.maxFps} 帧：慢动作视频请先导出为每秒 30 或 60 帧后再上传`,
    );
  }
  const turned = video.rotation === 90 || video.rotation === 270;
  const mov = (media.tags.major_brand ?? '').trim() === 'qt';
  return {
    kind: 'clip',
    extension: mov ? 'mov' : 'mp4',
    mimeType: mov ? 'video/quicktime' : 'video/mp4',
    bytes,
    durationS: round(durationS, 3),
    width: turned ? stored.height : stored.width,
    height: turned ? stored.width : stored.height,
    rotation: video.rotation,
    fps: round(fps, 3),
    hasAudio: media.hasAudio,
    codec: video.codec,
    facts: {
      container: media.formatName,
      profile: video.profile,
      pixelFormat: video.pixelFormat,
      storedWidth: stored.width,
      storedHeight: stored.height,
      audioCodec: media.audio?.codec ?? null,
    },
  };
}

/** Cover art in an MP3 or M4A shows up as a one-picture video stream; it is not a video. */
const COVER_ART_CODECS = new Set(['mjpeg', 'png', 'bmp', 'gif']);

const MUSIC_FORMATS: Record<string, { extension: string; mimeType: string; codecs: RegExp }> = {
  mp3: { extension: 'mp3', mimeType: 'audio/mpeg', codecs: /^mp3$/ },
  aac: { extension: 'aac', mimeType: 'audio/aac', codecs: /^aac$/ },
  wav: { extension: 'wav', mimeType: 'audio/wav', codecs: /^pcm_/ },
  mp4: { extension: 'm4a', mimeType: 'audio/mp4', codecs: /^(?:aac|mp3)$/ },
};

async function inspectMusic(file: string, name: string, bytes: number): Promise<MediaFacts> {
  const media = await probeAs('music', file, name);
  const format = isMovOrMp4(media) ? 'mp4' : (media.formatName ?? '');
  const known = MUSIC_FORMATS[format];
  const moving = media.streams.find((s) => s.type === 'video' && !COVER_ART_CODECS.has(s.codec ?? ''));
  if (moving) {
    throw refused(
      'UNREADABLE_FILE',
      'wrong-kind',
      `${name}是视频，不是音乐：视频请作为“视频片段”上传；音乐请用 MP3、M4A 或 WAV`,
    );
  }
  if (!known) {
    if (looksLikeImage(media)) throw notMusic(name, '图片');
    throw refused(
      'UNREADABLE_FILE',
      'container',
      `${name}是 ${formatLabel(media)} 格式，音乐库只接收 MP3、M4A（AAC）或 WAV：请转换后再上传`,
    );
  }
  const audio = media.audio;
  if (!audio) throw notMusic(name, `${formatLabel(media)}文件，但里面没有声音`);
  if (format === 'mp4' && (await cutShort(file))) throw incomplete(name);
  if (!known.codecs.test(audio.codec ?? '')) {
    throw refused(
      'RULE_VIOLATED',
      'codec',
      `${name}的声音编码是 ${codecLabel(audio.codec)}，音乐库只接收 MP3、AAC 或 WAV（PCM）：请转换为 MP3 后再上传`,
    );
  }
  const rules = MEDIA_LIMITS.music;
  const durationS = media.durationS || audio.durationS || 0;
  if (durationS < rules.minSeconds) {
    throw refused(
      'RULE_VIOLATED',
      'too-short',
      `${name}只有 ${formatDuration(durationS)}，音乐至少要 ${rules.minSeconds} 秒`,
    );
  }
  if (durationS > rules.maxSeconds) {
    throw refused(
      'RULE_VIOLATED',
      'too-long',
      `${name}时长 ${formatDuration(durationS)}，超过音乐 ${formatDuration(rules.maxSeconds)}的上限：短视频只用得到开头一段，请剪短后再上传`,
    );
  }
  const loudness = await measureLoudness(file).catch((error: unknown) => {
    if (error instanceof FfmpegError && error.exitCode !== null) {
      throw refused('UNREADABLE_FILE', 'corrupt', `${name}读到一半出错，文件可能损坏：请重新导出后再上传`);
    }
    throw error;
  });
  if (!(loudness.integrated >= rules.silentBelowLufs)) {
    const measured = Number.isFinite(loudness.integrated) ? `响度 ${loudness.integrated.toFixed(1)} LUFS` : '完全无声';
    throw refused('RULE_VIOLATED', 'silent', `${name}几乎没有声音（${measured}）：请检查是否选错了文件，或换一首音乐`);
  }
  return {
    kind: 'music',
    extension: known.extension,
    mimeType: known.mimeType,
    bytes,
    durationS: round(durationS, 3),
    width: null,
    height: null,
    rotation: 0,
    fps: null,
    hasAudio: true,
    codec: audio.codec,
    facts: {
      container: media.formatName,
      loudnessLufs: round(loudness.integrated, 1),
      truePeakDbtp: Number.isFinite(loudness.truePeak) ? round(loudness.truePeak, 1) : null,
      title: media.tags.title ?? null,
      artist: media.tags.artist ?? null,
    },
  };
}

const PHOTO_FORMATS: Record<string, { extension: string; mimeType: string }> = {
  jpeg: { extension: 'jpg', mimeType: 'image/jpeg' },
  png: { extension: 'png', mimeType: 'image/png' },
  webp: { extension: 'webp', mimeType: 'image/webp' },
};

async function inspectPhoto(file: string, name: string, bytes: number): Promise<MediaFacts> {
  const head = await fileHead(file);
  const sharp = await loadSharp();
  const meta = await sharp(file)
    .metadata()
    .catch(() => null);
  const heic = heifBrand(head) === 'heic';
  if (heic || (meta?.format === 'heif' && meta.compression === 'hevc')) {
    throw refused(
      'UNREADABLE_FILE',
      'container',
      `${name}是 HEIC 格式（苹果手机默认的照片格式），这里读不了：请导出为 JPEG 后再上传，或在手机“设置 → 相机 → 格式”里选“兼容性最佳”`,
    );
  }
  if (!meta?.format || !meta.width || !meta.height) {
    const what = describeContent(head);
    throw refused(
      'UNREADABLE_FILE',
      what === '视频' ? 'wrong-kind' : 'not-media',
      what === '视频'
        ? `${name}是视频，不是照片：请在上传时选择“视频片段”`
        : `${name}不是图片文件${what ? `（看起来是${what}）` : ''}：请上传 JPEG、PNG 或 WebP 照片`,
    );
  }
  const format = PHOTO_FORMATS[meta.format];
  if (!format) {
    const label = meta.format === 'heif' ? 'AVIF' : meta.format.toUpperCase();
    throw refused(
      'UNREADABLE_FILE',
      'container',
      `${name}是 ${label} 格式，照片只接收 JPEG、PNG 或 WebP：请另存为 JPEG 后再上传`,
    );
  }
  const pixels = meta.width * meta.height;
  const maxPixels = MEDIA_LIMITS.photo.maxPixels;
  if (pixels > maxPixels) {
    throw refused(
      'RULE_VIOLATED',
      'pixels',
      `${name}有 ${Math.round(pixels / 10_000)} 万像素（${meta.width}×${meta.height}），超过 ${maxPixels / 10_000} 万像素的上限：请缩小后再上传`,
    );
  }
  // EXIF orientations 5–8 turn the picture a quarter: it is shown taller than it is stored, or wider.
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    kind: 'photo',
    extension: format.extension,
    mimeType: format.mimeType,
    bytes,
    durationS: null,
    width: turned ? meta.height : meta.width,
    height: turned ? meta.width : meta.height,
    rotation: 0,
    fps: null,
    hasAudio: false,
    codec: meta.format,
    facts: {
      orientation: meta.orientation ?? 1,
      storedWidth: meta.width,
      storedHeight: meta.height,
      hasAlpha: meta.hasAlpha ?? false,
    },
  };
}

/**
 * A small JPEG of an accepted clip (a frame at about 1 s, turned as it plays) or photo (turned by its
 * EXIF orientation), at most 640×360. A picture that cannot be decoded is refused here.
 */
export async function makeThumbnail(facts: MediaFacts, filePath: string, output: string, name: string): Promise<void> {
  if (facts.kind === 'music') throw new Error('music has no thumbnail');
  const sharp = await loadSharp();
  const fit = { ...THUMB_MAX, fit: 'inside' as const, withoutEnlargement: true };
  if (facts.kind === 'photo') {
    await sharp(filePath, { limitInputPixels: MEDIA_LIMITS.photo.maxPixels })
      .rotate()
      .resize(fit)
      .jpeg({ quality: 80 })
      .toFile(output)
      .catch((error: unknown) => {
        // A full disk is no fault of the photo: libvips' "No space left on device" is told as such.
        const fault = storageError(error, 'media', STORAGE_THEN);
        if (fault) throw fault;
        // sharp's own words name the decoder, and ffmpeg's the temporary path: neither helps the uploader.
        throw refused(
          'UNREADABLE_FILE',
          'corrupt',
          `「${name}」的画面读不出来，文件可能损坏或没有传完：请重新导出或上传`,
        );
      });
    return;
  }
  // ffmpeg writes a frame 640 wide (turned as the clip plays); sharp brings a tall one down to 360.
  const frame = `${output}.frame.jpg`;
  const at = Math.min(1, (facts.durationS ?? 0) / 2);
  try {
    await runFfmpeg(thumbnailArgs(filePath, Number(at.toFixed(3)), frame), { timeoutMs: 60_000 });
    await sharp(frame).resize(fit).jpeg({ quality: 80 }).toFile(output);
  } catch (error) {
    const fault = storageError(error, 'media', STORAGE_THEN);
    if (fault) throw fault;
    if (!(error instanceof FfmpegError) || error.exitCode === null) throw error;
    throw refused('UNREADABLE_FILE', 'corrupt', `「${name}」的画面解不出来，文件可能损坏：请重新导出后再上传`);
  } finally {
    await rm(frame, { force: true });
  }
}

/** What follows a storage fault's message to the uploader. */
const STORAGE_THEN = '处理后请重新上传';

/** sharp loads libvips: only the processes that take photos pay for it (the API answers most requests without). */
async function loadSharp() {
  return (await import('sharp')).default;
}

/**
 * ffprobe's reading of a file meant to be a clip or music, or the refusal: a file ffprobe cannot read
 * is either an MP4 whose index never arrived (an upload cut off, an export stopped) or not media.
 */
async function probeAs(kind: 'clip' | 'music', file: string, name: string): Promise<MediaProbe> {
  try {
    return await probe(file, { timeoutMs: 60_000 });
  } catch (error) {
    if (!(error instanceof FfmpegError) || error.exitCode === null) throw error;
    const head = await fileHead(file);
    // ffprobe picks its reader by the name too: a PDF called .mp4 also lacks a moov atom.
    const isoBoxes = /^(?:ftyp|mdat|moov|wide|free|skip)$/.test(head.toString('latin1', 4, 8));
    if (isoBoxes && error.stderrLines.some((line) => /moov atom not found/i.test(line))) {
      throw incomplete(name);
    }
    const what = describeContent(head);
    if (kind === 'music') throw notMusic(name, what);
    throw notVideo(name, what);
  }
}

function notVideo(name: string, what: string | null): JobcastError {
  if (what === '图片') {
    return refused('UNREADABLE_FILE', 'wrong-kind', `${name}是图片，不是视频文件：请在上传时选择“照片”`);
  }
  return refused(
    'UNREADABLE_FILE',
    'not-media',
    `${name}不是视频文件${what ? `（看起来是${what}）` : ''}：请上传手机或相机拍的 MP4 或 MOV 视频`,
  );
}

function notMusic(name: string, what: string | null): JobcastError {
  return refused(
    'UNREADABLE_FILE',
    'not-media',
    `${name}不是音乐文件${what ? `（看起来是${what}）` : ''}：请上传 MP3、M4A 或 WAV 音乐`,
  );
}

function incomplete(name: string): JobcastError {
  return refused('UNREADABLE_FILE', 'incomplete', `${name}文件不完整，可能没有传完或导出时中断了：请重新导出或上传`);
}

function refused(code: 'UNREADABLE_FILE' | 'RULE_VIOLATED', reason: MediaRefusal, message: string): JobcastError {
  return new JobcastError(code, message, { reason });
}

function isMovOrMp4(media: MediaProbe): boolean {
  return (media.formatName ?? '').split(',').some((name) => name === 'mov' || name === 'mp4');
}

function looksLikeImage(media: MediaProbe): boolean {
  return /(?:^|,)(?:image2|\w+_pipe|gif|apng)(?:,|$)/.test(media.formatName ?? '');
}

const FORMAT_LABELS: Record<string, string> = {
  'matroska,webm': 'WebM/MKV',
  avi: 'AVI',
  flv: 'FLV',
  mpegts: 'MPEG-TS',
  asf: 'WMV',
  mpeg: 'MPEG',
  ogg: 'OGG',
  flac: 'FLAC',
  wav: 'WAV',
  mp3: 'MP3',
  aac: 'AAC',
  amr: 'AMR',
};

function formatLabel(media: MediaProbe): string {
  const format = media.formatName ?? '';
  return FORMAT_LABELS[format] ?? (format.split(',')[0] || '未知').toUpperCase();
}

const CODEC_LABELS: Record<string, string> = {
  prores: 'ProRes',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
  mpeg4: 'MPEG-4（Part 2）',
  mpeg2video: 'MPEG-2',
  mjpeg: 'Motion JPEG',
  dnxhd: 'DNxHD',
  h263: 'H.263',
  flac: 'FLAC',
  alac: 'ALAC（苹果无损）',
  opus: 'Opus',
  vorbis: 'Vorbis',
  amr_nb: 'AMR',
  wmav2: 'WMA',
};

function codecLabel(codec: string | null): string {
  return codec ? (CODEC_LABELS[codec] ?? codec.toUpperCase()) : '未知';
}

/** What a file that is not the expected media most likely is, from its first bytes. */
function describeContent(head: Buffer): string | null {
  const text = head.toString('latin1');
  if (text.startsWith('%PDF')) return ' PDF 文档';
  if (text.startsWith('PK\x03\x04')) return ' Word、Excel 或压缩包';
  if (text.startsWith('\xD0\xCF\x11\xE0')) return '旧版 Word 或 Excel 文件';
  if (text.startsWith('Rar!') || text.startsWith('7z\xBC\xAF')) return '压缩包';
  if (text.startsWith('\xFF\xD8\xFF') || text.startsWith('\x89PNG') || text.startsWith('GIF8')) return '图片';
  if (text.startsWith('RIFF') && text.slice(8, 12) === 'WEBP') return '图片';
  if (heifBrand(head)) return '图片';
  if (text.slice(4, 8) === 'ftyp' || text.startsWith('\x1A\x45\xDF\xA3')) return '视频';
  if (/^\s*</.test(text)) return '网页';
  if (!head.subarray(0, 512).includes(0)) return '文本';
  return null;
}

/** `heic` for an HEIC photo (an iPhone's), `avif` for AVIF, from the ISO file's brand. */
function heifBrand(head: Buffer): 'heic' | 'avif' | null {
  if (head.toString('latin1', 4, 8) !== 'ftyp') return null;
  const brands = head.toString('latin1', 8, Math.min(head.length, 8 + head.readUInt32BE(0)));
  if (/heic|heix|hevc|hevx|heim|heis/.test(brands)) return 'heic';
  if (/avif|avis/.test(brands)) return 'avif';
  return null;
}

async function fileHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * An MP4 or MOV cut off before its end: a top-level box says it runs past the end of the file (an
 * upload that stopped, a copy that failed). ffprobe reads such a file when its index came first.
 */
async function cutShort(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= size) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      // Size 0: the last box, running to the end of the file.
      if (boxSize === 0) return false;
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize < 8) return true;
      offset += boxSize;
    }
    return offset > size;
  } finally {
    await handle.close();
  }
}

/** `30000/1001` as a number; 0 for `0/0` or nothing. */
function rate(text: string | null): number {
  const [num, den] = String(text ?? '0/1')
    .split('/')
    .map(Number);
  return den && Number.isFinite(num) ? (num as number) / den : 0;
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** 7200 → "2 小时", 725 → "12 分 5 秒", 600 → "10 分钟", 0.5 → "0.5 秒". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${round(seconds, 1)} 秒`;
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const secs = whole % 60;
  if (hours > 0) return minutes > 0 ? `${hours} 小时 ${minutes} 分` : `${hours} 小时`;
  return secs > 0 ? `${minutes} 分 ${secs} 秒` : `${minutes} 分钟`;
}
