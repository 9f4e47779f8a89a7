/** @jsxImportSource hono/jsx */
import { type ErrorCode, isJobcastError, type UserRole, userRoles } from '@jobcast/core';
import type { Context, Handler, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { readWebSession } from '../auth.ts';
import { limitBody } from '../body-limit.ts';
import type { AppEnv } from '../context.ts';
import { databaseUnavailable, httpStatusOf, logDetail } from '../errors.ts';
import { ROLE_LABELS } from '../roles.ts';
import type { Access } from '../routing.ts';
import { receiveForm } from '../uploads.ts';

/**
 * The console's pages: server-rendered HTML in Simplified Chinese. Every page is declared with who
 * may open it, like the API's routes, so one table answers "which role sees what" and a test walks it.
 */
export interface PageRoute {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handler: Handler<AppEnv>;
  /** A form with a file (field `file`): written to disk in an upload place; other forms are small. */
  fileForm?: boolean;
}

export function definePage(
  access: Access,
  method: 'get' | 'post',
  path: string,
  handler: Handler<AppEnv>,
  options: { fileForm?: boolean } = {},
): PageRoute {
  return { method, path, access, handler, ...options };
}

export type NavId =
  | 'dashboard'
  | 'jobs'
  | 'renders'
  | 'publications'
  | 'live'
  | 'screens'
  | 'fairs'
  | 'flyers'
  | 'admin';

/**
 * The console's sections, and who sees each in the menu (the pages check again); `deploymentAdmin`:
 * only for deployment-wide administrators (系统管理员).
 */
export const NAV: readonly {
  id: NavId;
  label: string;
  href: string;
  roles: readonly UserRole[];
  deploymentAdmin?: boolean;
}[] = [
  { id: 'dashboard', label: '工作台', href: '/', roles: userRoles },
  { id: 'jobs', label: '岗位', href: '/jobs', roles: userRoles },
  { id: 'renders', label: '制作', href: '/renders', roles: userRoles },
  { id: 'publications', label: '发布', href: '/publications', roles: userRoles },
  { id: 'live', label: '直播', href: '/live', roles: userRoles },
  { id: 'screens', label: '屏幕', href: '/screens', roles: userRoles },
  { id: 'fairs', label: '招聘会', href: '/fairs', roles: userRoles },
  { id: 'flyers', label: '招工小报', href: '/flyers', roles: userRoles },
  { id: 'admin', label: '队列', href: '/admin/queues', roles: ['admin'], deploymentAdmin: true },
];

const FLASH_COOKIE = 'jc_flash';

/**
 * The console's headers: its own script and stylesheet only, images from itself (renders, covers)
 * or data: URLs, media from itself and the player's blobs, forms posted back to itself, no framing.
 * `connect` adds an origin scripts may reach (the stream service's preview).
 */
export function consoleHeaders(connect?: string): Record<string, string> {
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "media-src 'self' blob:",
      connect ? `connect-src 'self' ${connect}` : "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

/** The hidden field every form that changes something carries. */
export function CsrfField(props: { c: Context<AppEnv> }) {
  return <input type="hidden" name="_csrf" value={props.c.var.web?.csrfToken ?? ''} />;
}

export interface PageOptions {
  title: string;
  active?: NavId;
  status?: ContentfulStatusCode;
  /** An origin the page's script may connect to besides this one. */
  connect?: string;
  /** Extra files of this page from the assets folder (`live.js`, `dashboard.css`). */
  assets?: string[];
  /** A message shown above the page: what just happened, or what went wrong. */
  notice?: { kind: 'ok' | 'error'; text: string } | undefined;
}

function Layout(props: { c: Context<AppEnv>; options: PageOptions; flash: string | undefined; children: Child }) {
  const { c, options, flash } = props;
  const web = c.var.web;
  const role = web?.principal.role;
  const notices = [
    ...(flash ? [{ kind: 'ok' as const, text: flash }] : []),
    ...(options.notice ? [options.notice] : []),
  ];
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="csrf-token" content={web?.csrfToken ?? ''} />
        <title>{`${options.title} · 岗播 JobCast`}</title>
        <link rel="stylesheet" href="/assets/console.css" />
        <script src="/assets/console.js" defer />
        {(options.assets ?? []).map((name) =>
          name.endsWith('.css') ? (
            <link rel="stylesheet" href={`/assets/${name}`} />
          ) : (
            <script src={`/assets/${name}`} defer />
          ),
        )}
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/">
            岗播
          </a>
          {web && role ? (
            <>
              <nav class="nav">
                {NAV.filter((item) => item.roles.includes(role) && (!item.deploymentAdmin || web.deploymentAdmin)).map(
                  (item) => (
                    <a href={item.href} class={item.id === options.active ? 'active' : undefined}>
                      {item.label}
                    </a>
                  ),
                )}
              </nav>
              <form class="who" method="post" action="/logout">
                <span>
                  {web.displayName}（{ROLE_LABELS[role]}）
                </span>
                <CsrfField c={c} />
                <button type="submit" class="link">
                  退出
                </button>
              </form>
            </>
          ) : null}
        </header>
        <main>
          {notices.map((notice) => (
            <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
            </p>
          ))}
          <h1>{options.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Answers with a console page: the layout (menu for the signed-in role), the notice, the body. */
export function renderPage(c: Context<AppEnv>, options: PageOptions, body: Child) {
  const flash = getCookie(c, FLASH_COOKIE);
  if (flash) deleteCookie(c, FLASH_COOKIE, { path: '/' });
  const text = flash ? safeFlash(flash) : undefined;
  return c.html(
    <>
      {raw('<!DOCTYPE html>')}
      <Layout c={c} options={options} flash={text}>
        {body}
      </Layout>
    </>,
    options.status ?? 200,
    consoleHeaders(options.connect),
  );
}

function safeFlash(value: string): string | undefined {
  try {
    return decodeURIComponent(value).slice(0, 300);
  } catch {
    return undefined;
  }
}

/** After a form did its work: go to `location` (a path of this site) and say what happened there. */
export function redirectWithNotice(c: Context<AppEnv>, location: string, text: string) {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(text), {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.var.services.config.publicUrl.startsWith('https:'),
    maxAge: 60,
  });
  return c.redirect(localPath(location), 303);
}

const LOCAL = 'http://console.invalid';

/**
 * `path` if it stays on this site, else `/`: what a redirect built from input may follow. Read as a
 * browser reads it, so `//evil.example`, `/\evil.example` and `/<tab>/evil.example` are all refused.
 */
export function localPath(path: string | undefined): string {
  if (!path?.startsWith('/')) return '/';
  try {
    const url = new URL(path, LOCAL);
    // `/..//evil.example` stays here only until it is written back as `//evil.example`.
    const local = url.origin === LOCAL && !url.pathname.startsWith('//');
    return local ? `${url.pathname}${url.search}${url.hash}` : '/';
  } catch {
    return '/';
  }
}

/** A form's fields as strings (the last value of a repeated field; `all` gives every value). */
export async function formFields(c: Context<AppEnv>): Promise<{
  get(name: string): string;
  all(name: string): string[];
  file(name: string): File | null;
}> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string) => {
    const value = body[name];
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
  };
  return {
    get: (name) => {
      const last = values(name).at(-1);
      return typeof last === 'string' ? last : '';
    },
    all: (name) => values(name).filter((value): value is string => typeof value === 'string'),
    file: (name) => {
      const last = values(name).at(-1);
      return last instanceof File ? last : null;
    },
  };
}

/** What a person reads when something went wrong: the domain message (never a 500's internals). */
export function errorText(error: unknown): { status: ContentfulStatusCode; code: ErrorCode; text: string } {
  if (error instanceof Error && databaseUnavailable(error)) {
    return { status: 503, code: 'UNAVAILABLE', text: '数据库暂时不可用，请稍后刷新页面重试' };
  }
  if (isJobcastError(error)) {
    const status = httpStatusOf[error.code];
    return { status, code: error.code, text: status === 500 ? '服务器内部错误，请稍后再试' : error.message };
  }
  return { status: 500, code: 'INTERNAL', text: '服务器内部错误，请稍后再试' };
}

/**
 * Guards of a page: a visitor without a session is sent to sign in (and brought back after); a role
 * that may not open it gets a 403 page; a form post must carry the session's CSRF token.
 */
export function pageGuards(route: PageRoute): MiddlewareHandler<AppEnv>[] {
  // Sign-in and sign-out are posted before there is a session: a few fields, never a large body.
  if (route.access === 'public') return route.method === 'post' ? [publicFormLimit] : [];
  const roles = route.access;
  return [
    async (c, next) => {
      if (!(await readWebSession(c))) {
        if (route.method === 'get') {
          const url = new URL(c.req.url);
          return c.redirect(`/login?next=${encodeURIComponent(localPath(url.pathname + url.search))}`, 303);
        }
        return renderPage(
          c,
          {
            title: '请先登录',
            status: 401,
            notice: { kind: 'error', text: '登录已过期，请重新登录后再提交' },
          },
          <p>
            <a href="/login">去登录</a>
          </p>,
        );
      }
      const role = c.var.principal.role;
      if (!roles.includes(role)) {
        return renderPage(
          c,
          {
            title: '无权访问',
            status: 403,
            notice: { kind: 'error', text: `您的角色（${ROLE_LABELS[role]}）不能使用这个页面` },
          },
          <p>
            <a href="/">回到工作台</a>
          </p>,
        );
      }
      return next();
    },
    ...(route.method === 'post' ? [route.fileForm ? fileFormLimit : formLimit, checkCsrf] : []),
  ];
}

/**
 * A form is read (for its token) before the page sees it: a form without a file is a few fields,
 * read in memory and refused past 1 MB. A form with a file (a job list, only on the pages that take
 * one) is written to disk as it arrives, in one of the upload places, never held whole; its token,
 * sent before the file, is checked before the file is written.
 */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const formLimit = limitBody(() => FORM_OVERHEAD_BYTES, '提交的内容');
const csrfRefused = new Error('csrf token refused before the file');
const receiveFileForm = receiveForm({
  fileField: 'file',
  maxBytes: (config) => config.uploadLimitBytes + FORM_OVERHEAD_BYTES,
  what: '提交的内容',
  fileLimit: { maxBytes: (config) => config.uploadLimitBytes, what: '上传文件' },
  beforeFile: (c, fields) => {
    if ((c.req.header('X-CSRF-Token') ?? fields.get('_csrf')) !== c.var.web?.csrfToken) throw csrfRefused;
  },
  otherwise: formLimit,
});
const fileFormLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('X-CSRF-Token');
  if (header !== undefined && header !== c.var.web?.csrfToken) return csrfPage(c);
  try {
    return await receiveFileForm(c, next);
  } catch (error) {
    if (error === csrfRefused) return csrfPage(c);
    throw error;
  }
};
const publicFormLimit = limitBody(() => 16 * 1024, '提交的内容');

const checkCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('X-CSRF-Token');
  const token = header ?? (await formFields(c)).get('_csrf');
  if (token === c.var.web?.csrfToken) return next();
  return csrfPage(c);
};

function csrfPage(c: Context<AppEnv>) {
  return renderPage(
    c,
    {
      title: '表单已失效',
      status: 403,
      notice: { kind: 'error', text: '表单已失效（缺少或错误的安全令牌），请刷新页面后重新提交' },
    },
    <p>
      <a href="/">回到工作台</a>
    </p>,
  );
}

/** Whatever a page's guard or handler throws becomes a page saying what went wrong, not JSON. */
export function asPage(middleware: MiddlewareHandler<AppEnv>, log: (line: string) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    try {
      return await middleware(c, next);
    } catch (error) {
      const { status, text } = errorText(error);
      const lostDatabase = error instanceof Error ? databaseUnavailable(error) : undefined;
      if (lostDatabase) {
        log(
          `[${c.var.requestId}] page ${c.req.method} ${c.req.path} failed: database unavailable: ${lostDatabase.message}`,
        );
        c.header('Retry-After', '15');
      } else if (status === 500) {
        const detail = error instanceof Error ? logDetail(error) : String(error);
        log(`[${c.var.requestId}] page ${c.req.method} ${c.req.path} failed: ${detail}`);
      }
      return renderPage(
        c,
        { title: status === 404 ? '找不到' : '出错了', status, notice: { kind: 'error', text } },
        <p>
          <a href="/">回到工作台</a>
        </p>,
      );
    }
  };
}
