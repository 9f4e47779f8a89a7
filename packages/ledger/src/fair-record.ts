/**
 * A job fair's record as its evidence pack holds it: what was held, who came with which jobs, the
 * photos, and (for an AI fair) every play of job videos on the fair's screens during it, with the
 * verdict. Written into the pack from the database, as data (JSON) and as a page a person reads.
 */
import { siteTime } from '@jobcast/core';
import type { FairLedgerDetail } from '@jobcast/db';
import type { FairRow } from './ledger.ts';

export interface FairRecord {
  site: { code: string; name: string; timezone: string };
  fair: {
    id: number;
    kind: FairRow['kind'];
    kindLabel: string;
    title: string;
    venue: string;
    /** ISO instants. */
    startsAt: string;
    endsAt: string;
    /** On the site's clock. */
    day: string;
    time: string;
    screenGroup: string | null;
    jobSeekers: number | null;
    offers: number | null;
    plan: string | null;
    summary: string | null;
  };
  verdict: { qualified: boolean; employers: number; reasons: string[] };
  employers: { id: number; name: string; jobs: { id: number; title: string | null }[] }[];
  photos: { file: string | null; name: string; width: number; height: number; bytes: number; uploadedAt: string }[];
  /** Plays of job videos on the fair's screen group between its start and end. */
  plays: {
    total: number;
    completed: number;
    videos: number;
    list: {
      screen: string;
      renderId: number;
      jobIds: number[];
      startedAt: string;
      endedAt: string;
      seconds: number;
      completed: boolean;
    }[];
  };
  /** The files of the pack beside this record: photos, plan and summary. */
  files: string[];
  generatedAt: string;
}

export function fairRecord(
  row: FairRow,
  detail: FairLedgerDetail,
  site: FairRecord['site'],
  generatedAt: Date,
): FairRecord {
  const { fair } = row;
  const photoFiles = new Map(
    row.evidence.flatMap((file) => (file.key && !file.record ? [[file.key, file.name] as const] : [])),
  );
  return {
    site,
    fair: {
      id: fair.id,
      kind: row.kind,
      kindLabel: row.kindLabel,
      title: fair.title,
      venue: fair.venue,
      startsAt: fair.startsAt.toISOString(),
      endsAt: fair.endsAt.toISOString(),
      day: row.day,
      time: row.time,
      screenGroup: fair.groupName,
      jobSeekers: fair.jobSeekers,
      offers: fair.offers,
      plan: fair.plan,
      summary: fair.summary,
    },
    verdict: { qualified: row.qualified, employers: row.employers, reasons: row.reasons },
    employers: detail.employers,
    photos: detail.photos.map((photo) => ({
      file: photoFiles.get(photo.storageKey) ?? null,
      name: photo.displayName,
      width: photo.width,
      height: photo.height,
      bytes: photo.bytes,
      uploadedAt: photo.createdAt.toISOString(),
    })),
    plays: {
      total: fair.plays,
      completed: fair.completedPlays,
      videos: fair.videosPlayed,
      list: detail.plays.map((play) => ({
        screen: play.screenName ?? `屏幕 #${play.screenId}`,
        renderId: play.renderId,
        jobIds: play.jobIds,
        startedAt: play.startedAt.toISOString(),
        endedAt: play.endedAt.toISOString(),
        seconds: Math.round(play.playedMs / 100) / 10,
        completed: play.completed,
      })),
    },
    files: row.evidence.filter((file) => !file.record).map((file) => file.name),
    generatedAt: generatedAt.toISOString(),
  };
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string,
  );

const baseName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

