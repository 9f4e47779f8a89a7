import { describe, expect, it } from 'vitest';
import { fontFace } from '../src/text/font.ts';
import {
  assSubtitles,
  assTime,
  CAPTION_STYLE,
  CAPTION_WIDTH,
  captionLines,
  escapeAss,
  layoutCaptions,
  srtSubtitles,
  srtTime,
} from '../src/video/captions.ts';
import { planContinuous, planTimeline, SPEECH_LEAD_S, SPEECH_TAIL_S } from '../src/video/timeline.ts';

const scenes = [
  { seconds: 5, label: '开场' },
  { seconds: 11, label: '第 1 个岗位' },
  { seconds: 7.5, label: '结尾' },
];

describe('where the narration falls', () => {
  it('keeps the template lengths when every paragraph fits its scene, each starting just after its scene', () => {
    const plan = planTimeline({ scenes, speech: [3, 9, 0], transitionS: 0.5, mayGrow: false, maxSeconds: 30 });
    expect(plan.sceneSeconds).toEqual([5, 11, 7.5]);
    expect(plan.speechStarts).toEqual([SPEECH_LEAD_S, 4.5 + SPEECH_LEAD_S, 15 + SPEECH_LEAD_S]);
    expect(plan.seconds).toBeCloseTo(22.5);
  });

  it('refuses a paragraph too long for its scene, naming the scene, when the template may not grow', () => {
    expect(() =>
      planTimeline({ scenes, speech: [3, 14, 0], transitionS: 0.5, mayGrow: false, maxSeconds: 30 }),
    ).toThrow(/「第 1 个岗位」的配音约 14 秒，画面只有 11 秒/);
  });

  it('grows the scene to its speech when allowed, and refuses a video that would outgrow the template', () => {
    const plan = planTimeline({ scenes, speech: [3, 14, 0], transitionS: 0.5, mayGrow: true, maxSeconds: 40 });
    expect(plan.sceneSeconds[1]).toBeCloseTo(SPEECH_LEAD_S + 14 + SPEECH_TAIL_S + 0.5);
    expect(() => planTimeline({ scenes, speech: [3, 40, 0], transitionS: 0.5, mayGrow: true, maxSeconds: 40 })).toThrow(
      /超过这个视频最长 40 秒/,
    );
  });

  it('a 400-character script in a 15-second video fails naming the length', () => {
    const short = [
      { seconds: 5, label: '开场' },
      { seconds: 10.5, label: '岗位' },
    ];
    expect(() =>
      planContinuous({ scenes: short, speech: 100, transitionS: 0.5, mayGrow: false, maxSeconds: 15 }),
    ).toThrow(/超过这个视频 15 秒的时长/);
  });
});

describe('captions', () => {
  it('breaks a long cue into cues of at most two lines inside the safe width, sharing its time', () => {
    const text = '南昌洪城电子科技有限公司招聘普工三十名，包吃包住，月薪四千五到六千元，长白班不倒班，欢迎来电咨询';
    const shown = layoutCaptions([{ text, start: 1, end: 11 }]);
    expect(shown.length).toBeGreaterThan(1);
    for (const cue of shown) expect(cue.lines.length).toBeLessThanOrEqual(2);
    expect(shown.map((c) => c.lines.join('')).join('')).toBe(text);
    expect(shown[0]?.start).toBe(1);
    expect(shown.at(-1)?.end).toBeCloseTo(11);
    // 避头尾: no line starts with a closing mark.
    for (const cue of shown) for (const line of cue.lines) expect(line).not.toMatch(/^[，。、；：？！）]/);
  });

  it('splits a long cue where the voice says the next words, when the engine timed its words', () => {
    const text = '南昌洪城电子科技有限公司招聘普工三十名，包吃包住，月薪四千五到六千元，长白班不倒班，欢迎来电咨询';
    const chars = [...text];
    // A voice that says the first half slowly (8 s) and the rest quickly (2 s): an even share by
    // length would show the second caption seconds before it is said.
    const half = Math.floor(chars.length / 2);
    const words = chars.map((c, i) => ({
      text: c,
      startMs: 1000 + (i < half ? (i * 8000) / half : 8000 + ((i - half) * 2000) / (chars.length - half)),
      endMs: 0,
    }));
    const timed = layoutCaptions([{ text, start: 1, end: 11, words }]);
    const even = layoutCaptions([{ text, start: 1, end: 11 }]);
    expect(timed.length).toBe(even.length);
    const firstChars = timed[0]?.lines.join('').length ?? 0;
    const said = words[firstChars]?.startMs ?? 0;
    expect(timed[0]?.end).toBeCloseTo(said / 1000, 1);
    expect(Math.abs((timed[0]?.end ?? 0) - (even[0]?.end ?? 0))).toBeGreaterThan(1);
    expect(timed.at(-1)?.end).toBe(11);
    for (let i = 1; i < timed.length; i++) expect(timed[i]?.start).toBe(timed[i - 1]?.end);
  });

  it('escapes what libass would read as an override tag, and times in its format', () => {
    expect(escapeAss('{\\an8}弹幕{{x}}')).toBe('｛＼an8｝弹幕｛｛x｝｝');
    expect(assTime(3723.456)).toBe('1:02:03.46');
    expect(srtTime(3723.456)).toBe('01:02:03,456');
    const ass = assSubtitles([{ text: '招聘{\\pos(0,0)}普工', start: 0, end: 2 }], { seconds: 20, aiLabel: true });
    expect(ass).toContain('Dialogue: 0,0:00:00.00,0:00:02.00,Caption,,0,0,0,,招聘｛＼pos(0,0)｝普工');
    expect(ass).toContain('AiLabel,,0,0,0,,本视频含AI生成内容');
    expect(assSubtitles([{ text: '普工', start: 0, end: 2 }], { seconds: 20, aiLabel: false })).not.toContain(
      'AiLabel,,',
    );
  });

  it('writes SubRip with the same lines', () => {
    const srt = srtSubtitles([
      { text: '招聘普工', start: 0.4, end: 1.6 },
      { text: '月薪4500-6000元/月', start: 1.8, end: 3.5 },
    ]);
    expect(srt).toBe(
      '1\n00:00:00,400 --> 00:00:01,600\n招聘普工\n\n2\n00:00:01,800 --> 00:00:03,500\n月薪4500-6000元/月\n',
    );
  });
});

describe('caption lines', () => {
  const face = fontFace('bold');
  it.each([
    ['工作地点在南昌市青山湖区', ['工作地点在', '南昌市青山湖区']],
    ['南昌洪城电子科技有限公司招5人', ['南昌洪城电子科技', '有限公司招5人']],
    ['月薪4000-6000元/月！', ['月薪4000-6000元/月！']],
    ['报名请拨打热线0791-88886666！', ['报名请拨打热线', '0791-88886666！']],
  ])('breaks %s between words, evenly', (text, lines) => {
    expect(captionLines(text, face, CAPTION_STYLE.size, CAPTION_WIDTH)).toEqual(lines);
  });
});
