/**
 * API benchmark: a city's service year at scale (10 sites, 100,000 jobs, 3,000 renders, 1,500
 * published videos, 700 livestreams with verdicts, media reports and flyer issues) in a throwaway
 * database, the API server in a process of its own, and N concurrent connections held on each of:
 * `GET /healthz` (the ceiling: no database, no session), `GET /api/kpi` (a bearer token) and the
 * dashboard page `GET /` (a browser session cookie). Latency percentiles are taken over every
 * response; each request rate is printed beside /healthz's, measured on the same server in the same
 * run. The target: /api/kpi p95 under 100 ms at 50 connections.
 *
 *   npm run bench:api [-- --seconds 10 --connections 50]
 *
 * The year's data is written with SQL (the benchmark measures reading it, not entering it); the
 * users, token and browser session are made the way the API makes them.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser, createToken, createWebSession } from '@jobcast/auth';
import { loadConfig } from '@jobcast/config';
import { closeDatabase, createDatabase, type Database, ensureSite, type Site } from '@jobcast/db';
import { createTestDatabase } from '@jobcast/db/testing';
import { parseDay, serviceYear } from '@jobcast/kpi';
import { currentServiceYear, siteToday } from '@jobcast/ledger';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { startServerProcess, stopServerProcess } from './server-process.ts';

const option = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > -1 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const seconds = Number(option('seconds', '10'));
const connections = Number(option('connections', '50'));
/** Not measured: the server's code and the pool are warm before the figures start. */
const WARM_SECONDS = 2;
const TARGET_P95_MS = 100;

const SCALE = {
  sites: 10,
  jobsPerSite: 10_000,
  employersPerSite: 500,
  rendersPerSite: 300,
  publicationsPerSite: 150,
  sessionsPerSite: 70,
  coveragePerSite: 12,
};

/**
 * The service year so far on every site: dates fall on the days before today. Every statement
 * covers all sites at once (generate_series), so 100,000 jobs take seconds.
 */
