import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { closeDatabase, createDatabase, type Database, startScreenPairing } from '@jobcast/db';
import type {} from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/jobcast.js', import.meta.url));
let site: string;
let db: Database;

function jobcast(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, DATABASE_URL: inject('databaseUrl'), JOBCAST_SITE: site } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  site = `screens-${randomBytes(3).toString('hex')}`;
  db = createDatabase(inject('databaseUrl'), 2);
  expect((await jobcast(['sites', 'add', site, '--name', '屏幕测试站点'])).code).toBe(0);
});
afterAll(async () => {
  await closeDatabase(db);
});

describe('jobcast screens', () => {
  it('pairs a screen only into a group that exists (or one it is told to make), and sets the group’s windows', async () => {
    const code = String(randomInt(100_000, 1_000_000));
    await startScreenPairing(db, { tokenHash: randomBytes(32).toString('hex'), clientAddress: null, code: () => code });
    expect((await jobcast(['screens', 'group', '大厅', '--create-group'])).code).toBe(0);

    const unknown = await jobcast(['screens', 'pair', code, '--group', '零工驿站', '--name', '驿站电视']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      '没有名为“零工驿站”的屏幕分组。现有分组：大厅。要新建这个分组，请加 --create-group',
    );

    const paired = await jobcast([
      'screens',
      'pair',
      code,
      '--group',
      '零工驿站',
      '--name',
      '驿站电视',
      '--create-group',
    ]);
    expect(paired.stderr).toBe('');
    expect(paired.stdout).toContain('已配对屏幕');

    const group = await jobcast([
      'screens',
      'group',
      '零工驿站',
      '--window',
      '1-5 8:30-17:30',
      '--window',
      '6,7 09:00-12:00',
      '--json',
    ]);
    expect(group.stderr).toBe('');
    expect(JSON.parse(group.stdout)).toMatchObject({
      name: '零工驿站',
      screens: 1,
      windowsText: ['周一至周五 08:30–17:30', '周六、周日 09:00–12:00'],
    });
    const backwards = await jobcast(['screens', 'group', '零工驿站', '--window', '1-5 18:00-09:00']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('第 1 个播放时段（周一至周五）的开始时间 18:00 须早于结束时间 09:00');

    const listed = JSON.parse((await jobcast(['screens', 'list', '--json'])).stdout) as {
      name: string;
      status: string;
    }[];
    expect(listed).toEqual([expect.objectContaining({ name: '驿站电视', status: 'never' })]);
  });
});
