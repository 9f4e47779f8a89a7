import { describe, expect, it } from 'vitest';
import { finalizeErrorText, RELAY_STOPPED, REMUX_FAILED, relayErrorText, relayPlatform } from '../src/labels.ts';

describe('a relay as people see it', () => {
  it.each([
    ['rtmp://push-rtmp-l1.douyincdn.com', '抖音'],
    ['rtmp://push.douyin.com:1935', '抖音'],
    ['rtmp://livepush.myqcloud.com', '视频号'],
    ['rtmps://channels.weixin.qq.com', '视频号'],
    ['rtmp://198.51.100.9:1935', '转推目标 3'],
    ['rtmp://evil-douyin.com.example.net', '转推目标 3'],
    ['（无效地址）', '转推目标 3'],
  ])('a relay to %s is called %s, never by its address', (label, name) => {
    expect(relayPlatform(label, 3)).toBe(name);
  });
});

describe('errors stored by earlier versions, as shown', () => {
  it.each([
    [
      '录像转封装失败 (remux failed): ffmpeg exited with code 1: /srv/jobcast/media/live/7/segment-001.flv: Invalid data',
      REMUX_FAILED,
    ],
    [
      '录像转封装失败：ffprobe exited with code 1: /srv/jobcast/media/live/7/recording.mp4: moov atom not found',
      REMUX_FAILED,
    ],
    [REMUX_FAILED, REMUX_FAILED],
    ['没有收到任何画面 (nothing was received)', '没有收到任何画面'],
    ['没有收到任何画面', '没有收到任何画面'],
  ])('a finalization error %s reads %s', (stored, shown) => {
    expect(finalizeErrorText(stored)).toBe(shown);
  });

  it.each([
    [
      '转推地址的主机不在允许的平台里，未转推 (host not allowed; not relayed)',
      '转推地址的主机不在允许的平台里，未转推',
    ],
    ['Connection refused', RELAY_STOPPED],
    ['rtmp://198.51.100.9:1935/…: Input/output error', RELAY_STOPPED],
    ['平台拒绝了连接', '平台拒绝了连接'],
  ])('a relay error %s reads %s', (stored, shown) => {
    expect(relayErrorText(stored)).toBe(shown);
  });
});
