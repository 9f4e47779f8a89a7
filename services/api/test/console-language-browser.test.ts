/**
 * Every console page in Debian's Chromium, as each role sees it: what a person reads is Chinese
 * (no Latin letters outside code, addresses, file names, units and a short list of names), and on a
 * phone's 375 px no page scrolls sideways. The pages come from the console's route table, so a new
 * page is visited without touching this file; their ids come from a site filled as the demo fills
 * one. Forms are also sent empty and with wrong values, and the answer is read the same way.
 * Screenshots go to data/test-results/screenshots/console-language/.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserRole } from '@jobcast/core';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageRoutes } from '../src/web/index.ts';
import { type ConsoleInBrowser, openConsoleInBrowser, pageWidth, screenshotsDir } from './browser-support.ts';
import { type DemoLikeSite, fillDemoLikeSite, STAFF_NAMES } from './demo-like-site.ts';
import { type ApiFixture, openFixture, password } from './fixture.ts';

const env = { JOBCAST_STREAM_PUBLIC_URL: 'https://stream.example.cn:8443' };
const ROLES: readonly UserRole[] = ['admin', 'media', 'anchor', 'manager'];
const PHONE = 375;
const DESKTOP = 1280;

/**
 * Latin words a Chinese office writes as they are: formats, protocols, the tools it names, units.
 * Anything else in Latin letters is a message left in English (or a code shown as if it were text).
 */
