import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  createScreenGroup,
  type Database,
  employerNameKey,
  ensureSite,
  getSiteByCode,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { runFfmpeg } from '@jobcast/ffmpeg';
import { serviceYearOf } from '@jobcast/ledger';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
const site = `fairs-${randomBytes(3).toString('hex')}`;
const employers = ['南昌洪城物流有限公司', '南昌瑶湖家政服务有限公司', '南昌象湖餐饮管理有限公司'];
let dir: string;
let db: Database;

function jobcast(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site, JOBCAST_DATA_DIR: dir } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-fairs-'));
  db = createDatabase(inject('databaseUrl'), 2);
  const row = await ensureSite(db, { code: site, name: '招聘会测试站点' });
  await createScreenGroup(db, { siteId: row.id, name: '招聘会场' });
  const batch = await createImportBatch(db, { siteId: row.id, fileName: 'jobs.csv' });
  await writeImportChunk(db, {
    siteId: row.id,
    batchId: batch.id,
    rejects: [],
    rowsRead: employers.length,
    jobs: employers.map((employerName, i) =>
      prepareJob(
        testJobRecord({ rowNumber: i + 2, employerName, employerKey: employerNameKey(employerName), title: '普工' }),
      ),
    ),
  });
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

it('records an AI fair with its employers, takes a photo, and tells in Chinese why it does not qualify', async () => {
  const added = await jobcast([
    'fairs',
    'add',
    '--kind',
    'ai',
    '--title',
    '五月 AI 数智招聘会',
    '--start',
    '2026-05-10 09:00',
    '--end',
    '2026-05-10 11:30',
    '--venue',
    '人力资源市场一楼大厅',
    '--group',
    '招聘会场',
    ...employers.flatMap((name) => ['--employer', name]),
    '--employer',
    ` ${employers[0]} `,
    '--seekers',
    '80',
    '--json',
  ]);
  expect(added.code, added.stderr).toBe(0);
  const fair = JSON.parse(added.stdout) as { id: number; employerCount: number; startsAt: string; notice: string };
  expect(fair).toMatchObject({ employerCount: 3, startsAt: '2026-05-10T01:00:00.000Z' });
  expect(fair.notice).toBe(`重复的单位已合并：${employers[0]}`);

  const photo = path.join(dir, 'hall.jpg');
  await runFfmpeg(['-f', 'lavfi', '-i', 'color=c=green:s=800x600', '-frames:v', '1', '-y', photo]);
  const uploaded = await jobcast(['fairs', 'photo', String(fair.id), photo]);
  expect(uploaded.code, uploaded.stderr).toBe(0);
  expect(uploaded.stdout).toContain('已去除拍摄地点');

  const shown = await jobcast(['fairs', 'show', String(fair.id)]);
  expect(shown.code, shown.stderr).toBe(0);
  expect(shown.stdout).toContain('未达标');
  expect(shown.stdout).toContain('用人单位 3 家，少于 6 家');
  expect(shown.stdout).toContain('照片：1 张');

  const refused = await jobcast([
    'fairs',
    'add',
    '--kind',
    'onsite',
    '--title',
    '线下专场',
    '--start',
    '2026-05-12 09:00',
    '--end',
    '2026-05-12 11:00',
    '--venue',
    '体育馆',
    '--employer',
    '查无此单位',
  ]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('查无此单位');

  const listed = await jobcast(['fairs', 'list', '--year', '2026']);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toContain('五月 AI 数智招聘会');
  expect(listed.stdout).not.toContain('线下专场');
  expect(listed.stdout).toContain('AI数智招聘会：达标 0/80 场，已举办 1 场');

  // Another AI fair on the same screen group at a time the first holds it: refused, naming the first.
  const overlapping = await jobcast([
    'fairs',
    'add',
    '--kind',
    'ai',
    '--title',
    '五月加开场',
    '--start',
    '2026-05-10 11:00',
    '--end',
    '2026-05-10 12:00',
    '--venue',
    '人力资源市场一楼大厅',
    '--group',
    '招聘会场',
  ]);
  expect(overlapping.code).toBe(2);
  expect(overlapping.stderr).toContain('「五月 AI 数智招聘会」（2026-05-10 09:00–11:30）');
});

it('lists a fair still to come as 未举办, apart from the fairs held', async () => {
  const day = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const added = await jobcast([
    'fairs',
    'add',
    '--kind',
    'onsite',
    '--title',
    '将要举办的线下招聘会',
    '--start',
    `${day} 09:00`,
    '--end',
    `${day} 12:00`,
    '--venue',
    '体育馆',
    ...employers.flatMap((name) => ['--employer', name]),
  ]);
  expect(added.code, added.stderr).toBe(0);
  expect(added.stdout).toContain('结论：未举办');
  expect(added.stdout).toContain('已登记，尚未举办，结束后才计入考核；按当前登记：用人单位 3 家，少于 10 家');
  const year = serviceYearOf(day, (await getSiteByCode(db, site)).serviceYearStart);
  const listed = await jobcast(['fairs', 'list', '--year', String(year)]);
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.stdout).toMatch(/将要举办的线下招聘会 {2}体育馆 {2}单位 3 家 {2}未举办/);
  expect(listed.stdout).toMatch(/线下招聘会：达标 0\/12 场，已举办 0 场，未举办 1 场（结束后计入）/);
});
