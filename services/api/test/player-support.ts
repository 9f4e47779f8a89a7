import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  claimRender,
  completeRender,
  confirmScreenPairing,
  createImportBatch,
  createRender,
  type Database,
  ensureScreenGroup,
  prepareJob,
  type Screen,
  startScreenPairing,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { runFfmpeg } from '@jobcast/ffmpeg';
import { hashScreenToken } from '@jobcast/screens';
import { LocalMediaStore } from '@jobcast/storage';

/** A short portrait H.264 clip of one colour (each colour a different file, so a different checksum). */
export async function makeClip(dir: string, color: string, seconds: number): Promise<Buffer> {
  const file = path.join(dir, `${color}-${seconds}.mp4`);
  await runFfmpeg([
    '-y',
    '-f',
    'lavfi',
    '-i',
    `color=c=${color}:s=360x640:r=25:d=${seconds}`,
    '-f',
    'lavfi',
    '-i',
    `testsrc2=s=160x90:r=25:d=${seconds}`,
    '-filter_complex',
    '[0][1]overlay=100:275',
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    file,
  ]);
  return readFile(file);
}

/** Imports one job per title for the site; `validUntil` may end a job (YYYY-MM-DD). Returns the jobs' ids by title. */
export async function addJobs(
  db: Database,
  siteId: number,
  jobs: { title: string; employer: string; validUntil?: string | null }[],
): Promise<Map<string, number>> {
  const batch = await createImportBatch(db, { siteId, fileName: 'jobs.csv' });
  await writeImportChunk(db, {
    siteId,
    batchId: batch.id,
    rowsRead: jobs.length,
    rejects: [],
    jobs: jobs.map((job, i) =>
      prepareJob({
        ...testJobRecord({ rowNumber: i + 2, employerName: job.employer, title: job.title }),
        validUntil: job.validUntil ?? null,
      }),
    ),
  });
  const { rows } = await db.$client.query<{ id: number; title: string }>(
    'select id, title from jobs where site_id = $1',
    [siteId],
  );
  return new Map(rows.map((row) => [row.title, row.id]));
}

/** A finished job video whose file is `file`, stored in the media folder as a render writes it. */
export async function addVideo(
  db: Database,
  mediaDir: string,
  input: { siteId: number; jobIds: number[]; file: Buffer; durationS: number },
): Promise<number> {
  const render = await createRender(db, {
    siteId: input.siteId,
    kind: 'video',
    template: 'job-spotlight',
    jobIds: input.jobIds,
  });
  await claimRender(db, render.id);
  const outputKey = `renders/${render.id}/video.mp4`;
  await new LocalMediaStore(mediaDir).writeBuffer(outputKey, input.file);
  await completeRender(db, render.id, {
    outputKey,
    mimeType: 'video/mp4',
    bytes: input.file.length,
    durationS: input.durationS,
    aiComponents: [],
  });
  return render.id;
}

/** A screen paired the way a player and a person at the console pair it; returns the player's token. */
export async function pairScreen(
  db: Database,
  input: { siteId: number; group: string; name: string; token: string; code?: string; userId?: number },
): Promise<Screen> {
  const code = input.code ?? String(100_000 + Math.floor(Math.random() * 899_999));
  const group = await ensureScreenGroup(db, input.siteId, input.group);
  await startScreenPairing(db, { tokenHash: hashScreenToken(input.token), clientAddress: null, code: () => code });
  return confirmScreenPairing(db, {
    siteId: input.siteId,
    code,
    groupId: group.id,
    name: input.name,
    userId: input.userId ?? null,
  });
}

/** A token as a player makes one: 32 random bytes, base64url. */
export function playerTokenForTest(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
}
