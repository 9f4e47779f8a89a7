import { type UserRole, userRoles } from '@jobcast/core';
import {
  createImportBatch,
  failImportBatch,
  finishImportBatch,
  type JobRecord,
  prepareJob,
  schema,
  writeImportChunk,
} from '@jobcast/db';
import { testJobRecord } from '@jobcast/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, addSiteWithStaff, type BrowserSession, openFixture } from './fixture.ts';

let fx: ApiFixture;
let sessions: Record<UserRole, BrowserSession>;
const jobIds = new Map<string, number>();

/** Jobs written the way an import writes them, without a file: for the list, search and escaping. */
async function seedJobs(records: (Partial<JobRecord> & { employerName: string; title: string })[]): Promise<void> {
  const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'seed.csv' });
  await writeImportChunk(fx.db, {
    siteId: fx.site.id,
    batchId: batch.id,
    rowsRead: records.length,
    rejects: [],
    jobs: records.map((record, i) => prepareJob(testJobRecord({ rowNumber: i + 2, ...record }))),
  });
  const rows = await fx.db
    .select({ id: schema.jobs.id, title: schema.jobs.title })
    .from(schema.jobs)
    .where(eq(schema.jobs.siteId, fx.site.id));
  for (const row of rows) jobIds.set(row.title, row.id);
}

beforeAll(async () => {
  fx = await openFixture();
  sessions = Object.fromEntries(
    await Promise.all(userRoles.map(async (role) => [role, await fx.signIn(role)] as const)),
  ) as Record<UserRole, BrowserSession>;
  await seedJobs([
    { employerName: '南昌洪城物流有限公司', title: '叉车司机', payText: '6000-8000元/月', payMin: 6000, payMax: 8000 },
    { employerName: '南昌瑶湖家政服务有限公司', title: '钟点保洁', category: 'gig', location: '南昌市红谷滩区' },
    { employerName: '南昌示范科技有限公司', title: '<script>alert("x")</script>测试员' },
    ...Array.from({ length: 27 }, (_, i) => ({ employerName: '南昌分页电子厂', title: `装配工${i + 1}号` })),
  ]);
});
afterAll(async () => {
  await fx.close();
});

/** A page as the role's browser gets it; `after` is the response that sent it there (its notice rides in a cookie). */
async function page(
  path: string,
  role: UserRole = 'manager',
  after?: Response,
): Promise<{ status: number; html: string }> {
  const flash = /jc_flash=[^;]*/.exec(after?.headers.get('set-cookie') ?? '')?.[0];
  const cookie = flash ? `${sessions[role].cookie}; ${flash}` : sessions[role].cookie;
  const response = await fx.app().request(path, { headers: { cookie } });
  return { status: response.status, html: await response.text() };
}

function upload(
  role: UserRole,
  file: Blob,
  name: string,
  options: { csrf?: string; env?: Record<string, string> } = {},
) {
  const form = new FormData();
  form.append('_csrf', options.csrf ?? sessions[role].csrf);
  form.append('file', file, name);
  form.append('sheet', '');
  return fx.app({ env: options.env }).request('/jobs/import', {
    method: 'POST',
    headers: { cookie: sessions[role].cookie, origin: 'http://localhost' },
    body: form,
  });
}

