/**
 * Live time is media time received: measured from the timestamps of the FLV tags a publisher sent,
 * not from the wall clock, so a stalled or slowed publisher does not count as live.
 */

const AUDIO = 8;
const VIDEO = 9;
const TAG_HEADER = 11;

export interface TagInfo {
  type: 'audio' | 'video';
  timestampMs: number;
  /** Codec configuration (AVC/HEVC/AAC sequence header): carries no media time. */
  config: boolean;
}

/** One FLV tag as node-media-server hands it to subscribers (tag header, body, previous-tag size). */
export function readTag(chunk: Buffer): TagInfo | null {
  if (chunk.length < TAG_HEADER + 2) return null;
  const kind = chunk[0] as number;
  if (kind !== AUDIO && kind !== VIDEO) return null;
  const timestampMs =
    (((chunk[7] as number) << 24) |
      ((chunk[4] as number) << 16) |
      ((chunk[5] as number) << 8) |
      (chunk[6] as number)) >>>
    0;
  const first = chunk[TAG_HEADER] as number;
  const second = chunk[TAG_HEADER + 1] as number;
  let config: boolean;
  if (kind === AUDIO) {
    config = first >> 4 === 10 && second === 0;
  } else if (first & 0x80) {
    // Enhanced RTMP: the packet type sits in the low nibble; 0 is SequenceStart.
    config = (first & 0x0f) === 0;
  } else {
    const codec = first & 0x0f;
    config = (codec === 7 || codec === 12) && second === 0;
  }
  return { type: kind === AUDIO ? 'audio' : 'video', timestampMs, config };
}

/** Media time of one connection: from its first to its last audio or video frame. */
export class MediaClock {
  private first: number | null = null;
  private last = 0;
  hasAudio = false;
  hasVideo = false;

  see(chunk: Buffer): void {
    const tag = readTag(chunk);
    if (!tag || tag.config) return;
    if (tag.type === 'audio') this.hasAudio = true;
    else this.hasVideo = true;
    if (this.first === null || tag.timestampMs < this.first) this.first = tag.timestampMs;
    if (tag.timestampMs > this.last) this.last = tag.timestampMs;
  }

  get mediaMs(): number {
    return this.first === null ? 0 : this.last - this.first;
  }
}
