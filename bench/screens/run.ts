/**
 * Screens benchmark: a hall of 200 paired screens (one group, an automatic playlist of finished job
 * videos) in a throwaway database, the API server in a process of its own (bench/api/server.ts),
 * each screen heartbeating and uploading its plays as the player does, with time compressed. The
 * target: p95 of POST /player/api/heartbeat and of POST /player/api/plays under 50 ms at that load,
 * printed beside GET /healthz's figures at the same rate on the same connections in the same run.
 *
 *   npm run bench:screens [-- --seconds 20 --speed 60 --screens 200]
 *
 * The load: a real screen beats once a minute and uploads every 30 s the plays it finished since
 * (≈ 1 play with videos of 20–30 s). `--speed 60` makes each screen beat once a second and upload
 * every half second: 200 screens are 200 beats and 400 uploads a second, sixty times a real hall's.
 * Each play has its own id (18 random bytes, base64url, as the player makes them) and true-looking
 * times (ended within the last 30 s, started within the last minute, played the video's length or,
 * now and then, cut short). One answer in ten is "lost": the screen keeps those plays in its outbox
 * and sends them again with its next batch, as the player does, so the duplicate path is exercised.
 * When a heartbeat answers a manifest version the screen lacks, it fetches the manifest (each
 * screen fetches it once at the start, all 200 at once, and takes its playlist from it).
 *
 * Why not autocannon: it holds N connections busy back to back (a closed loop), which measures a
 * server at saturation, not screens that send at their own pace; and when the server slows, a
 * closed loop sends less and hides it (coordinated omission). Here every screen sends on its own
 * clock (an open loop) over its own keep-alive connections (node:http, one agent per screen, as a
 * browser keeps its own), and a request's latency runs from the instant it was due to the last
 * byte of the answer: a late client or a slow server can only make the figures worse. The client's
 * own lateness (timer lag) is printed too. /healthz (no database, no token) gets the same schedule
 * on the same connections just before the screens' measured run: the floor of this stack at that
 * rate, so the ratio says what the routes themselves cost.
 *
 * At the end: every play id sent is in screen_plays exactly once (none lost, none doubled), every
 * re-sent play was answered as a duplicate, none refused, every screen's last_seen_at is the time
 * of the last beat it was answered for; then all screens beat at the same instant once (the "200 screens heartbeating at
 * once" of issue 14), and that burst's slowest answer is printed.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@jobcast/config';
import {
  claimRender,
  closeDatabase,
  completeRender,
  confirmScreenPairing,
  createDatabase,
  createImportBatch,
  createRender,
  type Database,
  ensureScreenGroup,
  ensureSite,
  prepareJob,
  startScreenPairing,
  writeImportChunk,
} from '@jobcast/db';
import { createTestDatabase, testJobRecord } from '@jobcast/db/testing';
import { HEARTBEAT_SECONDS, hashScreenToken, UPLOAD_SECONDS } from '@jobcast/screens';
import { LocalMediaStore } from '@jobcast/storage';
import { Redis } from 'ioredis';
import { startServerProcess, stopServerProcess } from '../api/server-process.ts';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Number(option('seconds', '20'));
const speed = Number(option('speed', '60'));
const screenCount = Number(option('screens', '200'));
/** A folder for a CPU profile of the server process (written when it stops), to see where the time goes. */
const profileDir = option('profile', '');
/** Not measured: connections open, the server's code and pool warm, the manifest version cached. */
const WARM_SECONDS = 3;
const TARGET_P95_MS = 50;
/** The share of plays answers the screen "loses" (and so sends again). */
const LOST_ANSWER_SHARE = 0.1;
/** A share of plays cut short (the hall closes, a livestream takes over). */
const CUT_SHORT_SHARE = 0.08;
const beatMs = (HEARTBEAT_SECONDS * 1000) / speed;
const uploadMs = (UPLOAD_SECONDS * 1000) / speed;

const TITLES = ['普工', '保洁员', '叉车司机', '电工', '客服专员', '厨师', '仓管员', '护理员'];

// ---------------------------------------------------------------------------------------------
// The hall: a site, a group with an automatic playlist, the screens

