/** @jsxImportSource hono/jsx */
// One session (`/live/:id`): its facts and verdict, the evidence, the rundown, what was received and relayed.
import {
  durationText,
  endReasonLabel,
  getLiveSessionRow,
  liveStatus,
  relayErrorText,
  relayPlatform,
} from '@jobcast/live';
import { anyRole, LIVE_OPERATORS } from '../../../roles.ts';
import { type LiveSessionView, operatorLinks, toLiveSessionView } from '../../../routes/live/view.ts';
import { CsrfField, definePage, renderPage } from '../../page.tsx';
import { may, NewTabLink, pathId, Row, siteOf } from '../../parts.tsx';
import { KEY_HASH_SEEN_CHARS } from './key.tsx';
import { CopyLine, StatusBadge, slotText, timeText, Verdict } from './parts.tsx';

function Evidence(props: { view: LiveSessionView }) {
  const { evidence } = props.view;
  if (!evidence.html && !evidence.recording && evidence.thumbnails.length === 0) {
    return (
      <p class="card muted">
        {props.view.status === 'ended'
          ? '正在整理录像和截图，完成后这里显示佐证材料。'
          : '直播结束并整理完后，这里显示佐证材料：截图、录像和可打印的佐证页。'}
      </p>
    );
  }
  return (
    <>
      <p class="actions">
        {evidence.html ? (
          <NewTabLink class="button" href={evidence.html}>
            打开佐证材料页（可打印）
          </NewTabLink>
        ) : null}
        {evidence.json ? <a href={evidence.json}>佐证数据（JSON）</a> : null}
        {evidence.recording ? (
          <a href={evidence.recording} download={`直播${props.view.sessionId}录像.mp4`}>
            下载录像
          </a>
        ) : null}
      </p>
      {evidence.thumbnails.length > 0 ? (
        <div class="live-thumbs">
          {evidence.thumbnails.map((url, i) => (
            <figure>
              <img class="preview" src={url} alt={`直播截图 ${i + 1}`} loading="lazy" />
              <figcaption class="muted">截图 {i + 1}</figcaption>
            </figure>
          ))}
        </div>
      ) : null}
    </>
  );
}

/** Where OBS and the preview reach the session: only for those running it (the overlay's address is its password). */
function OperatorLinks(props: { view: LiveSessionView }) {
  const { view } = props;
  if (!view.overlayUrl || view.status === 'ended') return null;
  return (
    <section class="card">
      <h2>推流与叠加画面</h2>
      <dl class="live-facts">
        <CopyLine label="叠加画面（OBS 的“浏览器来源”，1920×1080）" value={view.overlayUrl} />
        {view.previewUrl ? <CopyLine label="预览地址（在浏览器里看直播画面）" value={view.previewUrl} /> : null}
      </dl>
      <p class="muted">串流密钥只在预约时显示一次，这里不再显示。</p>
      <p>
        <a class="button" href={`/console/live/${view.sessionId}`}>
          打开直播控制台
        </a>
      </p>
    </section>
  );
}

