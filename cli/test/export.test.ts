import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDatabase, createDatabase, type Database, ensureSite } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { MISSING_NOTE } from '@jobcast/ledger';
import { readWorkbook, seedLedgerYear, sheetRows, unzip } from '@jobcast/ledger/testing';
import { LocalMediaStore } from '@jobcast/storage';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let dir: string;
let mediaDir: string;
let db: Database;
let site: string;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `jobcast …` run from the test's folder, so paths it prints are relative to that folder. */
function jobcast(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: dir,
        env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site, JOBCAST_MEDIA_DIR: mediaDir },
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-export-'));
  mediaDir = path.join(dir, 'media');
  await mkdir(path.join(dir, 'ledger'));
  await mkdir(path.join(dir, 'packs'));
  db = createDatabase(inject('databaseUrl'), 2);
  site = `export-${randomBytes(3).toString('hex')}`;
  await seedLedgerYear(
    db,
    new LocalMediaStore(mediaDir),
    await ensureSite(db, { code: site, name: '示范区就业服务中心' }),
  );
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast export ledger', () => {
  it('writes a workbook that reads back, and says where, how big and how many', async () => {
    const result = await jobcast(['export', 'ledger', '--year', '2026', '--out', 'ledger/台账-2026.xlsx']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^已写出台账：ledger\/台账-2026\.xlsx（[\d.]+ KB）\n/);
    expect(result.stdout).toContain('示范区就业服务中心 服务年度 2026-03-01 至 2027-02-28');
    expect(result.stdout).toMatch(
      /短视频 3 条，直播 2 场（达标 1 场），招工小报 2 期（计入考核 1 期），媒体宣传 2 篇，AI数智招聘会 2 场（达标 1 场），线下招聘会 [23] 场（达标 [12] 场）/,
    );
    const book = await readWorkbook(await readFile(path.join(dir, 'ledger', '台账-2026.xlsx')));
    expect(sheetRows(book, '短视频台账').map((row) => row.标题)).toEqual([
      `'=HYPERLINK("https://evil.example/","点我")`,
      "'-5℃ 冷库招工",
      '春风行动 外部制作',
    ]);
    expect(sheetRows(book, '汇总').find((row) => row.考核项目 === '直播')?.已完成).toBe(1);
    expect(sheetRows(book, '汇总').find((row) => row.考核项目 === 'AI数智招聘会')?.已完成).toBe(1);
    expect(sheetRows(book, 'AI数智招聘会台账').map((row) => row.达标)).toEqual(['是', '否']);
    // Written under a temporary name and renamed: nothing else is left in the folder.
    expect(await readdir(path.join(dir, 'ledger'))).toEqual(['台账-2026.xlsx']);
  });

  it('refuses an --out in a folder that does not exist, and a year that is not one', async () => {
    const missing = await jobcast(['export', 'ledger', '--year', '2026', '--out', 'nowhere/台账.xlsx']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('输出文件夹不存在：nowhere');
    expect(await readdir(dir)).not.toContain('nowhere');
    const badYear = await jobcast(['export', 'ledger', '--year', '26', '--out', 'ledger/x.xlsx']);
    expect(badYear.code).toBe(2);
    expect(badYear.stderr).toContain('年份须为 2000 到 2100 之间的四位数字，如 2026：26');
  });
});

describe('jobcast export evidence', () => {
  it("writes a line's ZIP with its files and reports what is missing", async () => {
    const result = await jobcast([
      'export',
      'evidence',
      '--line',
      'videos',
      '--year',
      '2026',
      '--out',
      'packs/videos.zip',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^已写出佐证材料：packs\/videos\.zip（[\d.]+ (字节|KB)）\n/);
    expect(result.stdout).toContain(
      `短视频台账-2026.xlsx：3 条记录；证据文件 1 个，缺失 1 个（见压缩包内 ${MISSING_NOTE}）`,
    );
    const files = await unzip(await readFile(path.join(dir, 'packs', 'videos.zip')));
    expect([...files.keys()]).toEqual(['短视频台账-2026.xlsx', MISSING_NOTE, 'videos/001-cover.jpg']);
  });

  it('prints what it wrote as JSON with --json', async () => {
    const result = await jobcast([
      'export',
      'evidence',
      '--line',
      'livestreams',
      '--year',
      '2026',
      '--out',
      'packs/live.zip',
      '--json',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      file: path.join('packs', 'live.zip'),
      bytes: expect.any(Number),
      line: 'livestreams',
      items: 2,
      files: 4,
      missing: ['livestreams/002-evidence.html', 'livestreams/002-evidence.json'],
    });
  });

  it('refuses a line it does not know, naming the ones it does', async () => {
    const result = await jobcast(['export', 'evidence', '--line', 'posters', '--year', '2026', '--out', 'packs/p.zip']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--line 可选 videos、livestreams、flyers、coverage、aiFairs、onsiteFairs');
  });

  it("writes an on-site fair line's pack with each fair's record", async () => {
    const result = await jobcast([
      'export',
      'evidence',
      '--line',
      'onsiteFairs',
      '--year',
      '2026',
      '--out',
      'packs/onsite.zip',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout);
    expect(printed).toMatchObject({ line: 'onsiteFairs', missing: [] });
    const files = await unzip(await readFile(path.join(dir, 'packs', 'onsite.zip')));
    expect([...files.keys()].slice(0, 5)).toEqual([
      '线下招聘会台账-2026.xlsx',
      'onsite-fairs/001-record.html',
      'onsite-fairs/001-record.json',
      'onsite-fairs/002-record.html',
      'onsite-fairs/002-record.json',
    ]);
    expect(printed.files).toBe(files.size - 1);
    expect(files.get('onsite-fairs/001-record.html')?.toString('utf8')).toContain('线下招聘会记录：春风行动线下招聘会');
  });
});