describe('the job list', () => {
  it('opens for every role; only admins and media get the upload form', async () => {
    for (const role of userRoles) {
      const { status, html } = await page('/jobs', role);
      expect(status, role).toBe(200);
      expect(html).toContain('叉车司机');
      expect(html).toContain('6000-8000元/月');
      expect(html).toContain(`href="/jobs/${jobIds.get('叉车司机')}"`);
      expect(html.includes('action="/jobs/import"'), role).toBe(role === 'admin' || role === 'media');
    }
  });

  it('finds jobs by keyword and by category', async () => {
    const byKeyword = await page(`/jobs?q=${encodeURIComponent('叉车')}`);
    expect(byKeyword.html).toContain('共 1 个岗位符合条件');
    expect(byKeyword.html).toContain('叉车司机');
    expect(byKeyword.html).not.toContain('钟点保洁');

    const byPlace = await page(`/jobs?q=${encodeURIComponent('红谷滩')}`);
    expect(byPlace.html).toContain('钟点保洁');
    expect(byPlace.html).not.toContain('叉车司机');

    const gigs = await page('/jobs?category=gig');
    expect(gigs.html).toContain('钟点保洁');
    expect(gigs.html).not.toContain('叉车司机');
    expect(gigs.html).toMatch(/<option value="gig" selected="">零工<\/option>/);

    // The category as a person types it, as its code would.
    for (const typed of ['零工', ' 零工 ']) {
      const byName = await page(`/jobs?category=${encodeURIComponent(typed)}`);
      expect(byName.status).toBe(200);
      expect(byName.html).toContain('钟点保洁');
      expect(byName.html).not.toContain('叉车司机');
      expect(byName.html).toMatch(/<option value="gig" selected="">零工<\/option>/);
    }
    const unknown = await page(`/jobs?category=${encodeURIComponent('临工')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.html).toContain('没有“临工”这个类别，可选：全职、兼职、零工、实习；下面显示全部类别');
    expect(unknown.html).toContain('叉车司机');

    const none = await page(`/jobs?q=${encodeURIComponent('宇航员')}`);
    expect(none.html).toContain('没有符合条件的岗位');

    // A NUL in a crafted address is dropped, not a failed page.
    const nul = await page('/jobs?q=%E5%8F%89%00%E8%BD%A6');
    expect(nul.status).toBe(200);
    expect(nul.html).toContain('叉车司机');
  });

  it('splits a long list into pages of 25, keeping the search and the category', async () => {
    const q = encodeURIComponent('分页电子厂');
    const first = await page(`/jobs?q=${q}&category=${encodeURIComponent('全职')}`);
    expect(first.html).toContain('共 27 个岗位符合条件');
    expect(first.html).toContain('第 1 / 2 页，共 27 条');
    expect(first.html.match(/href="\/jobs\/\d+"/g)).toHaveLength(25);
    expect(first.html).toContain(`href="/jobs?q=${q}&amp;category=full-time&amp;page=2"`);

    const second = await page(`/jobs?q=${q}&page=2`);
    expect(second.html.match(/href="\/jobs\/\d+"/g)).toHaveLength(2);
    expect(second.html).toContain('上一页');
    expect(second.html).not.toContain('下一页');

    // Past the last page (an old link): nothing listed, and the way back to the last page.
    const beyond = await page('/jobs?page=99');
    expect(beyond.html).toContain('这一页没有岗位。');
    expect(beyond.html).toContain('href="/jobs?page=2" rel="prev"');
  });

  it('shows a job title holding HTML as text, never as markup', async () => {
    const id = jobIds.get('<script>alert("x")</script>测试员');
    for (const path of ['/jobs', `/jobs/${id}`]) {
      const { html } = await page(path);
      expect(html, path).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;测试员');
      expect(html, path).not.toContain('<script>alert');
    }
  });

  it("answers 404 for another site's job, as for one that does not exist", async () => {
    const other = await addSiteWithStaff(fx.db);
    const batch = await createImportBatch(fx.db, { siteId: other.site.id, fileName: 'theirs.csv' });
    await writeImportChunk(fx.db, {
      siteId: other.site.id,
      batchId: batch.id,
      rowsRead: 1,
      rejects: [],
      jobs: [prepareJob(testJobRecord({ employerName: '别的站点的单位', title: '别的站点的岗位' }))],
    });
    const [theirs] = await fx.db
      .select({ id: schema.jobs.id })
      .from(schema.jobs)
      .where(eq(schema.jobs.siteId, other.site.id));
    const foreign = await page(`/jobs/${theirs?.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.html).not.toContain('别的站点的岗位');
    const missing = await page('/jobs/2147483000');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('岗位 2147483000 不存在');
    // Past the database's ids: nothing by that number either, not a server error.
    for (const path of ['/jobs/99999999999', '/imports/99999999999']) {
      const beyond = await page(path);
      expect(beyond.status, path).toBe(404);
      expect(beyond.html, path).toContain('找不到');
    }
  });
});

describe('importing a job file from the console', () => {
  const csv = [
    '单位名称,岗位名称,薪资待遇,招聘人数,工作地点,联系人,联系电话,截止日期,岗位类型',
    '南昌上传物流有限公司,理货员,4000-6000元/月,3人,南昌市青山湖区,李女士,13912345678,2099-12-31,全职',
    ',搬运工,4500元/月,2人,南昌市,,,,全职',
    '南昌上传餐饮有限公司,帮厨,20-25元/时,2人,南昌市西湖区,王先生,0791-88886666,,零工',
  ].join('\n');

  it('queues the upload and follows it: the page refreshes itself until the importer is done', async () => {
    const response = await upload('media', new Blob([csv], { type: 'text/csv' }), '四月岗位.csv');
    expect(response.status).toBe(303);
    const location = response.headers.get('location') ?? '';
    const batchId = Number(/^\/imports\/(\d+)$/.exec(location)?.[1]);
    expect(await fx.producer.has('import', `import-${batchId}`)).toBe(true);

    const queued = await page(location, 'media', response);
    expect(queued.html).toContain('已上传“四月岗位.csv”，正在导入');
    expect(queued.html).toContain('排队中');
    expect(queued.html).toContain('http-equiv="refresh"');

    const list = await page('/imports', 'anchor');
    expect(list.html).toContain(`href="/imports/${batchId}"`);
    expect(list.html).toContain('四月岗位.csv');
  });

  it('names the fields of rejected rows and warnings in Chinese, also where a file named its columns in English', async () => {
    // A JSON file keyed `title`, `employer`, `pay` stores those keys as the rows' columns.
    const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'jobs.json' });
    await writeImportChunk(fx.db, {
      siteId: fx.site.id,
      batchId: batch.id,
      rowsRead: 3,
      rejects: [
        { rowNumber: 2, field: 'title', reason: '缺少职位名称', value: null },
        { rowNumber: 3, field: 'employer', reason: '缺少公司名称', value: null },
        { rowNumber: 4, field: '岗位名称', reason: '职位名称超过 200 字', value: null },
      ],
      jobs: [],
    });
    await finishImportBatch(fx.db, batch.id, {
      rows: 3,
      imported: 0,
      updated: 0,
      duplicates: 0,
      rejected: 3,
      warnings: 1,
      warningSamples: [{ row: 5, field: 'pay', reason: '薪资无法识别，按原文保留' }],
      message: '读取 3 行：拒绝 3 行',
    });
    const { html } = await page(`/imports/${batch.id}`, 'media');
    const cells = [...html.matchAll(/<td class="num">(\d+)<\/td><td>([^<]*)<\/td>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(cells).toEqual(['2 职位名称', '3 公司名称', '4 岗位名称', '5 薪资']);
  });

  it('shows the reasons an earlier version stored with an English gloss in Chinese only', async () => {
    const batch = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'old.csv' });
    await writeImportChunk(fx.db, {
      siteId: fx.site.id,
      batchId: batch.id,
      rowsRead: 1,
      rejects: [
        {
          rowNumber: 2,
          field: 'title',
          reason: '引号使用有误，本行无法读取 (malformed quotes: row skipped)',
          value: null,
        },
      ],
      jobs: [],
    });
    await finishImportBatch(fx.db, batch.id, {
      rows: 1,
      imported: 0,
      updated: 0,
      duplicates: 0,
      rejected: 1,
      warnings: 1,
      warningSamples: [
        { row: 3, field: 'validFrom', reason: '发布日期无法识别，按原文保留 (date not understood, kept as text)' },
      ],
      message: '读取 1 行：拒绝 1 行',
    });
    const { html } = await page(`/imports/${batch.id}`, 'media');
    expect(html).toContain('<td>引号使用有误，本行无法读取</td>');
    expect(html).toContain('<td>发布日期无法识别，按原文保留</td>');
    expect(html).not.toMatch(/malformed|not understood/);

    const failed = await createImportBatch(fx.db, { siteId: fx.site.id, fileName: 'old.xlsx' });
    await failImportBatch(fx.db, failed.id, {
      code: 'UNREADABLE_FILE',
      message: 'old.xlsx：压缩包里没有工作表，不是 Excel 文件 (a zip without worksheets, not an XLSX)',
    });
    const notice = (await page(`/imports/${failed.id}`, 'media')).html;
    expect(notice).toContain('old.xlsx：压缩包里没有工作表，不是 Excel 文件');
    expect(notice).not.toContain('without worksheets');
  });

  it('says what is wrong with a file of the wrong type, an empty one and one above the limit', async () => {
    const before = (await fx.db.select().from(schema.importBatches)).length;

    const word = await upload('media', new Blob(['PK\u0003\u0004']), '岗位表.docx');
    expect(word.status).toBe(400);
    const wordHtml = await word.text();
    expect(wordHtml).toContain('“岗位表.docx”不是 CSV、XLSX 或 JSON 文件');
    expect(wordHtml).toContain('action="/jobs/import"');

    const empty = await upload('admin', new Blob([]), 'empty.csv');
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('岗位文件：内容是空的');

    const big = await upload('media', new Blob(['x'.repeat(2048)]), 'big.csv', {
      env: { JOBCAST_UPLOAD_LIMIT_MB: String(1 / 1024) },
    });
    expect(big.status).toBe(413);
    expect(await big.text()).toContain('上传文件超过 1 KB 上限');

    expect((await fx.db.select().from(schema.importBatches)).length).toBe(before);
  });

  it('refuses managers and anchors, and a form without its security token', async () => {
    for (const role of ['manager', 'anchor'] as const) {
      const response = await upload(role, new Blob([csv]), 'jobs.csv');
      expect(response.status, role).toBe(403);
      expect(await response.text()).toContain('无权访问');
    }
    const forged = await upload('media', new Blob([csv]), 'jobs.csv', { csrf: 'forged' });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('表单已失效');
  });
});
