/** @jsxImportSource hono/jsx */
// The anchor's console (`/console/live/:id`): the preview, the job on screen and the buttons first, the rundown below.
import { getLiveSessionRow, STATUS_LABELS } from '@jobcast/live';
import { LIVE_OPERATORS } from '../../../roles.ts';
import { operatorLinks } from '../../../routes/live/view.ts';
import { definePage, renderPage } from '../../page.tsx';
import { NewTabLink, pathId } from '../../parts.tsx';

/**
 * A page of the console, so the session's sign-in, role and CSRF token guard it. live.js reads and
 * drives the session through the JSON API with the session cookie; the page holds no key (none is
 * kept) and plays the stream service's preview, whose origin it may reach.
 */
export const liveConsole = definePage(LIVE_OPERATORS, 'get', '/console/live/:id{[0-9]+}', async (c) => {
  const { db, config } = c.var.services;
  const id = pathId(c, '个直播场次');
  const session = await getLiveSessionRow(db, id, c.var.principal.siteId);
  const { overlayUrl, previewUrl } = operatorLinks(config, session.overlayToken);
  return renderPage(
    c,
    {
      title: `直播控制台：${session.title}`,
      active: 'live',
      assets: ['live.css', 'mpegts.js', 'live.js'],
      connect: new URL(config.streamPublicUrl).origin,
    },
    <section class="live-console" data-live-console={String(id)} data-status-labels={JSON.stringify(STATUS_LABELS)}>
      <noscript>
        <p class="notice error">直播控制台需要启用浏览器的 JavaScript。</p>
      </noscript>
      <p class="actions">
        <a href={`/live/${id}`}>← 场次详情</a>
      </p>
      <h2 id="title">加载中…</h2>
      <p>
        状态：
        <span id="status" class="badge">
          加载中…
        </span>{' '}
        已直播 <strong id="live-time">—</strong>
      </p>
      <p id="message" role="status" />
      <div id="console" class="live-console-body" hidden>
        <div class="live-stage">
          <div class="live-preview">
            <video id="preview" muted playsinline controls hidden />
            <p id="preview-idle">开播后这里显示预览画面</p>
          </div>
          <section class="live-now" aria-labelledby="now-heading">
            <h2 id="now-heading">正在上屏</h2>
            <p id="current-job">无</p>
            <p class="live-steps">
              <button id="previous" type="button" class="secondary">
                上一个
              </button>
              <button id="next" type="button">
                下一个
              </button>
            </p>
          </section>
          <section>
            <h2>达标情况</h2>
            <p id="verdict" />
            <ul id="reasons" class="live-reasons" />
          </section>
        </div>
        <div class="live-side">
          <h2>节目单</h2>
          <ol id="rundown" class="live-rundown" />
          <h2>地址</h2>
          <p>
            OBS 浏览器来源（1920×1080）：
            <NewTabLink id="overlay-url" href={overlayUrl}>
              {overlayUrl}
            </NewTabLink>{' '}
            <button type="button" class="secondary" data-copy={overlayUrl}>
              复制
            </button>
          </p>
          <p>
            预览地址（在浏览器里看直播画面）：
            <NewTabLink id="preview-url" href={previewUrl}>
              {previewUrl}
            </NewTabLink>
          </p>
          <p class="muted">串流密钥只在预约时显示一次，控制台不显示。</p>
          <p class="actions">
            <button id="end" type="button" class="danger">
              结束直播
            </button>
            <button id="force" type="button" class="danger" hidden>
              强制结束
            </button>
          </p>
        </div>
      </div>
    </section>,
  );
});