function Rundown(props: { view: LiveSessionView }) {
  const { rundown } = props.view;
  if (rundown.length === 0) return <p class="muted">本场没有节目单。</p>;
  return (
    <div class="table-wrap">
      <table class="live-rundown-table">
        <thead>
          <tr>
            <th class="num">序号</th>
            <th>岗位</th>
            <th>单位</th>
            <th class="num">上屏（直播中）</th>
            <th>已讲解</th>
          </tr>
        </thead>
        <tbody>
          {rundown.map((entry) => (
            <tr>
              <td class="num position">{entry.position}</td>
              <td class="job">
                <a href={`/jobs/${entry.jobId}`}>{entry.card.title}</a>
              </td>
              <td class="employer">{entry.card.employer}</td>
              <td class="num seconds">{durationText(entry.onScreenSeconds, true)}</td>
              <td class="presented">
                {entry.presented ? <span class="badge ok">已讲解</span> : <span class="muted">—</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Segments(props: { view: LiveSessionView; timezone: string }) {
  const { view, timezone } = props;
  if (view.segments.length === 0) return null;
  const ended = view.status === 'ended';
  return (
    <>
      <h2>推流记录</h2>
      <div class="table-wrap">
        <table class="live-stack">
          <thead>
            <tr>
              <th class="num">段</th>
              <th>开始</th>
              <th>结束</th>
              <th class="num">收到的直播时长</th>
              <th>画面 / 声音</th>
            </tr>
          </thead>
          <tbody>
            {view.segments.map((segment) => (
              <tr>
                <td class="num" data-label="段">
                  {segment.seq}
                </td>
                <td data-label="开始">{timeText(timezone, segment.startedAt)}</td>
                <td data-label="结束">
                  {segment.endedAt ? timeText(timezone, segment.endedAt) : ended ? '—' : '进行中'}
                </td>
                <td class="num" data-label="收到的直播时长">
                  {durationText(segment.liveSeconds, true)}
                </td>
                <td data-label="画面 / 声音">
                  {segment.hasVideo ? '有画面' : '无画面'} / {segment.hasAudio ? '有声音' : '无声音'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Relays(props: { view: LiveSessionView }) {
  const { relays } = props.view;
  if (relays.length === 0) return null;
  return (
    <>
      <h2>同时转推的平台</h2>
      <div class="table-wrap">
        <table class="live-stack">
          <thead>
            <tr>
              <th>平台</th>
              <th class="num">已连接</th>
              <th class="num">连接 / 失败次数</th>
              <th>最近的错误</th>
            </tr>
          </thead>
          <tbody>
            {relays.map((relay, i) => (
              <tr>
                <td data-label="平台">{relayPlatform(relay.label, i + 1)}</td>
                <td class="num" data-label="已连接">
                  {durationText(relay.connectedSeconds, true)}
                </td>
                <td class="num" data-label="连接 / 失败次数">
                  {relay.connects} / {relay.failures}
                </td>
                <td data-label="最近的错误">{relay.lastError ? relayErrorText(relay.lastError) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export const sessionDetail = definePage(anyRole, 'get', '/live/:id{[0-9]+}', async (c) => {
  const { db, config } = c.var.services;
  const { siteId } = c.var.principal;
  const id = pathId(c, '个直播场次');
  const [site, status] = await Promise.all([siteOf(c), liveStatus(db, config.live, id, siteId)]);
  // The overlay's address is its password: only those running the session are shown it.
  const row = may(c, LIVE_OPERATORS) ? await getLiveSessionRow(db, id, siteId) : undefined;
  const links = row ? operatorLinks(config, row.overlayToken) : undefined;
  const keyHash = row?.streamKeyHash ?? '';
  const view = toLiveSessionView(status, links);
  const tz = site.timezone;
  const minJobs = view.guard.thresholds.minJobs;
  return renderPage(
    c,
    { title: `${view.typeLabel}：${view.title}`, active: 'live', assets: ['live.css'] },
    <>
      <p>
        <a href="/live">← 直播列表</a>
      </p>
      <div class="table-wrap">
        <table>
          <tbody>
            <Row label="场次">#{view.sessionId}</Row>
            <Row label="类型">{view.typeLabel}</Row>
            <Row label="主播">{view.anchor}</Row>
            <Row label="时段">{slotText(tz, view.slot.start, view.slot.end)}</Row>
            <Row label="状态">
              <StatusBadge session={{ status: view.status, slotEnd: view.slot.end }} now={new Date()} />
            </Row>
            <Row label="开播时间">{timeText(tz, view.startedAt)}</Row>
            <Row label="结束时间">{timeText(tz, view.endedAt)}</Row>
            {view.endReason ? <Row label="结束方式">{endReasonLabel(view.endReason)}</Row> : null}
            <Row label="直播时长">{durationText(view.liveSeconds, true)}</Row>
            <Row label="已讲解岗位">
              {view.presentedJobs} 个{minJobs === null ? '' : `（至少 ${minJobs} 个）`}
            </Row>
          </tbody>
        </table>
      </div>
      <h2>结果</h2>
      <div class="card">
        {view.verdict ? (
          <Verdict qualified={view.verdict.qualified} forced={view.forced} reasons={view.verdict.reasons} />
        ) : (
          <>
            <span class={view.guard.qualified ? 'badge ok' : 'badge warn'}>
              {view.guard.qualified ? '目前已达标' : '目前尚未达标'}
            </span>{' '}
            <span class="muted">结束时判定</span>
            <ul class="live-reasons">
              {view.guard.reasons.map((reason) => (
                <li>{reason}</li>
              ))}
            </ul>
          </>
        )}
      </div>
      <h2>佐证材料</h2>
      <Evidence view={view} />
      <OperatorLinks view={view} />
      {links && (view.status === 'booked' || view.status === 'interrupted') ? (
        <form
          method="post"
          action={`/live/${view.sessionId}/key`}
          class="actions"
          data-confirm="更换后旧的串流密钥立即失效，需要把新密钥填入 OBS。确定更换吗？"
        >
          <CsrfField c={c} />
          <input type="hidden" name="seen" value={keyHash.slice(0, KEY_HASH_SEEN_CHARS)} />
          <button type="submit" class="secondary">
            串流密钥丢了？更换密钥
          </button>
          <span class="muted">直播开始前或中断时可以更换；叠加画面地址不变。</span>
        </form>
      ) : null}
      <h2>节目单（{view.rundown.length}）</h2>
      <Rundown view={view} />
      <Segments view={view} timezone={tz} />
      <Relays view={view} />
    </>,
  );
});