async function seedYear(db: Database): Promise<Site[]> {
  const sites: Site[] = [];
  for (let n = 1; n <= SCALE.sites; n++) {
    const code = `city-${String(n).padStart(2, '0')}`;
    sites.push(await ensureSite(db, { code, name: `第${n}城区就业服务中心` }));
  }
  const first = sites[0] as Site;
  const sy = serviceYear(currentServiceYear(first), first.serviceYearStart);
  const today = siteToday(first.timezone);
  const pastDays = Math.max(1, parseDay(today) - parseDay(sy.start));
  const ids = sites.map((site) => site.id);
  const sql = (text: string, values: unknown[] = []) => db.$client.query(text, values);

  await sql(
    `insert into employers (site_id, name, name_key)
     select s, format('南昌第%s号企业有限公司', g), format('南昌第%s号企业有限公司', g)
       from unnest($1::int[]) s, generate_series(1, $2) g`,
    [ids, SCALE.employersPerSite],
  );
  await sql(
    `insert into jobs (site_id, employer_id, title, pay_min, pay_max, pay_unit, pay_text, headcount,
                       headcount_text, location, category, contact_name, contact_phone, valid_from,
                       valid_until, fingerprint, content_hash, updated_at)
     select s, e.id, (array['普工','保洁员','叉车司机','电工','客服专员','厨师','仓管员','护理员'])[1 + g % 8],
            3000 + (g % 40) * 100, 4500 + (g % 40) * 100, 'month', (3000 + (g % 40) * 100) || '-' || (4500 + (g % 40) * 100) || '元/月',
            1 + g % 20, (1 + g % 20) || '人', '南昌市青山湖区',
            (array['full-time','full-time','full-time','part-time','gig','internship'])[1 + g % 6]::job_category,
            '张先生', '1380000' || lpad((g % 10000)::text, 4, '0'),
            $3::date + (g % $4), $3::date + 364, md5(s || '-' || g), md5('v1-' || s || '-' || g),
            $3::date + (g % $4)
       from unnest($1::int[]) s cross join generate_series(1, $2) g
       join employers e on e.site_id = s and e.name_key = format('南昌第%s号企业有限公司', 1 + g % ${SCALE.employersPerSite})`,
    [ids, SCALE.jobsPerSite, sy.start, pastDays],
  );
  await sql(
    `insert into renders (site_id, kind, template, status, progress, attempts, ai_video, created_at, started_at, finished_at)
     select s, k.kind::render_kind, k.template, 'done', 100, 1, k.kind = 'video' and g % 4 = 0, d, d, d + interval '1 minute'
       from unnest($1::int[]) s, generate_series(0, $2 - 1) g,
            lateral (select case when g % 10 < 5 then 'video' when g % 10 < 9 then 'poster' else 'flyer' end as kind,
                            case when g % 10 < 5 then 'job-spotlight' when g % 10 < 9 then 'job-poster' else 'monthly-flyer' end as template,
                            ($3::date + (g * $4 / $2))::timestamptz as d) k`,
    [ids, SCALE.rendersPerSite, sy.start, pastDays],
  );
  await sql(
    `insert into publications (site_id, platform, url, url_key, published_on, title, ai_video)
     select s, (array['douyin','channels','other'])[1 + g % 3]::publication_platform,
            format('https://v.example.cn/%s/%s', s, g), format('v.example.cn/%s/%s', s, g),
            $3::date + (g * $4 / $2), format('岗位速递第 %s 期', g + 1), g % 8 = 0
       from unnest($1::int[]) s, generate_series(0, $2 - 1) g`,
    [ids, SCALE.publicationsPerSite, sy.start, pastDays],
  );
  await sql(
    `insert into coverage_reports (site_id, outlet, level, url, url_key, published_on, title)
     select s, case when g % 6 = 0 then '中国劳动保障报' else '江西日报' end,
            (case when g % 6 = 0 then 'national' else 'provincial' end)::coverage_level,
            format('https://news.example.cn/%s/%s.html', s, g), format('news.example.cn/%s/%s.html', s, g),
            $3::date + (g * $4 / $2), format('就业服务报道第 %s 篇', g + 1)
       from unnest($1::int[]) s, generate_series(0, $2 - 1) g`,
    [ids, SCALE.coveragePerSite, sy.start, pastDays],
  );
  await sql(
    `insert into flyer_issues (site_id, month, issue_number, copies_planned, copies_printed, printed_at)
     select s, m::date, row_number() over (partition by s order by m), 1000,
            case when extract(month from m)::int % 7 = 3 then 800 else 1000 end, m::date + 4
       from unnest($1::int[]) s,
            generate_series($2::date, date_trunc('month', $3::date) - interval '1 month', interval '1 month') m`,
    [ids, sy.start, today],
  );
  await sql(
    `insert into live_sessions (site_id, type, title, anchor_name, slot_start, slot_end, status, stream_key_hash,
                                overlay_token, started_at, ended_at, end_reason, qualified, verdict)
     select s, t.type::live_session_type, format('直播第 %s 场', g + 1), '主播', slot, slot + interval '90 minutes', 'ended',
            md5('key-' || s || '-' || g), md5('overlay-' || s || '-' || g), slot + interval '2 minutes',
            slot + interval '67 minutes', 'anchor', g % 10 <> 7,
            jsonb_build_object('qualified', g % 10 <> 7, 'reasons', jsonb_build_array('直播时长 65 分钟'),
                               'liveSeconds', case when g % 10 = 7 then 1800 else 3900 end, 'presentedJobs', 22,
                               'thresholds', jsonb_build_object('minLiveSeconds', 3600, 'minJobs', 20, 'presentMinSeconds', 60))
       from unnest($1::int[]) s, generate_series(0, $2 - 1) g,
            lateral (select case when g % 5 = 4 then (array['policy','training','visit','other'])[1 + (g / 5) % 4] else 'job' end as type,
                            (($3::date + (g * $4 / $2))::timestamp + time '14:30') at time zone $5 as slot) t`,
    [ids, SCALE.sessionsPerSite, sy.start, pastDays, first.timezone],
  );
  await sql('analyze');
  return sites;
}

async function counts(db: Database): Promise<Record<string, number>> {
  const tables = ['sites', 'jobs', 'renders', 'publications', 'live_sessions', 'coverage_reports', 'flyer_issues'];
  const out: Record<string, number> = {};
  for (const table of tables) {
    out[table] = (await db.$client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]?.n ?? 0;
  }
  return out;
}

