/** @jsxImportSource hono/jsx */
// The only pages that show a stream key: the answer to a booking, and to replacing a lost key.
import { type Booking, replaceStreamKey } from '@jobcast/live';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { LIVE_OPERATORS } from '../../../roles.ts';
import { definePage, formFields, renderPage } from '../../page.tsx';
import { pathId } from '../../parts.tsx';
import { CopyLine } from './parts.tsx';

/** Enough of the key's hash to tell the key a form was shown with from a newer one; nothing to guess from. */
export const KEY_HASH_SEEN_CHARS = 12;

/**
 * The answer to the booking's POST, or to the POST that replaced a lost key. Nothing keeps the key
 * (only its hash is stored) and no address leads back here.
 */
export function keyPage(c: Context<AppEnv>, booking: Booking, title: string, notice: string, status: 200 | 201) {
  const id = booking.sessionId;
  return renderPage(
    c,
    { title, active: 'live', status, assets: ['live.css'], notice: { kind: 'ok', text: notice } },
    <>
      <section class="card">
        <h2>OBS 推流设置</h2>
        <p class="notice error" role="alert">
          串流密钥只显示这一次，请立即复制并填入 OBS。离开本页后任何人都无法再查看；丢失了可以在场次页更换新密钥。
        </p>
        <dl class="live-facts">
          <CopyLine label="服务器（OBS 的“服务器”）" value={booking.rtmpUrl} />
          <dt>串流密钥（OBS 的“串流密钥”）</dt>
          <dd>
            <span class="secret" data-stream-key>
              {booking.streamKey}
            </span>{' '}
            <button type="button" data-copy={booking.streamKey}>
              复制密钥
            </button>
            <br />
            <strong>只显示这一次，请立即复制</strong>
          </dd>
          <CopyLine label="叠加画面（OBS 的“浏览器来源”，1920×1080）" value={booking.overlayUrl} />
          <dt>直播控制台</dt>
          <dd>
            <a href={`/console/live/${id}`}>{booking.consoleUrl}</a>
          </dd>
        </dl>
      </section>
      <p class="actions">
        <a class="button" href={`/console/live/${id}`}>
          打开直播控制台
        </a>
        <a class="button secondary" href={`/live/${id}`}>
          查看场次
        </a>
        <a href="/live">返回直播列表</a>
      </p>
    </>,
  );
}

/** A lost key replaced: the new one is shown once, on the answer to this POST, like at booking. */
export const keyReplace = definePage(LIVE_OPERATORS, 'post', '/live/:id{[0-9]+}/key', async (c) => {
  const { db, config } = c.var.services;
  const id = pathId(c, '个直播场次');
  // Live or ended: the error page says so (409).
  const seenKeyHash = (await formFields(c)).get('seen');
  const booking = await replaceStreamKey({ db, urls: config }, c.var.principal.siteId, id, { seenKeyHash });
  return keyPage(c, booking, '串流密钥已更换', `场次 #${id} 的串流密钥已更换，旧密钥已失效`, 200);
});
