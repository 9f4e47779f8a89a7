/**
 * The evidence (佐证材料) a session leaves: a JSON summary for machines and a printable HTML page for
 * the year-end assessment. Built from the status view alone; no I/O here. Neither names a connection:
 * no publisher address, no push host, no key (the relays are named by their platform).
 */
import { clockName, formatBytes, siteTime } from '@jobcast/core';
import { durationText, type LiveStatusView, relayPlatform } from '@jobcast/live';

/**
 * The evidence files' format. Files of an older one (named connections, stored English) are written
 * again from the database and the stored files at the service's start (finalize.ts).
 */
export const EVIDENCE_VERSION = 2;

export interface Evidence {
  version: number;
  generatedAt: string;
  session: { id: number } & Pick<
    LiveStatusView,
    'type' | 'typeLabel' | 'title' | 'anchor' | 'slot' | 'startedAt' | 'endedAt' | 'endReason' | 'forced'
  >;
  liveSeconds: number;
  segments: Omit<LiveStatusView['segments'][number], 'clientAddress'>[];
  rundown: {
    position: number;
    jobId: number;
    title: string;
    employer: string;
    onScreen: { from: string; to: string | null }[];
    onScreenLiveSeconds: number;
    presented: boolean;
  }[];
  presentedJobs: number;
  relays: { platform: string; connectedSeconds: number; connects: number; failures: number }[];
  verdict: { qualified: boolean; reasons: string[] };
  recording: { key: string | null; durationS: number | null; thumbnails: string[]; error: string | null };
}

