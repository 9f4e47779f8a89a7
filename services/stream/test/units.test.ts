import type { LiveStatusView } from '@jobcast/live';
import { describe, expect, it } from 'vitest';
import { buildEvidence, evidenceHtml } from '../src/evidence.ts';
import { MediaClock, readTag } from '../src/flv.ts';

/** An FLV tag as node-media-server sends it: 11-byte header, body, 4-byte previous-tag size. */
function tag(type: 8 | 9, timestampMs: number, body: number[]): Buffer {
  const header = Buffer.alloc(11);
  header[0] = type;
  header.writeUIntBE(body.length, 1, 3);
  header.writeUIntBE(timestampMs & 0xffffff, 4, 3);
  header[7] = (timestampMs >>> 24) & 0xff;
  return Buffer.concat([header, Buffer.from(body), Buffer.alloc(4)]);
}

const avcKeyframe = [0x17, 1, 0, 0, 0];
const avcConfig = [0x17, 0, 0, 0, 0];
const aacFrame = [0xaf, 1, 0x21];
const aacConfig = [0xaf, 0, 0x12, 0x10];

describe('media time from FLV tags', () => {
  it('reads timestamps past 24 bits from the extended byte', () => {
    expect(readTag(tag(9, 0x1234567, avcKeyframe))).toEqual({ type: 'video', timestampMs: 0x1234567, config: false });
  });

  it('does not count codec configuration or the file header as media', () => {
    expect(readTag(tag(9, 0, avcConfig))?.config).toBe(true);
    expect(readTag(tag(8, 0, aacConfig))?.config).toBe(true);
    expect(readTag(Buffer.from('FLV\x01\x05\x00\x00\x00\x09\x00\x00\x00\x00', 'latin1'))).toBeNull();
  });

  it('measures from the first to the last frame, whatever the first timestamp', () => {
    const clock = new MediaClock();
    clock.see(tag(9, 0, avcConfig));
    clock.see(tag(8, 0, aacConfig));
    for (let t = 5000; t <= 65_000; t += 40)
      clock.see(tag(t % 80 === 0 ? 9 : 8, t, t % 80 === 0 ? avcKeyframe : aacFrame));
    expect(clock.mediaMs).toBe(60_000);
    expect(clock.hasAudio && clock.hasVideo).toBe(true);
  });

  it('counts audio-only streams', () => {
    const clock = new MediaClock();
    for (let t = 0; t <= 3000; t += 23) clock.see(tag(8, t, aacFrame));
    expect(clock.hasVideo).toBe(false);
    expect(clock.mediaMs).toBeGreaterThan(2970);
  });
});

describe('evidence page', () => {
  const injection = `<script>&%{x}'\\:{{t}}`;
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
    segments: [],
    relays: [{ label: 'rtmp://push.example.cn', connectedSeconds: 3700, connects: 1, failures: 0, lastError: null }],
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

  it('states the stored verdict with its reasons, and each job with when it was on screen (Beijing time)', () => {
    const evidence = buildEvidence(view, { key: 'live/7/recording.mp4', durationS: 3726, thumbnails: [], error: null });
    expect(evidence.verdict.reasons).toContain('讲解岗位 1 个，不足 20 个');
    expect(evidence.rundown[0]?.onScreen).toEqual([
      { from: '2026-11-28T02:02:00.000Z', to: '2026-11-28T02:07:00.000Z' },
    ]);
    const html = evidenceHtml(evidence, 'Asia/Shanghai');
    expect(html).toContain('未达标');
    expect(html).toContain('2026/11/28 10:02:00');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;&amp;%{x}&#39;\\:{{t}}');
  });
});
