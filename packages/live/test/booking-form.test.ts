import { describe, expect, it } from 'vitest';
import {
  type BookingText,
  bookingOfText,
  localStartOf,
  minutesOf,
  RELAY_LIMITS,
  relaysOf,
} from '../src/booking-form.ts';

function refusal(read: () => unknown): { code: string; message: string } {
  try {
    read();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('not refused');
}

describe('localStartOf', () => {
  const accepted: [string, string, string][] = [
    ['2026-12-03', '14:00', '2026-12-03 14:00'],
    ['2028-02-29', '00:00', '2028-02-29 00:00'],
    ['2026-12-31', '23:59', '2026-12-31 23:59'],
  ];
  for (const [day, time, local] of accepted) {
    it(`reads ${day} ${time}`, () => expect(localStartOf(day, time)).toBe(local));
  }

  const refused: [string, string, string][] = [
    ['', '14:00', 'no day'],
    ['2026-12-03', '', 'no time'],
    // Date.parse would roll these over to another day.
    ['2026-02-30', '14:00', 'a day February does not have'],
    ['2026-02-29', '14:00', 'the 29th of a common year'],
    ['2026-12-03', '24:00', 'the hour after the day'],
    ['2026-12-03', '14:60', 'the 60th minute'],
    ['2026-12-3', '14:00', 'a day not written in full'],
    ['2026-12-03', '14:00:00', 'seconds'],
    ['2026年12月3日', '14:00', 'the day in words'],
  ];
  for (const [day, time, why] of refused) {
    it(`refuses ${why}, saying how to write it`, () => {
      const error = refusal(() => localStartOf(day, time));
      expect(error.code).toBe('BAD_INPUT');
      expect(error.message).toBe('开始日期和时间：请填写有效的日期和时间，如 2026-12-03 和 14:00');
    });
  }
});

describe('minutesOf', () => {
  const cases: [string, number | undefined | string][] = [
    ['90', 90],
    [' 45 ', 45],
    ['', undefined],
    ['   ', undefined],
    // The domain says whether 0 or 100000 minutes is a slot; here only the form of the number counts.
    ['0', 0],
    ['90.5', '时长（分钟）：“90.5”不是整数'],
    ['-5', '时长（分钟）：“-5”不是整数'],
    ['九十', '时长（分钟）：“九十”不是整数'],
    ['123456', '时长（分钟）：“123456”不是整数'],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)}`, () => {
      if (typeof expected === 'string') expect(refusal(() => minutesOf(text)).message).toBe(expected);
      else expect(minutesOf(text)).toBe(expected);
    });
  }
});

describe('relaysOf', () => {
  const douyin = 'rtmp://push-rtmp-l1.douyincdn.com/third/stream-1';
  const cases: { why: string; text: string; relays?: string[]; message?: string }[] = [
    { why: 'nothing typed', text: '', relays: [] },
    {
      why: 'one a line, blank lines and spaces dropped',
      text: ` ${douyin} \r\n\n${douyin}2\n`,
      relays: [douyin, `${douyin}2`],
    },
    {
      why: 'as many as the API takes',
      text: Array.from({ length: RELAY_LIMITS.count }, () => douyin).join('\n'),
      relays: Array.from({ length: RELAY_LIMITS.count }, () => douyin),
    },
    {
      why: 'one more than the API takes',
      text: Array.from({ length: RELAY_LIMITS.count + 1 }, () => douyin).join('\n'),
      message: '转推地址：最多 10 个',
    },
    {
      why: 'an address longer than the API takes',
      text: `${douyin}\nrtmp://a.douyincdn.com/${'k'.repeat(RELAY_LIMITS.chars)}`,
      message: '转推地址：第 2 个超过 2000 个字符',
    },
  ];
  for (const { why, text, relays, message } of cases) {
    it(why, () => {
      if (message) expect(refusal(() => relaysOf(text)).message).toBe(message);
      else expect(relaysOf(text)).toEqual(relays);
    });
  }
});

describe('bookingOfText', () => {
  const text: BookingText = {
    type: 'job',
    title: '十二月直播带岗',
    anchorName: '',
    day: '2026-12-03',
    time: '14:00',
    minutes: '',
    relays: '',
    jobIds: [3, 1, 2],
  };

  it('is the booking the form asks for, the rundown in the order ticked and the start on the site clock', () => {
    expect(bookingOfText(text)).toEqual({
      input: {
        type: 'job',
        title: '十二月直播带岗',
        anchorName: '',
        minutes: undefined,
        jobIds: [3, 1, 2],
        relays: [],
      },
      localStart: '2026-12-03 14:00',
    });
  });

  it('says first what is wrong with the length, then the start, then the relays', () => {
    const all = { ...text, minutes: 'x', time: '', relays: 'a\n'.repeat(11) };
    expect(refusal(() => bookingOfText(all)).message).toMatch(/^时长/);
    expect(refusal(() => bookingOfText({ ...all, minutes: '' })).message).toMatch(/^开始日期和时间/);
    expect(refusal(() => bookingOfText({ ...all, minutes: '', time: '14:00' })).message).toMatch(/^转推地址/);
  });
});
