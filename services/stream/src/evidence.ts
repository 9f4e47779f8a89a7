/**
 * The evidence (佐证材料) a session leaves: a JSON summary for machines and a printable HTML page for
 * the year-end assessment. Built from the status view alone; no I/O here.
 */
import type { LiveStatusView } from '@jobcast/live';

export interface Evidence {
  generatedAt: string;
  session: { id: number } & Pick<
    LiveStatusView,
    'type' | 'typeLabel' | 'title' | 'anchor' | 'slot' | 'startedAt' | 'endedAt' | 'endReason' | 'forced'
  >;
  liveSeconds: number;
  segments: LiveStatusView['segments'];
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
  relays: LiveStatusView['relays'];
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
    segments: view.segments,
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
    relays: view.relays,
    verdict: { qualified: verdict.qualified, reasons: verdict.reasons },
    recording,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** Times as the office reads them: Beijing time, to the second. */
function localTime(iso: string | null, timeZone: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone, hour12: false });
}

function minutes(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)} 分 ${whole % 60} 秒`;
}

export function evidenceHtml(evidence: Evidence, timeZone: string): string {
  const e = escapeHtml;
  const t = (iso: string | null) => e(localTime(iso, timeZone));
  const s = evidence.session;
  const rows = (cells: string[][]) =>
    cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>直播佐证 · ${e(s.title)}</title>
<style>
body{font-family:"Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
h1{font-size:20px}h2{font-size:16px;margin-top:20px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #999;padding:4px 6px;text-align:left}
.ok{color:#060}.no{color:#a00}@media print{body{margin:0}}
</style></head><body>
<h1>${e(s.typeLabel)}佐证材料：${e(s.title)}</h1>
<table>
${rows([
  ['场次编号', String(s.id)],
  ['主播', e(s.anchor)],
  ['预约时段', `${t(s.slot.start)} — ${t(s.slot.end)}`],
  ['开播', t(s.startedAt)],
  ['结束', `${t(s.endedAt)}${s.forced ? '（强制结束）' : ''}`],
  ['直播时长（实收）', e(minutes(evidence.liveSeconds))],
  ['讲解岗位数', String(evidence.presentedJobs)],
  [
    '结论',
    `<b class="${evidence.verdict.qualified ? 'ok' : 'no'}">${evidence.verdict.qualified ? '达标' : '未达标'}</b>：${evidence.verdict.reasons.map(e).join('；')}`,
  ],
  [
    '录像',
    evidence.recording.key
      ? `${e(evidence.recording.key)}（${e(minutes(evidence.recording.durationS ?? 0))}）`
      : `无${evidence.recording.error ? `：${e(evidence.recording.error)}` : ''}`,
  ],
])}
</table>
<h2>推流分段</h2>
<table><tr><th>#</th><th>开始</th><th>结束</th><th>时长</th><th>字节</th><th>来源地址</th></tr>
${rows(evidence.segments.map((g) => [String(g.seq), t(g.startedAt), t(g.endedAt), e(minutes(g.liveSeconds)), String(g.bytes), e(g.clientAddress)]))}
</table>
<h2>岗位讲解记录</h2>
<table><tr><th>序号</th><th>岗位</th><th>招聘单位</th><th>上屏时间</th><th>直播中上屏</th><th>计入</th></tr>
${rows(
  evidence.rundown.map((r) => [
    String(r.position),
    e(r.title),
    e(r.employer),
    r.onScreen.map((o) => `${t(o.from)} — ${t(o.to)}`).join('<br>') || '未上屏',
    e(minutes(r.onScreenLiveSeconds)),
    r.presented ? '是' : '否',
  ]),
)}
</table>
<h2>转推</h2>
<table><tr><th>目标</th><th>连通时长</th><th>连接次数</th><th>失败次数</th></tr>
${rows(evidence.relays.map((r) => [e(r.label), e(minutes(r.connectedSeconds)), String(r.connects), String(r.failures)]))}
</table>
<p>生成时间：${t(evidence.generatedAt)}</p>
</body></html>
`;
}
