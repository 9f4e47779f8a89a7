/**
 * What an ended session leaves: its segments remuxed into one MP4 recording, thumbnails from it, and
 * the evidence (evidence.ts) as JSON and HTML, all in the media store; the session row says where.
 * Evidence an older version wrote is written again, once, from the database and the stored files.
 */
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import type { Config } from '@jobcast/config';
import { type Database, type FinalizedLiveSession, getSiteById, listFinalizedLiveSessions } from '@jobcast/db';
import { probe, remuxToMp4, runFfmpeg, thumbnailArgs } from '@jobcast/ffmpeg';
import { finalizeErrorText, liveStatus, REMUX_FAILED, saveFinalization, segmentsOf } from '@jobcast/live';
import type { MediaStore } from '@jobcast/storage';
import { buildEvidence, EVIDENCE_VERSION, type Evidence, evidenceHtml } from './evidence.ts';
import { recordedSegments } from './recording.ts';

export interface FinalizeDeps {
  db: Database;
  store: MediaStore;
  config: Pick<Config, 'live' | 'thumbnailSeconds'>;
  log: (line: string) => void;
}

/** After stop() has killed their ffmpeg, how long finalizations get to unwind. */
const UNWIND_MS = 2000;

/** One finalization per session at a time; `release` cuts the session's publisher first, if any. */
export class Finalizer {
  private readonly running = new Map<number, Promise<void>>();
  /** Work not tied to one session (rewriting old evidence), waited for by idle() as well. */
  private readonly background = new Set<Promise<void>>();
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

  /**
   * Writes again, one session after another, the evidence an older version wrote (EVIDENCE_VERSION):
   * no remux, a few small files each, so the start is not held up. A stop ends it between sessions;
   * the next start goes on where it stopped, as a rewritten file is not rewritten again.
   */
  refreshOldEvidence(): Promise<void> {
    const { db, log } = this.deps;
    const job = (async () => {
      let rewritten = 0;
      for (const session of await listFinalizedLiveSessions(db)) {
        if (this.stopping.signal.aborted) break;
        try {
          if (await refreshEvidence(this.deps, session)) rewritten++;
        } catch (error) {
          log(`live session ${session.id}: rewriting its evidence failed: ${(error as Error).message}`);
        }
      }
      if (rewritten > 0) log(`evidence of ${rewritten} live session(s) rewritten in the current format`);
    })()
      .catch((error: Error) => log(`rewriting old evidence failed: ${error.message}`))
      .finally(() => this.background.delete(job));
    this.background.add(job);
    return job;
  }

  /** Resolves once nothing is being finalized or rewritten. */
  async idle(): Promise<void> {
    while (this.running.size + this.background.size > 0) {
      await Promise.all([...this.running.values(), ...this.background]);
    }
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
      // The page and the row say so in Chinese; ffmpeg's English, with the server's paths, stays in the log.
      error = REMUX_FAILED;
      log(`live session ${sessionId}: remux failed: ${(failure as Error).message.split('\n')[0]}`);
    } finally {
      await store.dropScratch(`live-${sessionId}`);
    }
  } else {
    error = '没有收到任何画面';
  }
  const files = await writeEvidenceFiles(deps, sessionId, {
    key: recordingKey,
    durationS,
    thumbnails: thumbnailKeys,
    error,
  });
  await saveFinalization(db, sessionId, { recordingKey, thumbnailKeys, ...files, error });
  log(
    `live session ${sessionId}: evidence written${recordingKey ? ` with a ${durationS?.toFixed(1)} s recording` : ''}`,
  );
}

/**
 * The evidence of a session as JSON and as its printable page, from the database and the recording
 * made of it. `generatedAt`: when the evidence was first made (kept when it is written again).
 */
async function writeEvidenceFiles(
  deps: FinalizeDeps,
  sessionId: number,
  recording: Evidence['recording'],
  generatedAt: Date = new Date(),
): Promise<{ evidenceJsonKey: string; evidenceHtmlKey: string }> {
  const { db, store, config } = deps;
  const view = await liveStatus(db, config.live, sessionId);
  const site = await getSiteById(db, view.siteId);
  const evidence = buildEvidence(view, recording, generatedAt);
  // The page carries its thumbnails inside it, so that a saved or printed copy still shows them. The
  // n-th was taken at (n - 1) thumbnail intervals into the recording.
  const thumbnails = await Promise.all(
    recording.thumbnails.map(async (key, i) => ({
      atSeconds: i * config.thumbnailSeconds,
      jpeg: await buffer(store.read(key)),
    })),
  );
  const evidenceJsonKey = `live/${sessionId}/evidence.json`;
  const evidenceHtmlKey = `live/${sessionId}/evidence.html`;
  await store.writeBuffer(evidenceJsonKey, Buffer.from(JSON.stringify(evidence, null, 2)));
  await store.writeBuffer(
    evidenceHtmlKey,
    Buffer.from(evidenceHtml(evidence, { site: { name: site.name, timezone: site.timezone }, thumbnails })),
  );
  return { evidenceJsonKey, evidenceHtmlKey };
}

/**
 * Writes a finalized session's evidence again when an older version wrote it: the recording's
 * length and the time it was made come from the old JSON, everything else from the database and
 * the stored thumbnails; nothing is remuxed. False when the evidence is current already.
 */
export async function refreshEvidence(deps: FinalizeDeps, session: FinalizedLiveSession): Promise<boolean> {
  const old = JSON.parse((await buffer(deps.store.read(session.evidenceJsonKey))).toString('utf8')) as Partial<
    Pick<Evidence, 'version' | 'generatedAt'>
  > & { recording?: { durationS?: number | null } };
  if ((old.version ?? 1) >= EVIDENCE_VERSION) return false;
  await writeEvidenceFiles(
    deps,
    session.id,
    {
      key: session.recordingKey,
      durationS: old.recording?.durationS ?? null,
      thumbnails: session.thumbnailKeys,
      error: session.error === null ? null : finalizeErrorText(session.error),
    },
    old.generatedAt ? new Date(old.generatedAt) : undefined,
  );
  return true;
}
