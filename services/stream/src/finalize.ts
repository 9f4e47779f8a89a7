/**
 * What an ended session leaves: its segments remuxed into one MP4 recording, thumbnails from it, and
 * the evidence (evidence.ts) as JSON and HTML, all in the media store; the session row says where.
 */
import path from 'node:path';
import type { Config } from '@jobcast/config';
import type { Database } from '@jobcast/db';
import { probe, remuxToMp4, runFfmpeg, thumbnailArgs } from '@jobcast/ffmpeg';
import { liveStatus, saveFinalization, segmentsOf } from '@jobcast/live';
import type { MediaStore } from '@jobcast/storage';
import { buildEvidence, evidenceHtml } from './evidence.ts';
import { recordedSegments } from './recording.ts';

export interface FinalizeDeps {
  db: Database;
  store: MediaStore;
  config: Pick<Config, 'live' | 'thumbnailSeconds' | 'timezone'>;
  log: (line: string) => void;
}

/** After stop() has killed their ffmpeg, how long finalizations get to unwind. */
const UNWIND_MS = 2000;

/** One finalization per session at a time; `release` cuts the session's publisher first, if any. */
export class Finalizer {
  private readonly running = new Map<number, Promise<void>>();
  /** Aborted by stop(): kills the ffmpeg and ffprobe runs going, and fails at once any run started after. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: FinalizeDeps,
    private readonly release: (sessionId: number) => Promise<void>,
  ) {}

  finalize(sessionId: number): Promise<void> {
    if (this.stopping.signal.aborted) return Promise.resolve();
    const running = this.running.get(sessionId);
    if (running) return running;
    const job = (async () => {
      await this.release(sessionId);
      await writeEvidence(this.deps, sessionId, this.stopping.signal);
    })()
      .catch((error: Error) =>
        this.deps.log(
          this.stopping.signal.aborted
            ? `live session ${sessionId}: finalizing stopped by the shutdown; the next start does it again`
            : `live session ${sessionId}: finalizing failed: ${error.message}`,
        ),
      )
      .finally(() => this.running.delete(sessionId));
    this.running.set(sessionId, job);
    return job;
  }

  /** Resolves once nothing is being finalized. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /**
   * At shutdown: finalizations get `waitMs` to end, then their ffmpeg is killed and nothing more is
   * started. A session stopped so keeps no finalization (the store never publishes a half-written
   * file), so the next start, which finalizes every ended session without one, does it again.
   */
  async stop(waitMs: number): Promise<void> {
    await within(this.idle(), waitMs);
    this.stopping.abort();
    await within(this.idle(), UNWIND_MS);
  }
}

/** Waits for `promise`, but not longer than `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** `signal`: aborting it kills the media runs; the session is then left unfinalized (the error is thrown). */
export async function writeEvidence(deps: FinalizeDeps, sessionId: number, signal?: AbortSignal): Promise<void> {
  const { db, store, config, log } = deps;
  const segments = await segmentsOf(db, sessionId);
  const recorded = await recordedSegments(
    store,
    segments.map((segment) => segment.recordingKey),
  );
  let recordingKey: string | null = null;
  let durationS: number | null = null;
  const thumbnailKeys: string[] = [];
  let error: string | null = null;
  if (recorded.length > 0) {
    const scratch = await store.scratchDir(`live-${sessionId}`);
    try {
      const key = `live/${sessionId}/recording.mp4`;
      const files = recorded.map((segmentKey) => store.localPath(segmentKey));
      await store.write(key, (temp) => remuxToMp4(files, path.join(scratch, 'segments.txt'), temp, { signal }));
      recordingKey = key;
      const facts = await probe(store.localPath(key), { signal });
      durationS = facts.durationS;
      if (facts.hasVideo) {
        for (let at = 0, n = 1; at < Math.max(facts.durationS, 0.1); at += config.thumbnailSeconds, n++) {
          const thumbKey = `live/${sessionId}/thumb-${String(n).padStart(3, '0')}.jpg`;
          await store.write(thumbKey, (temp) => runFfmpeg(thumbnailArgs(store.localPath(key), at, temp), { signal }));
          thumbnailKeys.push(thumbKey);
        }
      }
      // The segments are in the MP4 now.
      await Promise.all(recorded.map((segmentKey) => store.remove(segmentKey)));
    } catch (failure) {
      // Stopped by the shutdown, not a fault of the recording: left for the next start.
      if (signal?.aborted) throw failure;
      error = `录像转封装失败 (remux failed): ${(failure as Error).message.split('\n')[0]}`;
      log(`live session ${sessionId}: ${error}`);
    } finally {
      await store.dropScratch(`live-${sessionId}`);
    }
  } else {
    error = '没有收到任何画面 (nothing was received)';
  }
  const view = await liveStatus(db, config.live, sessionId);
  const evidence = buildEvidence(view, { key: recordingKey, durationS, thumbnails: thumbnailKeys, error });
  const evidenceJsonKey = `live/${sessionId}/evidence.json`;
  const evidenceHtmlKey = `live/${sessionId}/evidence.html`;
  await store.writeBuffer(evidenceJsonKey, Buffer.from(JSON.stringify(evidence, null, 2)));
  await store.writeBuffer(evidenceHtmlKey, Buffer.from(evidenceHtml(evidence, config.timezone)));
  await saveFinalization(db, sessionId, { recordingKey, thumbnailKeys, evidenceJsonKey, evidenceHtmlKey, error });
  log(
    `live session ${sessionId}: evidence written${recordingKey ? ` with a ${durationS?.toFixed(1)} s recording` : ''}`,
  );
}