async function seedHall(db: Database, mediaDir: string) {
  const site = await ensureSite(db, { code: 'bench-hall', name: '南昌市青山湖区就业服务中心' });
  const batch = await createImportBatch(db, { siteId: site.id, fileName: 'jobs.csv' });
  await writeImportChunk(db, {
    siteId: site.id,
    batchId: batch.id,
    rowsRead: TITLES.length,
    rejects: [],
    jobs: TITLES.map((title, i) =>
      prepareJob(testJobRecord({ rowNumber: i + 2, employerName: `南昌第${i + 1}号企业有限公司`, title })),
    ),
  });
  const { rows: jobs } = await db.$client.query<{ id: number }>('select id from jobs where site_id = $1 order by id', [
    site.id,
  ]);
  // One finished video per job, 20–30 s long; the files are small stand-ins (the manifest hashes them once).
  const store = new LocalMediaStore(mediaDir);
  for (const [i, job] of jobs.entries()) {
    const render = await createRender(db, {
      siteId: site.id,
      kind: 'video',
      template: 'job-spotlight',
      jobIds: [job.id],
    });
    await claimRender(db, render.id);
    const file = randomBytes(64 * 1024);
    const outputKey = `renders/${render.id}/video.mp4`;
    await store.writeBuffer(outputKey, file);
    await completeRender(db, render.id, {
      outputKey,
      mimeType: 'video/mp4',
      bytes: file.length,
      durationS: 20 + ((i * 7) % 11),
      aiComponents: [],
    });
  }
  const group = await ensureScreenGroup(db, site.id, '大厅');
  const tokens: { id: number; token: string }[] = [];
  for (let n = 0; n < screenCount; n++) {
    const token = randomBytes(32).toString('base64url');
    const code = String(n).padStart(6, '0');
    await startScreenPairing(db, { tokenHash: hashScreenToken(token), clientAddress: null, code: () => code });
    const screen = await confirmScreenPairing(db, {
      siteId: site.id,
      code,
      groupId: group.id,
      name: `大厅屏 ${n + 1}`,
      userId: null,
    });
    tokens.push({ id: screen.id, token });
  }
  // The steady state: screens paired weeks ago (a play may start before a pairing made a second ago).
  await db.$client.query(`update screens set paired_at = now() - interval '30 days' where site_id = $1`, [site.id]);
  await db.$client.query('analyze');
  return { site, tokens, videos: jobs.length };
}

// ---------------------------------------------------------------------------------------------
// The server in a process of its own (as bench:api runs it)

function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  return startServerProcess(env, profile);
}

const stopServer = stopServerProcess;

// ---------------------------------------------------------------------------------------------
// CPU: the server's, the client's, the machine's (Linux /proc; elsewhere left out)

/** CPU time (ms) of a process so far, from /proc/PID/stat (clock ticks of 10 ms). */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** Busy and total CPU time of the whole machine so far (clock ticks). */
function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).map(Number);
    const total = ticks.reduce((a, b) => a + (b ?? 0), 0);
    return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

interface CpuShare {
  /** The server process's CPU over the phase, in cores. */
  server: number;
  client: number;
  /** The machine's busy share, 0–1 (the server, the client, PostgreSQL and whatever else runs). */
  machine: number;
}

async function withCpu<T>(pid: number | undefined, work: () => Promise<T>): Promise<[T, CpuShare]> {
  const started = performance.now();
  const server = processCpuMs(pid);
  const client = process.cpuUsage();
  const machine = machineTicks();
  const result = await work();
  const wall = performance.now() - started;
  const clientUsed = process.cpuUsage(client);
  const machineNow = machineTicks();
  return [
    result,
    {
      server: (processCpuMs(pid) - server) / wall,
      client: (clientUsed.user + clientUsed.system) / 1000 / wall,
      machine: (machineNow.busy - machine.busy) / (machineNow.total - machine.total),
    },
  ];
}

