import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  closeDatabase,
  createDatabase,
  createImportBatch,
  type Database,
  ensureSite,
  prepareJob,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Outcome, runJobcast } from './run-cli.ts';

let dir: string;
let site: string;
let db: Database;

function jobcast(args: string[], cwd?: string): Promise<Outcome> {
  return runJobcast(args, { site, cwd });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'jobcast-cli-jobs-'));
  site = `jobs-${randomBytes(3).toString('hex')}`;
  db = createDatabase(inject('databaseUrl'), 2);
  await ensureSite(db, { code: site, name: '清理测试站点' });
});
afterAll(async () => {
  await closeDatabase(db);
  await rm(dir, { recursive: true, force: true });
});

describe('jobcast import of a file that is not there', () => {
  it('names the file by its whole path, exits 2 and makes no batch', async () => {
    const result = await jobcast(['import', '岗位/不存在.csv'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`错误 [NOT_FOUND]：找不到文件：${path.join(dir, '岗位', '不存在.csv')}\n`);
    const batches = await db.$client.query("select 1 from import_batches where file_name = '不存在.csv'");
    expect(batches.rowCount).toBe(0);
  });
});

describe('jobcast jobs renormalize', () => {
  it('says in Chinese what it would change, changes it, and prints the same report as JSON', async () => {
    const siteId = (await ensureSite(db, { code: site, name: '清理测试站点' })).id;
    const header = ['单位名称', '岗位名称', '薪资待遇', '工作地点'];
    const cells = ['南昌某某投资有限公司 “”', '销售顾问', '底薪3000+提成', '上班地址 : 湖南省长沙市岳麓区'];
    const batch = await createImportBatch(db, { siteId, fileName: 'old.csv' });
    // As an importer before the cleaning stored the row: its values as written.
    await writeImportChunk(db, {
      siteId,
      batchId: batch.id,
      columns: header,
      rowsRead: 1,
      rejects: [],
      jobs: [
        prepareJob(
          testJobRecord({
            employerName: cells[0] as string,
            employerKey: '南昌某某投资有限公司',
            title: '销售顾问',
            payMin: 3000,
            payMax: null,
            payText: '底薪3000+提成',
            location: cells[3] as string,
            sourceJson: JSON.stringify(cells),
          }),
        ),
      ],
    });

    const dry = await jobcast(['jobs', 'renormalize', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('（试运行，没有写入任何改动）');
    expect(dry.stdout).toContain('将改动 1 个岗位');
    expect(dry.stdout).toContain('南昌某某投资有限公司 “” → 南昌某某投资有限公司');
    expect(dry.stdout).toContain('工作地点：上班地址 : 湖南省长沙市岳麓区 → 湖南省长沙市岳麓区');
    expect(dry.stdout.replaceAll(site, '')).not.toMatch(/[A-Za-z]{3,}/);

    const done = await jobcast(['jobs', 'renormalize', '--json']);
    expect(done.code).toBe(0);
    const report = JSON.parse(done.stdout);
    expect(Object.keys(report)).toEqual([
      'site',
      'dryRun',
      'jobs',
      'changed',
      'identityUpdated',
      'shared',
      'notesOnly',
      'employersRenamed',
      'leftAsIs',
      'changes',
    ]);
    expect(report).toMatchObject({ site, dryRun: false, jobs: 1, changed: 1, identityUpdated: 1 });
    expect(report.changes[0]).toMatchObject({
      title: '销售顾问',
      employer: '南昌某某投资有限公司',
      identity: 'updated',
      sameAs: null,
    });
    expect(report.changes[0].fields).toContainEqual({
      field: 'location',
      label: '工作地点',
      before: '上班地址 : 湖南省长沙市岳麓区',
      after: '湖南省长沙市岳麓区',
    });

    const listed = await jobcast(['jobs', 'list']);
    expect(listed.stdout).toMatch(
      /销售顾问\s+南昌某某投资有限公司\s+3000元\/月\+提成\s+.*湖南省长沙市岳麓区\s+\[全职\]/,
    );

    const file = path.join(dir, 'old.csv');
    await writeFile(file, [header, cells].map((row) => row.join(',')).join('\n'));
    const again = JSON.parse((await jobcast(['import', file, '--json'])).stdout);
    expect(again).toMatchObject({ rows: 1, imported: 0, updated: 0 });
    expect((await jobcast(['jobs', 'renormalize'])).stdout).toContain('没有需要清理的岗位');
  });
});
