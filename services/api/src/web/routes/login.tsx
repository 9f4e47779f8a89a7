/** @jsxImportSource hono/jsx */
import { createWebSession, endWebSession } from '@jobcast/auth';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SESSION_COOKIE } from '../../auth.ts';
import type { AppEnv } from '../../context.ts';
import { definePage, errorText, formFields, localPath, renderPage } from '../page.tsx';
import { signIn } from '../sign-in.ts';

function LoginForm(props: { next: string; username?: string }) {
  return (
    <form method="post" action="/login" class="card narrow">
      <input type="hidden" name="next" value={props.next} />
      <label>
        用户名
        <input name="username" autocomplete="username" required maxlength={64} value={props.username ?? ''} />
      </label>
      <label>
        密码
        <input name="password" type="password" autocomplete="current-password" required maxlength={1024} />
      </label>
      <button type="submit">登录</button>
    </form>
  );
}

function loginPage(
  c: Context<AppEnv>,
  next: string,
  notice?: string,
  status: 200 | 401 | 429 | 400 = 200,
  username?: string,
) {
  return renderPage(
    c,
    { title: '登录', status, notice: notice ? { kind: 'error', text: notice } : undefined },
    <LoginForm next={next} username={username} />,
  );
}

export const loginPageRoute = definePage('public', 'get', '/login', (c) =>
  loginPage(c, localPath(c.req.query('next'))),
);

/**
 * Signs in with a username and password: the session's secret goes in an HTTP-only, SameSite=Lax
 * cookie (Secure when the console is served over HTTPS). The login form itself needs no CSRF token:
 * the browser's Origin check (hono's csrf middleware) refuses a post from another site.
 */
export const loginSubmitRoute = definePage('public', 'post', '/login', async (c) => {
  const { db, config } = c.var.services;
  const form = await formFields(c);
  const username = form.get('username').trim().slice(0, 64);
  const password = form.get('password').slice(0, 1024);
  const next = localPath(form.get('next'));
  if (!username || !password) return loginPage(c, next, '请输入用户名和密码', 400, username);
  let principal: Awaited<ReturnType<typeof signIn>>;
  try {
    principal = await signIn(c, username, password);
  } catch (error) {
    const { code, text } = errorText(error);
    if (code !== 'RATE_LIMITED') throw error;
    return loginPage(c, next, text.replace(/ \(.*\)$/, ''), 429, username);
  }
  if (!principal) return loginPage(c, next, '用户名或密码错误', 401, username);
  const session = await createWebSession(db, principal.userId);
  setCookie(c, SESSION_COOKIE, session.secret, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: config.publicUrl.startsWith('https:'),
    expires: session.expiresAt,
  });
  return c.redirect(next, 303);
});

export const logoutRoute = definePage('public', 'post', '/logout', async (c) => {
  const secret = getCookie(c, SESSION_COOKIE);
  if (secret) await endWebSession(c.var.services.db, secret);
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  return c.redirect('/login', 303);
});