/** Asks PostgreSQL `select 1` every 100 ms until stopped: how fast the database answers anyone under the load. */
function probeDatabase(db: Database): { stop: () => Promise<number[]> } {
  const times: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      await db.$client.query('select 1');
      times.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      return times.sort((a, b) => a - b);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The client: requests, timing, the schedule

interface Answer {
  status: number;
  body: string;
}

let base: URL;

function send(agent: http.Agent, method: string, route: string, headers: Record<string, string>, body?: string) {
  return new Promise<Answer>((resolve, reject) => {
    const sent =
      body === undefined
        ? headers
        : { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
    const req = http.request(
      { agent, host: base.hostname, port: base.port, method, path: route, headers: sent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** One route's figures over a measured phase. */
class Tally {
  times: number[] = [];
  ok = 0;
  non2xx = 0;
  errors = 0;
  firstError = '';
  seconds = 0;
  constructor(readonly name: string) {}
}

/** The tallies that requests due now are counted in (null: warm-up, not measured). */
let measuring: Record<string, Tally> | null = null;
const lags: number[] = [];
const inFlight = new Set<Promise<unknown>>();

/** Sends one request due at `dueAt`; its latency runs from then to the answer's last byte. */
async function timed(route: string, dueAt: number, work: () => Promise<Answer>): Promise<Answer | null> {
  const tally = measuring?.[route];
  // From when it was due (a late client counts against the figures), or when it was sent if a
  // timer fired a fraction of a millisecond early.
  const from = Math.min(dueAt, performance.now());
  const task = work();
  inFlight.add(task);
  try {
    const answer = await task;
    if (tally) {
      tally.times.push(performance.now() - from);
      if (answer.status >= 200 && answer.status < 300) tally.ok++;
      else {
        tally.non2xx++;
        tally.firstError ||= `${answer.status} ${answer.body.slice(0, 300)}`;
      }
    }
    return answer;
  } catch (error) {
    if (tally) {
      tally.errors++;
      tally.firstError ||= error instanceof Error ? error.message : String(error);
    }
    return null;
  } finally {
    inFlight.delete(task);
  }
}

/** Calls `tick(dueAt)` every `intervalMs` from `firstAt` until `until`, each due time fixed in advance (a late tick does not push the next). */
function every(intervalMs: number, firstAt: number, until: number, tick: (dueAt: number) => void): Promise<void> {
  return new Promise((resolve) => {
    const next = (dueAt: number) => {
      if (dueAt >= until) return resolve();
      setTimeout(
        () => {
          if (measuring) lags.push(performance.now() - dueAt);
          tick(dueAt);
          next(dueAt + intervalMs);
        },
        Math.max(0, dueAt - performance.now()),
      );
    };
    next(firstAt);
  });
}

async function settle(): Promise<void> {
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
}

// ---------------------------------------------------------------------------------------------
// The screens

interface Play {
  playId: string;
  renderId: number;
  startedAt: string;
  endedAt: string;
  playedMs: number;
  /** The group of the manifest it was played from. */
  groupId: number | null;
}

interface Item {
  renderId: number;
  durationS: number;
}

interface Manifest {
  version: string;
  screen: { groupId?: number };
  items: Item[];
  lists: Record<string, number[]>;
}

const ROUTES = {
  healthz: 'GET /healthz',
  beat: 'POST /player/api/heartbeat',
  plays: 'POST /player/api/plays',
} as const;

/** What the screens sent and were told, for the checks at the end. */
const ledger = {
  sent: new Set<string>(),
  storedTimes: new Map<string, number>(),
  resentAfterStored: 0,
  duplicates: 0,
  refused: [] as { playId: string; reason: string }[],
  lostAnswers: 0,
  skippedUploads: 0,
  manifestFetches: 0,
  versions: new Set<string>(),
};

class SimScreen {
  /** A connection left idle is closed before the server's keep-alive timeout (5 s) can cut it under a request. */
  readonly agent = new http.Agent({ keepAlive: true, timeout: 4_000 });
  readonly auth: Record<string, string>;
  version: string | null = null;
  playlist: Item[] = [];
  groupId: number | null = null;
  index = 0;
  /** Seconds (screen time) until the video playing now ends. */
  untilEndS = 0;
  /** Whether the video playing now will be cut short, and after how many seconds. */
  cutAtS: number | null = null;
  readonly outbox = new Map<string, Play>();
  uploading = false;
  /** The server times its beats were answered with (its last_seen_at must be the last of them). */
  readonly beatsAnswered: number[] = [];

  constructor(
    readonly id: number,
    token: string,
  ) {
    this.auth = { authorization: `Bearer ${token}` };
  }

  async fetchManifest(): Promise<void> {
    ledger.manifestFetches++;
    const answer = await send(this.agent, 'GET', '/player/api/manifest', this.auth);
    if (answer.status !== 200) throw new Error(`manifest of screen ${this.id}: ${answer.status} ${answer.body}`);
    const manifest = JSON.parse(answer.body) as Manifest;
    const byId = new Map(manifest.items.map((item) => [item.renderId, item]));
    this.playlist = (manifest.lists.group ?? []).flatMap((id) => byId.get(id) ?? []);
    if (this.playlist.length === 0) throw new Error(`screen ${this.id}: the manifest lists nothing to play`);
    this.version = manifest.version;
    this.groupId = manifest.screen.groupId ?? null;
    if (this.untilEndS === 0) {
      this.index = Math.floor(Math.random() * this.playlist.length);
      this.startVideo();
      this.untilEndS *= Math.random();
    }
  }

  private get current(): Item {
    return this.playlist[this.index % this.playlist.length] as Item;
  }

  private startVideo(): void {
    const duration = this.current.durationS;
    this.cutAtS = Math.random() < CUT_SHORT_SHARE ? duration * (0.3 + 0.55 * Math.random()) : null;
    this.untilEndS = this.cutAtS ?? duration;
  }

  /** The plays that ended during the last `UPLOAD_SECONDS` of screen time, with real times ending before `now`. */
  private play(now: number): void {
    let at = 0;
    while (this.untilEndS <= UPLOAD_SECONDS - at) {
      at += this.untilEndS;
      const playedMs = Math.round((this.cutAtS ?? this.current.durationS) * 1000);
      const endedAt = now - (UPLOAD_SECONDS - at) * 1000;
      // A little more than the video's length passes: loading, the first frame.
      const startedAt = endedAt - playedMs - Math.round(Math.random() * 300);
      const play: Play = {
        playId: randomBytes(18).toString('base64url'),
        renderId: this.current.renderId,
        startedAt: new Date(startedAt).toISOString(),
        endedAt: new Date(endedAt).toISOString(),
        playedMs,
        groupId: this.groupId,
      };
      this.outbox.set(play.playId, play);
      ledger.sent.add(play.playId);
      this.index++;
      this.startVideo();
    }
    this.untilEndS -= UPLOAD_SECONDS - at;
  }

  beat(dueAt: number): Promise<unknown> {
    const body = JSON.stringify({
      manifestVersion: this.version,
      playingRenderId: this.current.renderId,
      state: 'video',
      cachedItems: this.playlist.length,
      totalItems: this.playlist.length,
      cachedBytes: this.playlist.length * 64 * 1024,
      problems: [],
      pendingPlays: this.outbox.size,
    });
    return timed(ROUTES.beat, dueAt, () => send(this.agent, 'POST', '/player/api/heartbeat', this.auth, body)).then(
      async (answer) => {
        if (answer?.status !== 200) return;
        const { manifestVersion, serverTime } = JSON.parse(answer.body) as {
          manifestVersion: string;
          serverTime: string;
        };
        ledger.versions.add(manifestVersion);
        this.beatsAnswered.push(Date.parse(serverTime));
        if (manifestVersion !== this.version) await this.fetchManifest();
      },
    );
  }

  /** Once every upload period: the plays finished since, and any whose answer was lost, in one batch. */
  upload(dueAt: number, loseAnswers = true): Promise<unknown> {
    this.play(Date.now());
    if (this.uploading) {
      if (measuring) ledger.skippedUploads++;
      return Promise.resolve();
    }
    if (this.outbox.size === 0) return Promise.resolve();
    const plays = [...this.outbox.values()].slice(0, 50);
    for (const play of plays) if (ledger.storedTimes.has(play.playId)) ledger.resentAfterStored++;
    this.uploading = true;
    const body = JSON.stringify({ sentAt: new Date().toISOString(), plays });
    return timed(ROUTES.plays, dueAt, () => send(this.agent, 'POST', '/player/api/plays', this.auth, body)).then(
      (answer) => {
        this.uploading = false;
        if (answer?.status !== 200) return;
        const told = JSON.parse(answer.body) as {
          stored: string[];
          duplicates: string[];
          refused: { playId: string; reason: string }[];
        };
        for (const id of told.stored) ledger.storedTimes.set(id, (ledger.storedTimes.get(id) ?? 0) + 1);
        ledger.duplicates += told.duplicates.length;
        ledger.refused.push(...told.refused);
        if (loseAnswers && Math.random() < LOST_ANSWER_SHARE) {
          ledger.lostAnswers++;
          return;
        }
        for (const id of [...told.stored, ...told.duplicates, ...told.refused.map((r) => r.playId)]) {
          this.outbox.delete(id);
        }
      },
    );
  }
}

/** Every screen beats and uploads on its own phase from `start` to `until`; `healthz` sends GET /healthz instead. */
async function load(screens: SimScreen[], start: number, until: number, healthz = false): Promise<void> {
  const hit = (screen: SimScreen, dueAt: number) =>
    void timed(ROUTES.healthz, dueAt, () => send(screen.agent, 'GET', '/healthz', {}));
  await Promise.all(
    screens.flatMap((screen, i) => {
      // Spread evenly over a period, as screens switched on at different moments are.
      const beatAt = start + (beatMs * i) / screens.length;
      const uploadAt = start + (uploadMs * ((i * 7919) % screens.length)) / screens.length;
      return [
        every(beatMs, beatAt, until, (dueAt) => (healthz ? hit(screen, dueAt) : void screen.beat(dueAt))),
        every(uploadMs, uploadAt, until, (dueAt) => (healthz ? hit(screen, dueAt) : void screen.upload(dueAt))),
      ];
    }),
  );
  await settle();
}

// ---------------------------------------------------------------------------------------------
// Figures

/** The latency under which `share` of the responses came, in ms. */
function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function measured(screens: SimScreen[], names: string[], healthz: boolean): Promise<Record<string, Tally>> {
  const tallies = Object.fromEntries(names.map((name) => [name, new Tally(name)]));
  measuring = tallies;
  const start = performance.now() + 50;
  await load(screens, start, start + seconds * 1000, healthz);
  measuring = null;
  for (const tally of Object.values(tallies)) {
    tally.seconds = seconds;
    tally.times.sort((a, b) => a - b);
  }
  return tallies;
}

// ---------------------------------------------------------------------------------------------

const database = await createTestDatabase('bench');
const dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-screens-'));
const mediaDir = path.join(dataDir, 'media');
const db = createDatabase(database.url, 4);
const { redisUrl } = loadConfig();
const queuePrefix = `bench-screens-${randomBytes(4).toString('hex')}`;
let server: ChildProcess | undefined;
try {
  process.stdout.write(`pairing ${screenCount} screens…\n`);
  const hall = await seedHall(db, mediaDir);
  const running = await startServer({
    ...process.env,
    DATABASE_URL: database.url,
    PORT: '0',
    JOBCAST_DATA_DIR: dataDir,
    JOBCAST_MEDIA_DIR: mediaDir,
    JOBCAST_SITE: hall.site.code,
    REDIS_URL: redisUrl,
    JOBCAST_QUEUE_PREFIX: queuePrefix,
  });
  server = running.child;
  base = new URL(running.url);
  const screens = hall.tokens.map(({ id, token }) => new SimScreen(id, token));

  let started = performance.now();
  await Promise.all(screens.map((screen) => screen.fetchManifest()));
  process.stdout.write(
    `${screens.length} screens fetched their manifest at once in ${fmt(performance.now() - started, 0)} ms ` +
      `(${hall.videos} videos, version ${screens[0]?.version})\n`,
  );
  process.stdout.write(
    `${screens.length} screens at ×${speed}: a beat every ${fmt(beatMs, 0)} ms and an upload every ` +
      `${fmt(uploadMs, 0)} ms each (${fmt((screens.length * 1000) / beatMs, 0)} beats/s, ` +
      `${fmt((screens.length * 1000) / uploadMs, 0)} uploads/s); /healthz on the same schedule then the ` +
      `screens, each ${WARM_SECONDS} s of warm-up and ${seconds} s measured…\n`,
  );
  started = performance.now();
  await load(screens, started, started + WARM_SECONDS * 1000, true);
  const [floorTallies, floorCpu] = await withCpu(server.pid, () => measured(screens, [ROUTES.healthz], true));
  const floor = floorTallies[ROUTES.healthz] as Tally;
  started = performance.now();
  await load(screens, started, started + WARM_SECONDS * 1000);
  const lagsBefore = lags.length;
  const window = process.hrtime.bigint() / 1000n;
  const probe = probeDatabase(db);
  const [loaded, loadedCpu] = await withCpu(server.pid, () => measured(screens, [ROUTES.beat, ROUTES.plays], false));
  const dbTimes = await probe.stop();
  if (profileDir) {
    // V8 profiles time samples on the same monotonic clock: this picks the screens' run out of the whole profile.
    process.stdout.write(
      `profile window of the screens' run (µs, monotonic): ${window} ${process.hrtime.bigint() / 1000n}\n`,
    );
  }
  const loadEnded = new Date();
  const screenLags = lags.slice(lagsBefore).sort((a, b) => a - b);

  const rows = [floor, loaded[ROUTES.beat] as Tally, loaded[ROUTES.plays] as Tally];
  const floorP95 = percentile(floor.times, 0.95);
  console.table(
    rows.map((t) => ({
      route: t.name,
      'req/s': fmt(t.times.length / t.seconds, 0),
      'p50 ms': fmt(percentile(t.times, 0.5)),
      'p95 ms': fmt(percentile(t.times, 0.95)),
      'p99 ms': fmt(percentile(t.times, 0.99)),
      'max ms': fmt(t.times.at(-1) ?? Number.NaN),
      '2xx': t.ok,
      'non-2xx': t.non2xx,
      errors: t.errors,
      'p95 ÷ /healthz p95': fmt(percentile(t.times, 0.95) / floorP95, 2),
    })),
  );
  for (const tally of rows) {
    if (tally.firstError) process.stdout.write(`  ${tally.name}: first failure: ${tally.firstError}\n`);
  }
  const screenRequests = rows.slice(1).reduce((n, t) => n + t.times.length, 0);
  const cpuLine = (what: string, cpu: CpuShare, requests: number) =>
    `  ${what}: server ${fmt(cpu.server, 2)} cores (${fmt((cpu.server * seconds * 1000) / requests, 2)} ms a request), ` +
    `client ${fmt(cpu.client, 2)} cores, machine ${fmt(cpu.machine * 100, 0)} % busy of ${availableParallelism()} cores\n`;
  process.stdout.write(
    `CPU (the server's, the load's, the whole machine's, PostgreSQL and anything else running included):\n${cpuLine(
      '/healthz',
      floorCpu,
      floor.times.length,
    )}${cpuLine('screens', loadedCpu, screenRequests)}` +
      `  load average ${loadavg()
        .map((n) => fmt(n, 2))
        .join(' ')} at the end (other work on this machine skews every figure above)\n`,
  );
  process.stdout.write(
    `PostgreSQL during the screens' run: \`select 1\` answered in p50 ${fmt(percentile(dbTimes, 0.5))} ms, ` +
      `p95 ${fmt(percentile(dbTimes, 0.95))} ms (asked ${dbTimes.length} times from the load's process)\n`,
  );
  process.stdout.write(
    `client timer lag during the screens' run: p95 ${fmt(percentile(screenLags, 0.95))} ms, ` +
      `max ${fmt(screenLags.at(-1) ?? 0)} ms (counted in the latencies above)\n`,
  );
  let failed = false;
  for (const tally of rows.slice(1)) {
    const p95 = percentile(tally.times, 0.95);
    const pass = p95 < TARGET_P95_MS && tally.non2xx === 0 && tally.errors === 0 && tally.ok > 0;
    failed ||= !pass;
    process.stdout.write(
      `target ${tally.name} p95 < ${TARGET_P95_MS} ms with ${screens.length} screens at ×${speed}: ` +
        `${pass ? 'PASS' : 'FAIL'} (p95 ${fmt(p95)} ms, ${tally.non2xx} non-2xx, ${tally.errors} errors)\n`,
    );
  }

  // Every screen's last_seen_at is the time of the last beat it was answered for (two beats of a
  // screen in flight together may be stored in either order: within a beat of it is right too).
  const { rows: seen } = await db.$client.query<{ id: number; last_seen_at: Date | null }>(
    'select id, last_seen_at from screens where site_id = $1',
    [hall.site.id],
  );
  const seenAt = new Map(seen.map((row) => [row.id, row.last_seen_at?.getTime() ?? 0]));
  const stale = screens.filter((screen) => {
    const at = seenAt.get(screen.id) ?? 0;
    const last = Math.max(...screen.beatsAnswered);
    return !screen.beatsAnswered.includes(at) || at < last - beatMs;
  });
  const oldest = Math.min(...seenAt.values());
  const seenOk = stale.length === 0 && seen.length === screens.length;
  failed ||= !seenOk;
  process.stdout.write(
    `last_seen_at: ${screens.length - stale.length}/${seen.length} screens at their last answered beat ` +
      `(the oldest ${fmt(loadEnded.getTime() - oldest, 0)} ms before the end of the load): ${seenOk ? 'ok' : 'WRONG'}\n`,
  );

  // The outboxes emptied as the player empties them once the server answers (no answers lost now).
  for (let round = 0; round < 5 && screens.some((s) => s.outbox.size > 0); round++) {
    await Promise.all(screens.map((screen) => screen.upload(performance.now(), false)));
  }
  const { rows: stored } = await db.$client.query<{ play_id: string }>(
    'select play_id from screen_plays where site_id = $1',
    [hall.site.id],
  );
  const inDb = new Set(stored.map((r) => r.play_id));
  const storedTwice = [...ledger.storedTimes.values()].filter((n) => n > 1).length;
  const missing = [...ledger.sent].filter((id) => !inDb.has(id)).length;
  const unknown = [...inDb].filter((id) => !ledger.sent.has(id)).length;
  const left = screens.reduce((n, s) => n + s.outbox.size, 0);
  const playsOk =
    stored.length === ledger.sent.size &&
    inDb.size === stored.length &&
    missing === 0 &&
    unknown === 0 &&
    storedTwice === 0 &&
    ledger.storedTimes.size === ledger.sent.size &&
    ledger.duplicates === ledger.resentAfterStored &&
    ledger.refused.length === 0 &&
    left === 0;
  failed ||= !playsOk;
  process.stdout.write(
    `plays: ${ledger.sent.size} play ids sent, ${stored.length} rows in screen_plays ` +
      `(${missing} missing, ${unknown} unknown, ${storedTwice} stored twice, ${left} left in outboxes); ` +
      `${ledger.lostAnswers} answers lost on purpose → ${ledger.resentAfterStored} plays re-sent, ` +
      `${ledger.duplicates} answered as duplicates; ${ledger.refused.length} refused: ${playsOk ? 'ok' : 'WRONG'}\n`,
  );
  if (ledger.refused.length > 0) process.stdout.write(`  first refusal: ${JSON.stringify(ledger.refused[0])}\n`);
  process.stdout.write(
    `manifest: ${ledger.versions.size} version(s) answered, ${ledger.manifestFetches - screens.length} re-fetches; ` +
      `${ledger.skippedUploads} uploads skipped in the measured run (the previous one still unanswered)\n`,
  );

  // 200 screens heartbeating at once: a hall switched on together.
  const burst = new Tally('burst');
  measuring = { [ROUTES.beat]: burst };
  const burstAt = performance.now() + 100;
  await new Promise((resolve) => setTimeout(resolve, 100));
  await Promise.all(screens.map((screen) => screen.beat(burstAt)));
  measuring = null;
  burst.times.sort((a, b) => a - b);
  const burstOk = burst.ok === screens.length;
  failed ||= !burstOk;
  process.stdout.write(
    `${screens.length} heartbeats at the same instant: ${burst.ok} answered 200, p95 ${fmt(percentile(burst.times, 0.95))} ms, ` +
      `slowest ${fmt(burst.times.at(-1) ?? Number.NaN)} ms: ${burstOk ? 'ok' : 'WRONG'}\n`,
  );
  if (failed) process.exitCode = 1;
  for (const screen of screens) screen.agent.destroy();
} finally {
  if (server) await stopServer(server);
  await closeDatabase(db);
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${queuePrefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
}