const ALLOWED_WORDS = new Set([
  ...['AI', 'JobCast', 'OBS', 'QR', 'RTMP', 'URL', 'Excel', 'Word', 'eSpeak', 'NG'],
  ...['CSV', 'GBK', 'JSON', 'PDF', 'ZIP', 'JPG', 'JPEG', 'PNG', 'WebP', 'MP4', 'MOV', 'HEVC', 'MP3', 'M4A', 'WAV'],
  ...['KB', 'MB', 'GB', 'px'],
]);
/** Addresses, e-mail, file names and numbers with their units: read as written. */
const VERBATIM = [
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s，。；、）)]*/gi,
  /\bwww\.[^\s，。；、）)]+/gi,
  /(?:^|[\s（(：:“"])\/[\w\-./?=&%{}:]*/g,
  /[\w.+-]+@[\w-]+\.[\w.]+/g,
  /[^\s，。；：、（）()“”"]*\.(?:mp4|mov|m4v|webm|flv|pdf|xlsx?|csv|jpe?g|png|webp|json|docx?|txt|html|zip|mp3|m4a|wav|aac|srt|vtt|md)\b/gi,
  /\d[\d.,]*\s*(?:KB|MB|GB|TB|kB|px|ms|fps|kbps|Kbps|Mbps|dB|LUFS|[KkWwpsx])\b/g,
  /\d+\s*[×x]\s*\d+/g,
  /\bH\.26[45]\b|\bA[345]\b|\b\d+K\b/g,
];

/** bull-board's own English UI, for deployment admins. Files (ledgers, evidence) are told apart by their type. */
const NOT_PAGES = new Set(['/admin/queues']);

interface Finding {
  role: UserRole | 'visitor';
  url: string;
  width: number;
  where: string;
  text: string;
}

let fx: ApiFixture;
let site: DemoLikeSite;
let web: ConsoleInBrowser;
let shotsDir: string;
const contexts = new Map<UserRole, BrowserContext>();

beforeAll(async () => {
  fx = await openFixture();
  site = await fillDemoLikeSite(fx, env, password);
  // Only this run's pages: a page that is gone leaves no picture behind.
  shotsDir = await screenshotsDir('console-language', { fresh: true });
  web = await openConsoleInBrowser(fx, { env, log: (line) => fx.logs.push(line) });
}, 120_000);
afterAll(async () => {
  await web?.close();
  await fx?.close();
});

/** The id a page's `:id` takes, by the path before it: a page with a parameter not here fails the test. */
function sampleIds(): Record<string, number> {
  const { ids } = site;
  return {
    '/jobs': ids.job,
    '/imports': ids.importBatch,
    '/renders': ids.render,
    '/live': ids.bookedSession,
    '/console/live': ids.bookedSession,
    '/screens/groups': ids.screenGroup,
    '/fairs': ids.aiFair,
    '/flyers': ids.flyerIssue,
    '/publications/coverage': ids.coverage,
  };
}
/** Values of a route's other parameters. */
const PARAM_SAMPLES: Record<string, string> = { file: 'videos.zip' };

/** Whether an address answers with a file (a ledger, an evidence pack): read up to its headers only. */
async function isFile(url: string, context: BrowserContext): Promise<boolean> {
  const cookie = (await context.cookies(web.url)).map(({ name, value }) => `${name}=${value}`).join('; ');
  const answer = await fetch(`${web.url}${url}`, { headers: { cookie }, redirect: 'manual' });
  await answer.body?.cancel();
  return !(answer.headers.get('content-type') ?? 'text/html').startsWith('text/html');
}

/** Every page a role may open, with real ids, and more views of some (a chosen screen, an ended livestream). */
async function pagesOf(role: UserRole, context: BrowserContext): Promise<string[]> {
  const ids = sampleIds();
  const urls: string[] = [];
  for (const route of pageRoutes) {
    if (route.method !== 'get' || route.access === 'public' || NOT_PAGES.has(route.path)) continue;
    if (!route.access.includes(role)) continue;
    const url = route.path
      .replace(/^(.*?)\/:id\{\[0-9\]\+\}/, (_, before: string) => {
        const id = ids[before];
        if (id === undefined) throw new Error(`no sample id for the page ${route.path}: add one to sampleIds()`);
        return `${before}/${id}`;
      })
      .replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => {
        const value = PARAM_SAMPLES[name];
        if (value === undefined)
          throw new Error(`no sample :${name} for the page ${route.path}: add one to PARAM_SAMPLES`);
        return value;
      });
    if (!(await isFile(url, context))) urls.push(url);
  }
  urls.push(
    `/screens?screen=${site.ids.screen}`,
    `/live/${site.ids.endedSession}`,
    `/fairs/${site.ids.onsiteFair}`,
    `/renders/${site.ids.failedRender}`,
  );
  return urls;
}

/** A file name for a page's screenshot: its path without the site's ids. */
function slug(url: string): string {
  return (
    url
      .replace(/^\//, '')
      .replace(/[^\w\u4e00-\u9fa5]+/g, '-')
      .replace(/\d+/g, 'n')
      .replace(/-+$/, '') || 'dashboard'
  );
}

const scanScript = fileURLToPath(new URL('./console-language-scan.js', import.meta.url));

/** What a person reads on the page that holds a Latin letter (see console-language-scan.js). */
function latinText(page: Page): Promise<{ where: string; text: string }[]> {
  return page.evaluate('consoleLanguage.latinText()');
}

/** The Latin words left once addresses, file names, units and the allowed words are taken out. */
function strayLatin(text: string): string[] {
  let rest = text;
  for (const pattern of VERBATIM) rest = rest.replace(pattern, ' ');
  return (rest.match(/[A-Za-z][A-Za-z0-9'-]*/g) ?? []).filter((word) => !ALLOWED_WORDS.has(word));
}

async function findings(page: Page, role: Finding['role'], url: string, width: number): Promise<Finding[]> {
  return (await latinText(page))
    .filter(({ text }) => strayLatin(text).length > 0)
    .map(({ where, text }) => ({ role, url, width, where, text }));
}

async function newContext(): Promise<BrowserContext> {
  const context = await web.browser.newContext({ viewport: { width: DESKTOP, height: 900 }, locale: 'zh-CN' });
  await context.addInitScript({ path: scanScript });
  return context;
}

async function signedIn(role: UserRole): Promise<BrowserContext> {
  const known = contexts.get(role);
  if (known) return known;
  const context = await newContext();
  const page = await context.newPage();
  await web.signIn(page, site.usernames[role]);
  await page.close();
  contexts.set(role, context);
  return context;
}

/** Reads the page at a desktop's width and a phone's, with screenshots of both when `shot` names them. */
async function readAtBothWidths(
  page: Page,
  role: Finding['role'],
  url: string,
  shot: string | null,
): Promise<{ findings: Finding[]; tooWide: string[] }> {
  await page.setViewportSize({ width: DESKTOP, height: 900 });
  const found = await findings(page, role, url, DESKTOP);
  if (shot) await page.screenshot({ path: path.join(shotsDir, `${shot}-${DESKTOP}.png`), fullPage: true });
  await page.setViewportSize({ width: PHONE, height: 800 });
  const width = await pageWidth(page);
  found.push(...(await findings(page, role, url, PHONE)));
  if (shot) await page.screenshot({ path: path.join(shotsDir, `${shot}-${PHONE}.png`), fullPage: true });
  await page.setViewportSize({ width: DESKTOP, height: 900 });
  return { findings: found, tooWide: width > PHONE + 1 ? [`${role} ${url}: ${width} px wide at ${PHONE} px`] : [] };
}

/** One entry per distinct (page, text): the same message at both widths is one finding. */
function distinct(list: Finding[]): string[] {
  return [...new Set(list.map((f) => `${f.role} ${f.url} ${f.where}: ${f.text.slice(0, 160)}`))];
}

describe('the console speaks Chinese, and fits a phone', () => {
  it('names each user by the name they were given', async () => {
    for (const role of ROLES) {
      const page = await (await signedIn(role)).newPage();
      await page.goto(`${web.url}/`);
      await expect(page.locator('header .who span').textContent()).resolves.toContain(STAFF_NAMES[role]);
      await page.close();
    }
  });

  it('the sign-in page, and its answers to a wrong password and an empty form', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const found: Finding[] = [];
    const tooWide: string[] = [];
    await page.goto(`${web.url}/login`);
    let read = await readAtBothWidths(page, 'visitor', '/login', 'login');
    found.push(...read.findings);
    tooWide.push(...read.tooWide);
    await page.getByLabel('用户名').fill(site.usernames.media);
    await page.getByLabel('密码').fill('wrong password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState();
    await expect(page.locator('.notice.error').textContent()).resolves.toMatch(/[\u4e00-\u9fa5]/);
    read = await readAtBothWidths(page, 'visitor', '/login (wrong password)', 'login-wrong-password');
    found.push(...read.findings);
    await page.evaluate('consoleLanguage.skipBrowserChecks()');
    await page.getByLabel('用户名').fill('');
    await page.getByLabel('密码').fill('');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForLoadState();
    read = await readAtBothWidths(page, 'visitor', '/login (empty)', null);
    found.push(...read.findings);
    await context.close();
    expect.soft(distinct(found)).toEqual([]);
    expect.soft(tooWide).toEqual([]);
  });

  for (const role of ROLES) {
    it(`every page the ${role} may open, at ${DESKTOP} and ${PHONE} px`, { timeout: 300_000 }, async () => {
      const context = await signedIn(role);
      const page = await context.newPage();
      const found: Finding[] = [];
      const tooWide: string[] = [];
      const failed: string[] = [];
      for (const url of await pagesOf(role, context)) {
        const response = await page.goto(`${web.url}${url}`, { waitUntil: 'load' });
        if (response?.status() !== 200) failed.push(`${url}: ${response?.status()}`);
        // Scripts fill some parts after load (the live console's preview, a list's counts).
        await page.waitForTimeout(150);
        // Screenshots of every page as the admin sees it, and of the pages only the others have.
        const read = await readAtBothWidths(page, role, url, role === 'admin' ? slug(url) : `${role}-${slug(url)}`);
        found.push(...read.findings);
        tooWide.push(...read.tooWide);
      }
      await page.close();
      expect.soft(failed).toEqual([]);
      expect.soft(distinct(found)).toEqual([]);
      expect.soft(tooWide).toEqual([]);
    });
  }

  it('forms sent empty, or with wrong values, answer in Chinese', { timeout: 300_000 }, async () => {
    const context = await signedIn('admin');
    const page = await context.newPage();
    const found: Finding[] = [];
    const tooWide: string[] = [];
    // Forms that end, delete or sign out: sent empty they would do just that.
    const lasting = /\/(delete|revoke|logout|end|key|retry)\b/;
    let shot = 0;
    for (const url of await pagesOf('admin', context)) {
      await page.goto(`${web.url}${url}`);
      // What the page said before: the form's answer is what is new (the page's own text is read above).
      const before = new Set((await latinText(page)).map(({ text }) => text));
      const forms = await page.evaluate<{ action: string; method: string }[]>('consoleLanguage.forms()');
      for (const [index, form] of forms.entries()) {
        if (lasting.test(form.action)) continue;
        for (const values of ['empty', 'wrong'] as const) {
          if (form.method === 'get' && values === 'empty') continue;
          await page.goto(`${web.url}${url}`);
          const sent = await page.evaluate<boolean>(`consoleLanguage.sendForm(${index}, '${values}')`);
          if (!sent) continue;
          await page.waitForLoadState('load');
          await page.waitForTimeout(300);
          const where = `${url} → form ${form.method.toUpperCase()} ${form.action || '(this page)'} sent ${values}`;
          shot += 1;
          const read = await readAtBothWidths(
            page,
            'admin',
            where,
            shot <= 40 ? `form-${String(shot).padStart(2, '0')}-${slug(form.action || url)}-${values}` : null,
          );
          found.push(...read.findings.filter((finding) => !before.has(finding.text)));
          tooWide.push(...read.tooWide);
        }
      }
    }
    await page.close();
    expect.soft(distinct(found)).toEqual([]);
    expect.soft(tooWide).toEqual([]);
    // A wrong value is the sender's mistake: no page or API call failed on one as the server's own.
    expect.soft(fx.logs.filter((line) => / page \w+ \S+ failed: | → 5\d\d /.test(line))).toEqual([]);
  });

  it('addresses with a wrong id or query answer in Chinese', async () => {
    const page = await (await signedIn('admin')).newPage();
    const found: Finding[] = [];
    const urls = [
      '/jobs/2147483647',
      '/jobs/99999999999',
      '/renders/2147483647',
      '/live/2147483647',
      '/fairs/2147483647',
      '/flyers/2147483647',
      '/screens/groups/2147483647',
      '/imports/2147483647',
      '/jobs?category=临时工&page=-1',
      '/fairs?year=abc',
      '/publications?year=1999',
      '/screens?screen=abc',
      '/no-such-page',
    ];
    for (const url of urls) {
      await page.goto(`${web.url}${url}`);
      found.push(...(await findings(page, 'admin', url, DESKTOP)));
    }
    await page.screenshot({ path: path.join(shotsDir, `not-found-${DESKTOP}.png`), fullPage: true });
    await page.close();
    expect(distinct(found)).toEqual([]);
  });
});

describe('what counts as English', () => {
  it.each([
    ['RTMP 地址：rtmp://stream.example.cn/live', []],
    ['下载 台账-2026.xlsx（1.2 MB）', []],
    ['视频 1080×1920，32 s', []],
    ['用 OBS 推流，复制 URL', []],
    ['视频：MP4 或 MOV（H.264/HEVC），最大 4K；音乐：MP3、M4A', []],
    ['每行一个 rtmp:// 推流地址', []],
    ['请求参数有误 (invalid body)', ['invalid', 'body']],
    ['模板 job-spotlight', ['job-spotlight']],
    ['演示manager', ['manager']],
    [
      'Invalid input: expected string, received undefined',
      ['Invalid', 'input', 'expected', 'string', 'received', 'undefined'],
    ],
  ])('%s', (text, words) => {
    expect(strayLatin(text)).toEqual(words);
  });
});
