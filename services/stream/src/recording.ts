/**
 * Each segment's recording: the FLV its publisher sent, written to the media store as it arrives
 * (a growing file beside its key) and published under the key when the publisher leaves. What a
 * killed service left is published when the session's evidence is made: it is good FLV up to where
 * it stopped.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { MediaStore } from '@jobcast/storage';
import type { FlvSink } from './rtmp-server.ts';

export const recordingKeyOf = (sessionId: number, seq: number) =>
  `live/${sessionId}/segment-${String(seq).padStart(3, '0')}.flv`;

export class Recording implements FlvSink {
  private constructor(
    private readonly store: MediaStore,
    readonly key: string,
    private readonly file: WriteStream,
  ) {}

  static async start(store: MediaStore, key: string, onError: (error: Error) => void): Promise<Recording> {
    const file = createWriteStream(await store.growingPath(key));
    file.on('error', onError);
    return new Recording(store, key, file);
  }

  write(chunk: Buffer): void {
    this.file.write(chunk);
  }

  /** Ends the file and publishes it under its key. */
  async finish(): Promise<void> {
    await new Promise<void>((resolve) => this.file.end(() => resolve()));
    await this.store.commitGrowing(this.key).catch(() => {});
  }
}

/**
 * The keys of a session's segments that hold a recording, in order: what a killed service left is
 * published first, and empty files are left out.
 */
export async function recordedSegments(store: MediaStore, keys: string[]): Promise<string[]> {
  const recorded: string[] = [];
  for (const key of keys) {
    await store.commitGrowing(key).catch(() => {});
    const stored = await store.stat(key).catch(() => null);
    if (stored && stored.bytes > 0) recorded.push(key);
  }
  return recorded;
}