/** The record as a page: printable, no script, the photos shown from beside it in the pack. */
export function fairRecordHtml(record: FairRecord): string {
  const e = escapeHtml;
  const t = (iso: string) => e(siteTime(record.site.timezone, iso, { seconds: true }));
  const { fair, verdict, plays } = record;
  const rows = (cells: string[][]) =>
    cells.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('\n');
  const count = (n: number | null, unit: string) => (n === null ? '未填写' : `${n} ${unit}`);
  const facts: string[][] = [
    ['招聘会编号', String(fair.id)],
    ['类型', e(fair.kindLabel)],
    ['日期', `${e(fair.day)} ${e(fair.time)}`],
    ['地点', e(fair.venue)],
    ['用人单位', `${verdict.employers} 家`],
    ['岗位', `${record.employers.reduce((n, employer) => n + employer.jobs.length, 0)} 个`],
    ['求职人数', count(fair.jobSeekers, '人')],
    ['达成意向', count(fair.offers, '人')],
    ...(fair.kind === 'ai'
      ? [
          ['屏幕分组', fair.screenGroup ? e(fair.screenGroup) : '未指定'],
          ['职播机播放', `${plays.total} 次，其中完整播放 ${plays.completed} 次，共 ${plays.videos} 条视频`],
        ]
      : []),
    ...(record.files.some((file) => /-(plan|summary)\.[^/]+$/.test(file))
      ? [
          [
            '方案、总结文件',
            record.files
              .filter((file) => /-(plan|summary)\.[^/]+$/.test(file))
              .map((file) => e(baseName(file)))
              .join('、'),
          ],
        ]
      : []),
    [
      '结论',
      `<b class="${verdict.qualified ? 'ok' : 'no'}">${verdict.qualified ? '达标' : '未达标'}</b>：${verdict.reasons.map(e).join('；')}`,
    ],
  ];
  const employers = record.employers.map((employer) => [
    e(employer.name),
    employer.jobs.length === 0
      ? '未登记岗位'
      : employer.jobs.map((job) => `${e(job.title ?? '（岗位已不在岗位库）')}（#${job.id}）`).join('<br>'),
  ]);
  const photos = record.photos
    .map((photo) =>
      photo.file
        ? `<figure><img src="${e(baseName(photo.file))}" alt="${e(photo.name)}"><figcaption>${e(photo.name)}（${photo.width}×${photo.height}）</figcaption></figure>`
        : `<p>${e(photo.name)}</p>`,
    )
    .join('\n');
  const text = (label: string, body: string | null) =>
    body ? `<h2>${label}</h2>\n<p class="text">${e(body)}</p>` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${e(fair.kindLabel)}记录 · ${e(fair.title)}</title>
<style>
body{font-family:"Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
h1{font-size:20px}h2{font-size:16px;margin-top:20px}
table{border-collapse:collapse;width:100%;font-size:13px}td,th{border:1px solid #999;padding:4px 6px;text-align:left;vertical-align:top}
.ok{color:#060}.no{color:#a00}.text{white-space:pre-wrap}
figure{display:inline-block;margin:0 12px 12px 0}img{max-width:320px;max-height:240px}
@media print{body{margin:0}}
</style></head><body>
<h1>${e(fair.kindLabel)}记录：${e(fair.title)}</h1>
<p>${e(record.site.name)}</p>
<table>
${rows(facts)}
</table>
<h2>用人单位和岗位（${record.employers.length} 家）</h2>
<table><tr><th>单位</th><th>岗位</th></tr>
${rows(employers)}
</table>
${text('方案', fair.plan)}
${text('总结', fair.summary)}
<h2>现场照片（${record.photos.length} 张）</h2>
${photos || '<p>没有照片。</p>'}
${
  fair.kind === 'ai'
    ? `<h2>职播机播放记录（${plays.list.length} 次）</h2>
<table><tr><th>#</th><th>屏幕</th><th>视频（制作编号）</th><th>岗位编号</th><th>开始</th><th>结束</th><th>播放秒数</th><th>完整播放</th></tr>
${rows(
  plays.list.map((play, i) => [
    String(i + 1),
    e(play.screen),
    String(play.renderId),
    play.jobIds.join('、'),
    t(play.startedAt),
    t(play.endedAt),
    String(play.seconds),
    play.completed ? '是' : '否',
  ]),
)}
</table>`
    : ''
}
<p>生成时间：${t(record.generatedAt)}（${e(record.site.timezone)}）</p>
</body></html>
`;
}
