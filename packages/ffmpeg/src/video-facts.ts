import { open, stat } from 'node:fs/promises';
import { probe } from './probe.ts';

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

/** A platform's rules for an uploaded video (the render service passes 视频号 and 抖音's). */
export interface VideoProfile {
  width: number;
  height: number;
  fps: number;
  minDurationS: number;
  maxDurationS: number;
  maxBytes: number;
}

/** What ffprobe (and the file's first boxes) say about a video file. */
export async function probeVideo(file: string): Promise<VideoFacts> {
  const media = await probe(file);
  return {
    videoCodec: media.video?.codec ?? null,
    profile: media.video?.profile ?? null,
    pixelFormat: media.video?.pixelFormat ?? null,
    width: media.video?.width ?? 0,
    height: media.video?.height ?? 0,
    fps: media.video?.fps ?? 0,
    durationS: media.durationS,
    bytes: (await stat(file)).size,
    audioCodec: media.audio?.codec ?? null,
    faststart: await moovBeforeMdat(file),
  };
}

/**
 * How a video falls short of the profile: H.264 High, yuv420p, its size and frame rate, its length
 * and bytes, AAC audio present, index first. Empty when it passes.
 */
export function profileProblems(facts: VideoFacts, platform: VideoProfile): string[] {
  const p = platform;
  const problems: string[] = [];
  if (facts.videoCodec !== 'h264') problems.push(`视频编码是 ${facts.videoCodec}，应为 h264`);
  if (facts.profile !== 'High') problems.push(`H.264 档次是 ${facts.profile}，应为 High`);
  if (facts.pixelFormat !== 'yuv420p') problems.push(`像素格式是 ${facts.pixelFormat}，应为 yuv420p`);
  if (facts.width !== p.width || facts.height !== p.height) {
    problems.push(`画面是 ${facts.width}×${facts.height}，应为 ${p.width}×${p.height}`);
  }
  if (Math.abs(facts.fps - p.fps) > 0.01) problems.push(`帧率是每秒 ${facts.fps} 帧，应为 ${p.fps} 帧`);
  if (facts.durationS < p.minDurationS || facts.durationS > p.maxDurationS) {
    problems.push(`时长 ${facts.durationS.toFixed(2)} 秒，不在 ${p.minDurationS}–${p.maxDurationS} 秒之间`);
  }
  if (facts.bytes > p.maxBytes) problems.push(`文件 ${facts.bytes} 字节，超过 ${p.maxBytes} 字节`);
  if (facts.audioCodec !== 'aac')
    problems.push(facts.audioCodec ? `声音编码是 ${facts.audioCodec}，应为 aac` : '没有声音');
  if (!facts.faststart) problems.push('索引（moov）不在文件开头（须用 +faststart）');
  return problems;
}

/** Walks the top-level MP4 boxes until it meets moov or mdat. */
export async function moovBeforeMdat(file: string): Promise<boolean> {
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