export function buildEvidence(
  view: LiveStatusView,
  recording: Evidence['recording'],
  generatedAt: Date = new Date(),
): Evidence {
  const verdict = view.verdict ?? { qualified: view.guard.qualified, reasons: view.guard.reasons };
  return {
    version: EVIDENCE_VERSION,
    generatedAt: generatedAt.toISOString(),
    session: {
      id: view.sessionId,
      type: view.type,
      typeLabel: view.typeLabel,
      title: view.title,
      anchor: view.anchor,
      slot: view.slot,
      startedAt: view.startedAt,
      endedAt: view.endedAt,
      endReason: view.endReason,
      forced: view.forced,
    },
    liveSeconds: view.liveSeconds,
    segments: view.segments.map(({ clientAddress: _, ...segment }) => segment),
    rundown: view.rundown.map((entry) => ({
      position: entry.position,
      jobId: entry.jobId,
      title: entry.card.title,
      employer: entry.card.employer,
      onScreen: view.showings
        .filter((showing) => showing.position === entry.position)
        .map((showing) => ({ from: showing.from, to: showing.to })),
      onScreenLiveSeconds: entry.onScreenSeconds,
      presented: entry.presented,
    })),
    presentedJobs: view.presentedJobs,
    relays: view.relays.map((relay, i) => ({
      platform: relayPlatform(relay.label, i + 1),
      connectedSeconds: relay.connectedSeconds,
      connects: relay.connects,
      failures: relay.failures,
    })),
    verdict: { qualified: verdict.qualified, reasons: verdict.reasons },
    recording,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** An instant on the site's clock, to the second, as the other ledgers write it; `—` for none. */
const localTime = (iso: string | null, timeZone: string): string =>
  iso ? siteTime(timeZone, iso, { seconds: true }) : '—';

/** What the page says about the site and the pictures, besides the evidence. */
export interface EvidencePage {
  site: { name: string; timezone: string };
  /** The recording's thumbnails, in order: where in the recording each was taken, and its JPEG. */
  thumbnails: { atSeconds: number; jpeg: Buffer }[];
}

/**
 * The evidence as a page to print or save: the site's name over the title, the facts and verdict,
 * the thumbnails inside the page (so a saved or printed page keeps them), the segments, the rundown
 * and the relays; times on the site's clock, durations as the session page gives them, sizes in MB.
 */
export function evidenceHtml(evidence: Evidence, page: EvidencePage): string {
  const e = escapeHtml;
  const { timezone } = page.site;
  const t = (iso: string | null) => e(localTime(iso, timezone));
  /** From and to, the day written once when both fall on it: `2026-11-28 10:02:00 至 10:04:30`. */
  const span = (from: string | null, to: string | null) => {
    const [start, end] = [localTime(from, timezone), localTime(to, timezone)];
    return e(`${start} 至 ${start.slice(0, 10) === end.slice(0, 10) ? end.slice(11) : end}`);
  };
  const s = evidence.session;
  const rows = (cells: string[][]) =>
    cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  const recording = evidence.recording;
  const thumbnails = page.thumbnails
    .map(
      (thumb, i) =>
        `<figure><img src="data:image/jpeg;base64,${thumb.jpeg.toString('base64')}" alt="第 ${i + 1} 张截图">` +
        `<figcaption>第 ${i + 1} 张 · 录像 ${e(durationText(thumb.atSeconds, true))}</figcaption></figure>`,
    )
    .join('\n');
  const received = evidence.segments.reduce((sum, segment) => sum + segment.bytes, 0);
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${e(s.typeLabel)}佐证材料 · ${e(s.title)}</title>
<style>
body{font-family:"Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
.site{font-size:14px;margin:0 0 4px}h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin-top:20px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eee;white-space:nowrap}.ok{color:#060}.no{color:#a00}
.thumbs{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;width:calc(33% - 6px);break-inside:avoid}
img{width:100%;height:auto;border:1px solid #999}figcaption{font-size:12px}
tr,figure{break-inside:avoid}@media (max-width:600px){figure{width:100%}}
@page{size:A4;margin:12mm}@media print{body{margin:0}}
</style></head><body>
<p class="site">${e(page.site.name)}</p>
<h1>${e(s.typeLabel)}佐证材料：${e(s.title)}</h1>
<table>
${rows([
  ['场次编号', String(s.id)],
  ['类型', e(s.typeLabel)],
  ['主播', e(s.anchor)],
  ['预约时段', span(s.slot.start, s.slot.end)],
  ['开播', t(s.startedAt)],
  ['结束', `${t(s.endedAt)}${s.forced ? '（强制结束）' : ''}`],
  ['直播时长（实收）', e(durationText(evidence.liveSeconds, true))],
  ['讲解岗位数', `${evidence.presentedJobs} 个`],
  [
    '结论',
    `<b class="${evidence.verdict.qualified ? 'ok' : 'no'}">${evidence.verdict.qualified ? '达标' : '未达标'}</b>：${evidence.verdict.reasons.map(e).join('；')}`,
  ],
  [
    '录像',
    recording.key
      ? `已保存，时长 ${e(durationText(recording.durationS ?? 0, true))}`
      : `无${recording.error ? `：${e(recording.error)}` : ''}`,
  ],
])}
</table>
<h2>直播画面（${page.thumbnails.length} 张）</h2>
${thumbnails ? `<div class="thumbs">\n${thumbnails}\n</div>` : '<p>没有截图。</p>'}
<h2>推流分段（共收到 ${formatBytes(received)}）</h2>
<table><tr><th>序号</th><th>开始</th><th>结束</th><th>直播时长</th><th>数据量</th></tr>
${rows(
  evidence.segments.map((g) => [
    String(g.seq),
    t(g.startedAt),
    t(g.endedAt),
    e(durationText(g.liveSeconds, true)),
    formatBytes(g.bytes),
  ]),
)}
</table>
<h2>岗位讲解记录</h2>
<table><tr><th>序号</th><th>岗位</th><th>招聘单位</th><th>上屏时间</th><th>直播中上屏</th><th>计入</th></tr>
${rows(
  evidence.rundown.map((r) => [
    String(r.position),
    e(r.title),
    e(r.employer),
    r.onScreen.map((o) => span(o.from, o.to)).join('<br>') || '未上屏',
    e(durationText(r.onScreenLiveSeconds, true)),
    r.presented ? '是' : '否',
  ]),
)}
</table>
<h2>转推</h2>
${
  evidence.relays.length === 0
    ? '<p>没有转推。</p>'
    : `<table><tr><th>平台</th><th>连通时长</th><th>连接次数</th><th>失败次数</th></tr>
${rows(evidence.relays.map((r) => [e(r.platform), e(durationText(r.connectedSeconds, true)), String(r.connects), String(r.failures)]))}
</table>`
}
<p>生成时间：${t(evidence.generatedAt)}（${e(clockName(timezone))}）</p>
</body></html>
`;
}
