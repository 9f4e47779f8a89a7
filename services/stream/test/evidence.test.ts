import type { LiveStatusView } from '@jobcast/live';
import { describe, expect, it } from 'vitest';
import { buildEvidence, evidenceHtml } from '../src/evidence.ts';

const injection = `<script>&%{x}'\\:{{t}}`;
const publisher = '203.0.113.7:51234';

const view = {
  sessionId: 7,
  siteId: 1,
  type: 'job',
  typeLabel: '直播带岗',
  title: injection,
  anchor: '小王',
  status: 'ended',
  slot: { start: '2026-11-28T02:00:00.000Z', end: '2026-11-28T03:30:00.000Z' },
  startedAt: '2026-11-28T02:01:00.000Z',
  endedAt: '2026-11-28T03:05:00.000Z',
  endReason: 'anchor',
  forced: false,
  liveSeconds: 3725,
  presentedJobs: 1,
  current: null,
  rundown: [
    {
      position: 1,
      jobId: 11,
      card: {
        jobId: 11,
        title: '普工',
        employer: injection,
        pay: '5000元/月',
        headcount: '3人',
        location: null,
        contact: null,
      },
      onScreenSeconds: 300,
      presented: true,
    },
  ],
  showings: [{ position: 1, jobId: 11, from: '2026-11-28T02:02:00.000Z', to: '2026-11-28T02:07:00.000Z' }],
  segments: [
    {
      seq: 1,
      startedAt: '2026-11-28T02:01:00.000Z',
      endedAt: '2026-11-28T02:40:00.000Z',
      liveSeconds: 2340,
      bytes: 412_345_678,
      clientAddress: publisher,
      hasVideo: true,
      hasAudio: true,
      endReason: 'dropped',
    },
    {
      seq: 2,
      startedAt: '2026-11-28T02:41:00.000Z',
      endedAt: '2026-11-28T03:05:00.000Z',
      liveSeconds: 1385,
      bytes: 251_000_000,
      clientAddress: publisher,
      hasVideo: true,
      hasAudio: true,
      endReason: 'ended',
    },
  ],
  relays: [
    { label: 'rtmp://push-rtmp-l1.douyincdn.com', connectedSeconds: 3700, connects: 2, failures: 1, lastError: null },
    { label: 'rtmp://198.51.100.9:1935', connectedSeconds: 0, connects: 0, failures: 4, lastError: 'refused' },
  ],
  guard: {
    qualified: false,
    needSeconds: 0,
    needJobs: 19,
    reasons: [],
    thresholds: { minLiveSeconds: 3600, minJobs: 20, presentMinSeconds: 60 },
  },
  verdict: {
    qualified: false,
    reasons: ['直播时长 62 分钟，达到 60 分钟', '讲解岗位 1 个，不足 20 个'],
    liveSeconds: 3725,
    presentedJobs: 1,
    thresholds: { minLiveSeconds: 3600, minJobs: 20, presentMinSeconds: 60 },
  },
  recording: { recordingKey: null, thumbnailKeys: [], evidenceJsonKey: null, evidenceHtmlKey: null },
} satisfies LiveStatusView;

/** Two stand-in JPEGs: the page must carry their bytes, not point at files. */
const thumbnails = [
  { atSeconds: 0, jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]) },
  { atSeconds: 300, jpeg: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 4, 5, 6, 0xff, 0xd9]) },
];

function page() {
  const evidence = buildEvidence(
    view,
    {
      key: 'live/7/recording.mp4',
      durationS: 3726,
      thumbnails: ['live/7/thumb-001.jpg', 'live/7/thumb-002.jpg'],
      error: null,
    },
    new Date('2026-11-28T03:10:00Z'),
  );
  const html = evidenceHtml(evidence, { site: { name: '示范区就业服务中心', timezone: 'Asia/Shanghai' }, thumbnails });
  return { evidence, html };
}

/** The page's text as a reader sees it: the body without its tags (and so without the images' data). */
const text = (html: string) =>
  html
    .slice(html.indexOf('<body>'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

describe('the evidence page of a livestream', () => {
  it("opens with the site's name over the title, and states the verdict with its reasons", () => {
    const { html } = page();
    const body = text(html);
    expect(body.indexOf('示范区就业服务中心')).toBeLessThan(body.indexOf('直播带岗佐证材料'));
    expect(html).toContain('<p class="site">示范区就业服务中心</p>');
    expect(html).toContain('<b class="no">未达标</b>：直播时长 62 分钟，达到 60 分钟；讲解岗位 1 个，不足 20 个');
  });

  it('gives times on the site clock, durations in minutes as the session page does, sizes in MB', () => {
    const body = text(page().html);
    expect(body).toContain('开播 2026-11-28 10:01:00');
    expect(body).toContain('直播时长（实收） 62 分 5 秒');
    expect(body).toContain('已保存，时长 62 分 6 秒');
    expect(body).toContain('推流分段（共收到 632.6 MB）');
    expect(body).toContain('1 2026-11-28 10:01:00 2026-11-28 10:40:00 39 分钟 393.2 MB');
    expect(body).toContain('预约时段 2026-11-28 10:00:00 至 11:30:00');
    expect(body).toContain('2026-11-28 10:02:00 至 10:07:00 5 分钟 是');
    expect(body).not.toMatch(/\d{6,}/);
  });

  it('names no connection: no publisher address, no push host or port, no key, no storage path', () => {
    const { html, evidence } = page();
    for (const written of [html, JSON.stringify(evidence)]) {
      expect(written).not.toContain('203.0.113.7');
      expect(written).not.toContain('51234');
      expect(written).not.toContain('douyincdn');
      expect(written).not.toContain('198.51.100.9');
      expect(written).not.toMatch(/rtmps?:\/\//);
    }
    expect(text(html)).not.toContain('live/7/');
    expect(text(html)).toContain('抖音 61 分 40 秒 2 1');
    expect(text(html)).toContain('转推目标 2 0 秒 0 4');
  });

  it('carries the thumbnails inside the page, so a saved or printed copy keeps them', () => {
    const { html } = page();
    const sources = [...html.matchAll(/<img src="([^"]*)"/g)].map((match) => match[1]);
    expect(sources).toEqual(thumbnails.map((thumb) => `data:image/jpeg;base64,${thumb.jpeg.toString('base64')}`));
    expect(text(html)).toContain('第 2 张 · 录像 5 分钟');
    expect(html).toContain('直播画面（2 张）');
  });

  it('escapes what people typed', () => {
    const { html } = page();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;&amp;%{x}&#39;\\:{{t}}');
  });
});
