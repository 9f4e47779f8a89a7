import { describe, expect, it } from 'vitest';
import { MediaClock, readTag } from '../src/flv.ts';
import { relayStopText } from '../src/relay.ts';

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

describe('why a relay stopped, as the session page says it', () => {
  it.each([
    [null, false, '平台断开了连接'],
    ['av_interleaved_write_frame(): Broken pipe | Error writing trailer', false, '平台断开了连接'],
    ['Connection to tcp://push.example.cn:1935 failed: Connection refused', false, '平台拒绝了连接'],
    ['Connection to tcp://push.example.cn:1935 failed: Connection timed out', false, '连接平台超时'],
    ['Failed to resolve hostname push.example.cn: Name or service not known', false, '找不到平台的服务器'],
    ['Unknown error occurred', false, '转推中断，原因见服务日志'],
    ['ffmpeg killed by SIGKILL', true, '网络跟不上直播，转推已重新开始'],
  ])('%s', (ffmpegError, fellBehind, shown) => {
    expect(relayStopText(ffmpegError, fellBehind)).toBe(shown);
  });
});