const startServer = (env: NodeJS.ProcessEnv) => startServerProcess(env);
const stopServer = stopServerProcess;

interface Figures {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** The latency under which `share` of the responses came, in ms. */
function percentile(sorted: number[], share: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)] as number;
}

/** Holds `connections` connections on one address for `duration` s; every response's time is kept (autocannon reports no p95). */
function hold(
  url: string,
  headers: Record<string, string>,
  duration: number,
): Promise<{ result: autocannon.Result; times: number[] }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url, connections, duration, headers }, (error, result) =>
      error ? reject(error) : resolve({ result, times }),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      times.push(responseTime);
    });
  });
}

async function measure(name: string, url: string, headers: Record<string, string>): Promise<Figures> {
  await hold(url, headers, WARM_SECONDS);
  const { result, times } = await hold(url, headers, seconds);
  times.sort((a, b) => a - b);
  return {
    name,
    requestsPerSecond: result.requests.total / (result.duration || seconds),
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
    p99: percentile(times, 0.99),
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const database = await createTestDatabase('bench');
const dataDir = await mkdtemp(path.join(tmpdir(), 'jobcast-bench-api-'));
const db = createDatabase(database.url, 4);
const { redisUrl } = loadConfig();
/** The server's queues (opened, never used here) live under a prefix of their own, removed at the end. */
const queuePrefix = `bench-api-${randomBytes(4).toString('hex')}`;
let server: ChildProcess | undefined;
try {
  process.stdout.write('seeding a city-scale service year…\n');
  const started = performance.now();
  const sites = await seedYear(db);
  const site = sites[0] as Site;
  const user = await addUser(db, {
    siteId: site.id,
    username: 'bench-manager',
    password: 'bench-password',
    role: 'manager',
  });
  const { token } = await createToken(db, { username: user.username, name: 'bench' });
  const { secret } = await createWebSession(db, user.id);
  process.stdout.write(
    `seeded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(await counts(db))}\n`,
  );

  const running = await startServer({
    ...process.env,
    DATABASE_URL: database.url,
    PORT: '0',
    JOBCAST_DATA_DIR: dataDir,
    JOBCAST_SITE: site.code,
    REDIS_URL: redisUrl,
    JOBCAST_QUEUE_PREFIX: queuePrefix,
  });
  server = running.child;
  const targets: [string, string, Record<string, string>][] = [
    ['GET /healthz', '/healthz', {}],
    ['GET /api/kpi', '/api/kpi', { authorization: `Bearer ${token}` }],
    ['GET / (dashboard)', '/', { cookie: `jc_session=${secret}` }],
  ];
  for (const [name, route, headers] of targets) {
    const response = await fetch(`${running.url}${route}`, { headers, redirect: 'manual' });
    process.stdout.write(`${name}: ${response.status} before the load\n`);
  }
  process.stdout.write(`${connections} connections, ${WARM_SECONDS} s warm-up then ${seconds} s each…\n`);
  const results: Figures[] = [];
  for (const [name, route, headers] of targets) results.push(await measure(name, `${running.url}${route}`, headers));

  const ceiling = results[0] as Figures;
  const fmt = (n: number, digits = 1) =>
    n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  console.table(
    results.map((r) => ({
      endpoint: r.name,
      'req/s': fmt(r.requestsPerSecond, 0),
      'p50 ms': fmt(r.p50),
      'p95 ms': fmt(r.p95),
      'p99 ms': fmt(r.p99),
      '2xx': r.ok,
      'non-2xx': r.non2xx,
      errors: r.errors,
      'req/s ÷ /healthz': fmt(r.requestsPerSecond / ceiling.requestsPerSecond, 3),
    })),
  );
  const kpi = results[1] as Figures;
  const pass = kpi.p95 < TARGET_P95_MS && kpi.non2xx === 0 && kpi.errors === 0 && kpi.ok > 0;
  console.log(
    `target /api/kpi p95 < ${TARGET_P95_MS} ms at ${connections} concurrent: ${pass ? 'PASS' : 'FAIL'} ` +
      `(p95 ${fmt(kpi.p95)} ms, ${kpi.non2xx} non-2xx, ${kpi.errors} errors)`,
  );
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
