/**
 * What the console's browser tests share: the API server with Debian's Chromium beside it, pages
 * signed in as a user at a phone's or a desktop's width, where their screenshots go, and the checks
 * every page must pass at any width: nothing scrolls the page sideways, and no text is broken into a
 * character or two a line. The checks run in the page as strings: the tests' TypeScript has no DOM types.
 */
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { type ApiServer, startApiServer } from '../src/index.ts';
import { launchChromium } from '../src/testing.ts';
import { type ApiFixture, password } from './fixture.ts';

export interface ConsoleInBrowser {
  /** The API server's address, pages and API alike. */
  url: string;
  browser: Browser;
  /** Signs `username` in on the sign-in page, in `page`, and waits for the dashboard. */
  signIn(page: Page, username: string): Promise<void>;
  /** A page of a browser context of its own, `width` × `height` in a Chinese locale, signed in as `username`. */
  signedIn(username: string, width: number, height?: number): Promise<Page>;
  close(): Promise<void>;
}

/** The fixture's API on a port of its own, with Chromium: `env` as the fixture's configuration takes it. */
export async function openConsoleInBrowser(
  fx: ApiFixture,
  options: { env?: Record<string, string>; log?: (line: string) => void } = {},
): Promise<ConsoleInBrowser> {
  const server: ApiServer = await startApiServer({
    db: fx.db,
    producer: fx.producer,
    config: fx.config(options.env),
    ...(options.log ? { log: options.log } : {}),
    port: 0,
  });
  const browser = await launchChromium().catch(async (error: unknown) => {
    await server.close();
    throw error;
  });
  const signIn = async (page: Page, username: string) => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${server.url}/`);
  };
  return {
    url: server.url,
    browser,
    signIn,
    async signedIn(username, width, height = 900) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN' });
      const page = await context.newPage();
      await signIn(page, username);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/**
 * The folder a test's screenshots go to, `data/test-results/screenshots/<name>/`, made if need be;
 * `fresh` empties it first, so a page that is gone leaves no picture behind.
 */
export async function screenshotsDir(name: string, options: { fresh?: boolean } = {}): Promise<string> {
  const dir = fileURLToPath(new URL(`../../../data/test-results/screenshots/${name}/`, import.meta.url));
  if (options.fresh) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/** How wide the page is: wider than its window, and it scrolls sideways. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** Nothing may scroll the whole page sideways. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
}

/**
 * In the page: how many lines the text nodes `nodes` take, by the tops of their rendered boxes (boxes
 * less than half an `em` apart stand on one line).
 */
const LINES_OF = `function linesOf(nodes, em) {
  const tops = [];
  for (const node of nodes) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const rect of range.getClientRects()) {
      if (rect.width > 0 && !tops.some((top) => Math.abs(top - rect.top) < em / 2)) tops.push(rect.top);
    }
  }
  return Math.max(1, tops.length);
}
function textNodesOf(root) {
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  return nodes;
}`;

/**
 * Texts under `selector` broken into lines of one or two characters: a column too narrow for its
 * words. Each text of three characters or more is measured by the lines its rendered boxes take.
 */
export function brokenWords(page: Page, selector: string): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    ${LINES_OF}
    const broken = [];
    for (const root of document.querySelectorAll(${JSON.stringify(selector)})) {
      for (const node of textNodesOf(root)) {
        const text = node.textContent.trim();
        const chars = [...text].length;
        if (chars < 3) continue;
        const lines = linesOf([node], parseFloat(getComputedStyle(node.parentElement).fontSize));
        if (lines > 1 && chars / lines < 3) broken.push(text + '（' + lines + ' 行）');
      }
    }
    return broken;
  })()`);
}

/**
 * The list cells a person could not read: text wrapped to fewer than 4 characters a line (a column
 * squeezed to one or two characters), text running out of its cell, or on a phone a cell narrower
 * than 4 characters holding more than a short number. Each is described as "text (width px, lines)".
 */
export function squeezedCells(page: Page, phone: boolean): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    ${LINES_OF}
    const squeezed = [];
    for (const cell of document.querySelectorAll('table[data-list] td')) {
      const style = getComputedStyle(cell);
      const text = cell.innerText.replace(/\\s+/g, '');
      if (style.display === 'none' || text === '') continue;
      const em = parseFloat(style.fontSize);
      const lines = linesOf(textNodesOf(cell), em);
      const width = cell.getBoundingClientRect().width;
      const chars = [...text].length;
      const overflows = cell.scrollWidth > cell.clientWidth + 1;
      if ((lines > 1 && chars / lines < 4) || overflows || (${phone} && width < 4 * em && chars > 4)) {
        squeezed.push(text.slice(0, 30) + ' (' + Math.round(width) + ' px, ' + lines + ' lines)');
      }
    }
    return squeezed;
  })()`);
}
