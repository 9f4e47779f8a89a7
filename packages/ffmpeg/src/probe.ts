import { FfmpegError } from './errors.ts';
import { runFfprobe } from './runner.ts';

export interface ProbedStream {
  index: number;
  /** `video`, `audio`, `subtitle`, `data`… as ffprobe says. */
  type: string;
  codec: string | null;
  /** The codec profile, e.g. `High` for H.264. */
  profile: string | null;
  pixelFormat: string | null;
  width: number | null;
  height: number | null;
  /** Degrees clockwise a player turns the picture (0, 90, 180, 270): from the display matrix, else the `rotate` tag. */
  rotation: number;
  /** `r_frame_rate` as ffprobe writes it, e.g. `30/1`. */
  frameRate: string | null;
  /** `avg_frame_rate`, e.g. `30/1`. */
  averageFrameRate: string | null;
  /** `r_frame_rate` as a number; 0 when unknown. */
  fps: number;
  durationS: number | null;
}

export interface MediaProbe {
  file: string;
  formatName: string | null;
  /** The container's duration; 0 when unknown. */
  durationS: number;
  streams: ProbedStream[];
  /** The first video stream, if any. */
  video: ProbedStream | null;
  /** The first audio stream, if any. */
  audio: ProbedStream | null;
  hasVideo: boolean;
  hasAudio: boolean;
  /** The container's tags (title, the AIGC label …), as ffprobe reads them. */
  tags: Record<string, string>;
}

/** What ffprobe says about a media file. Rejects with an FfmpegError naming the file when it is not media ffprobe can read. */
export async function probe(
  file: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<MediaProbe> {
  let stdout: string;
  try {
    stdout = await runFfprobe(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file], options);
  } catch (error) {
    if (!(error instanceof FfmpegError) || error.exitCode === null) throw error;
    throw new FfmpegError(`ffprobe could not read ${file} as media`, error);
  }
  let json: FfprobeJson;
  try {
    json = JSON.parse(stdout) as FfprobeJson;
  } catch {
    throw new FfmpegError(`ffprobe gave no readable answer for ${file}`, {
      program: 'ffprobe',
      exitCode: 0,
      signal: null,
      stderrLines: [],
    });
  }
  return parseProbe(file, json);
}

/** ffprobe's JSON (`-print_format json -show_format -show_streams`), the fields read here. */
export interface FfprobeJson {
  streams?: {
    index?: number;
    codec_type?: string;
    codec_name?: string;
    profile?: string | number;
    pix_fmt?: string;
    width?: number;
    height?: number;
    r_frame_rate?: string;
    avg_frame_rate?: string;
    duration?: string;
    tags?: { rotate?: string };
    side_data_list?: { side_data_type?: string; rotation?: number }[];
  }[];
  format?: { format_name?: string; duration?: string; tags?: Record<string, string> };
}

export function parseProbe(file: string, json: FfprobeJson): MediaProbe {
  const streams: ProbedStream[] = (json.streams ?? []).map((raw, i) => ({
    index: raw.index ?? i,
    type: raw.codec_type ?? 'unknown',
    codec: raw.codec_name ?? null,
    profile: raw.profile !== undefined ? String(raw.profile) : null,
    pixelFormat: raw.pix_fmt ?? null,
    width: raw.width ?? null,
    height: raw.height ?? null,
    rotation: rotationOf(raw),
    frameRate: raw.r_frame_rate ?? null,
    averageFrameRate: raw.avg_frame_rate ?? null,
    fps: rate(raw.r_frame_rate),
    durationS: number(raw.duration),
  }));
  const video = streams.find((s) => s.type === 'video') ?? null;
  const audio = streams.find((s) => s.type === 'audio') ?? null;
  return {
    file,
    formatName: json.format?.format_name ?? null,
    durationS: number(json.format?.duration) ?? 0,
    streams,
    video,
    audio,
    hasVideo: video !== null,
    hasAudio: audio !== null,
    tags: { ...(json.format?.tags ?? {}) },
  };
}

/**
 * The display matrix's rotation is counter-clockwise (a phone held upright records -90), the older
 * `rotate` tag clockwise (90): both become clockwise degrees in 0–359.
 */
function rotationOf(raw: NonNullable<FfprobeJson['streams']>[number]): number {
  const matrix = raw.side_data_list?.find((side) => typeof side.rotation === 'number')?.rotation;
  const degrees = matrix !== undefined ? -matrix : Number(raw.tags?.rotate ?? 0);
  if (!Number.isFinite(degrees)) return 0;
  return ((Math.round(degrees) % 360) + 360) % 360;
}

/** `30000/1001` as a number; 0 for `0/0` or nothing. */
function rate(text: string | undefined): number {
  const [num, den] = String(text ?? '0/1')
    .split('/')
    .map(Number);
  return den ? (num as number) / den : 0;
}

function number(text: string | undefined): number | null {
  const value = Number(text);
  return text === undefined || text === 'N/A' || !Number.isFinite(value) ? null : value;
}
