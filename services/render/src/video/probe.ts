import { open, stat } from 'node:fs/promises';
import { VIDEO_PROFILE } from '@jobcast/renders';
import ffmpeg from 'fluent-ffmpeg';

export interface VideoFacts {
  videoCodec: string | null;
  profile: string | null;
  pixelFormat: string | null;
  width: number;
  height: number;
  fps: number;
  durationS: number;
  bytes: number;
  audioCodec: string | null;
  /** The MP4 index (moov) comes before the media data, so playback starts before the download ends. */
  faststart: boolean;
}

/** What ffprobe (and the file's first boxes) say about a video file. */
export async function probeVideo(file: string): Promise<VideoFacts> {
  const data = await new Promise<ffmpeg.FfprobeData>((resolve, reject) =>
    ffmpeg.ffprobe(file, (error, result) => (error ? reject(error) : resolve(result))),
  );
  const video = data.streams.find((s) => s.codec_type === 'video');
  const audio = data.streams.find((s) => s.codec_type === 'audio');
  const [num, den] = String(video?.r_frame_rate ?? '0/1')
    .split('/')
    .map(Number);
  return {
    videoCodec: video?.codec_name ?? null,
    profile: video?.profile !== undefined ? String(video.profile) : null,
    pixelFormat: video?.pix_fmt ?? null,
    width: video?.width ?? 0,
    height: video?.height ?? 0,
    fps: den ? (num as number) / den : 0,
    durationS: Number(data.format.duration ?? 0),
    bytes: (await stat(file)).size,
    audioCodec: audio?.codec_name ?? null,
    faststart: await moovBeforeMdat(file),
  };
}

/**
 * How a video falls short of the platform profile (视频号 and 抖音): H.264 High, yuv420p, 1080×1920,
 * 30 fps, 5–60 s, at most 128 MB, AAC audio present, index first. Empty when it passes.
 */
export function profileProblems(facts: VideoFacts): string[] {
  const p = VIDEO_PROFILE;
  const problems: string[] = [];
  if (facts.videoCodec !== 'h264') problems.push(`video codec ${facts.videoCodec}, not h264`);
  if (facts.profile !== 'High') problems.push(`H.264 profile ${facts.profile}, not High`);
  if (facts.pixelFormat !== 'yuv420p') problems.push(`pixel format ${facts.pixelFormat}, not yuv420p`);
  if (facts.width !== p.width || facts.height !== p.height) {
    problems.push(`size ${facts.width}×${facts.height}, not ${p.width}×${p.height}`);
  }
  if (Math.abs(facts.fps - p.fps) > 0.01) problems.push(`${facts.fps} fps, not ${p.fps}`);
  if (facts.durationS < p.minDurationS || facts.durationS > p.maxDurationS) {
    problems.push(`duration ${facts.durationS.toFixed(2)} s, outside ${p.minDurationS}–${p.maxDurationS} s`);
  }
  if (facts.bytes > p.maxBytes) problems.push(`${facts.bytes} bytes, over ${p.maxBytes}`);
  if (facts.audioCodec !== 'aac') problems.push(facts.audioCodec ? `audio ${facts.audioCodec}, not aac` : 'no audio');
  if (!facts.faststart) problems.push('the index (moov) is not at the front (+faststart)');
  return problems;
}

/** Walks the top-level MP4 boxes until it meets moov or mdat. */
async function moovBeforeMdat(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(16);
    let offset = 0;
    while (offset + 8 <= size) {
      await handle.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      const type = header.toString('latin1', 4, 8);
      if (type === 'moov') return true;
      if (type === 'mdat') return false;
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      if (boxSize < 8) return false;
      offset += boxSize;
    }
    return false;
  } finally {
    await handle.close();
  }
}
