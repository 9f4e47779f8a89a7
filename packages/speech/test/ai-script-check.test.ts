import type { JobView, Pay } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import {
  checkAiScript,
  parseScriptAnswer,
  type SceneScriptSlot,
  type ScriptSite,
  scriptPrompt,
  speechSeconds,
  writeSceneScript,
} from '../src/index.ts';
import { testJob, testPay } from './jobs.ts';

/** 4500-6000 a month, and a description with ages and hours: figures a faithful script may say. */
function pay(overrides: Partial<Pay> = {}): Pay {
  return testPay({ min: 4500, text: '4500-6000元/月', ...overrides });
}

function job(overrides: Partial<JobView> = {}): JobView {
  return testJob({ pay: pay(), description: '18-45岁，吃苦耐劳，能适应两班倒，8:00-17:30', ...overrides });
}

const site: ScriptSite = { name: '示范区就业服务中心', hotline: '0791-88886666' };

/** job-spotlight's scenes as the render plans them (5, 11, 8 and 7.5 s less lead, tail and transition). */
const spotlight: SceneScriptSlot[] = [
  { say: ['hook'], job: null, seconds: 3.6 },
  { say: ['who'], job: null, seconds: 9.6 },
  { say: ['requirements', 'welfare'], job: null, seconds: 6.6 },
  { say: ['apply'], job: null, seconds: 6.6 },
];

/** What a model writes when it keeps to the facts: livelier than the rules, every figure the job's. */
const faithful = [
  '骨干操作工，月薪四千五到六千！',
  '南昌洪城电子科技有限公司招5人，就在南昌市青山湖区，家门口的好工作！',
  '高中学历、一年以上经验就能来，五险一金、包吃包住还双休！',
  '心动不如行动，快拨热线0791-88886666！',
];

function check(paragraphs: readonly string[], jobs = [job()], slots = spotlight) {
  return checkAiScript(paragraphs, { jobs, site, slots });
}

function withParagraph(i: number, text: string): string[] {
  return faithful.map((p, j) => (j === i ? text : p));
}

describe('checking an AI-written script against the jobs', () => {
  it('accepts a faithful, livelier script', () => {
    for (const [i, p] of faithful.entries()) {
      expect(speechSeconds(p), p).toBeLessThanOrEqual((spotlight[i] as SceneScriptSlot).seconds);
    }
    expect(check(faithful)).toEqual({ ok: true });
  });

  it.each([
    ['Chinese numerals', '月薪四千五到六千元'],
    ['Arabic figures', '月薪4500到6000元'],
    ['thousands with K', '月薪4.5K到6K'],
    ['a mixed form', '月薪4千5到6千'],
    ['the top only', '最高能拿六千'],
    ['ten-thousands', '月薪零点六万封顶'],
  ])('accepts the pay 4500-6000 written in %s', (_how, hook) => {
    expect(check(withParagraph(0, hook))).toEqual({ ok: true });
  });

  it('accepts 四到六千 for a job paying 4000-6000, and the low end of 4-6千 as 4000', () => {
    const paid = job({ pay: pay({ min: 4000, max: 6000, text: '4000-6000元/月' }) });
    expect(check(withParagraph(0, '操作工，月薪四到六千！'), [paid])).toEqual({ ok: true });
    expect(check(withParagraph(0, '操作工，月薪4-6千！'), [paid])).toEqual({ ok: true });
  });

  it('accepts 一点五万 and 1.5万 for a job paying 15000-20000, and 十三薪 for its 13 months', () => {
    const paid = job({ pay: pay({ min: 15000, max: 20000, months: 13, text: '1.5-2万·13薪' }) });
    expect(check(withParagraph(0, '月薪一点五万到两万！'), [paid])).toEqual({ ok: true });
    expect(check(withParagraph(0, '月薪1.5万到2万！'), [paid])).toEqual({ ok: true });
    const months = withParagraph(0, '月薪1.5万到2万！').map((p, i) => (i === 2 ? '高中学历，十三薪，双休！' : p));
    expect(check(months, [paid])).toEqual({ ok: true });
  });

  it('accepts ages, dates, clock times said the way people say them, and words that only look like numbers', () => {
    expect(check(withParagraph(2, '十八到四十五岁都能来，十分欢迎！'))).toEqual({ ok: true });
    expect(check(withParagraph(2, '早八点到下午五点半，两班倒。'))).toEqual({ ok: true });
    expect(check(withParagraph(3, '十二月三十一日截止，拨88886666！'))).toEqual({ ok: true });
    expect(check(withParagraph(2, '一起来，千万别错过，一流的团队！'))).toEqual({ ok: true });
  });

  it('refuses a script that invents a salary, quoting it', () => {
    expect(check(withParagraph(0, '骨干操作工，月薪八千！'))).toEqual({
      ok: false,
      reason: '稿件里的“八千”不在岗位信息里',
    });
    expect(check(withParagraph(0, '骨干操作工，月薪8000元！'))).toEqual({
      ok: false,
      reason: '稿件里的“8000元”不在岗位信息里',
    });
    expect(check(withParagraph(0, '操作工，月入过万！'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('万'),
    });
    expect(check(withParagraph(0, '操作工，月薪五千到七千！'))).toMatchObject({ ok: false });
  });

  it('refuses an invented headcount, year or benefit figure', () => {
    expect(check(withParagraph(1, '南昌洪城电子科技有限公司招二十人！'))).toEqual({
      ok: false,
      reason: '稿件里的“二十人”不在岗位信息里',
    });
    expect(check(withParagraph(3, '2027年也能报名，拨0791-88886666！'))).toMatchObject({ ok: false });
    expect(check(withParagraph(2, '年底发十三薪，五险一金！'))).toMatchObject({ ok: false });
  });

  it('refuses a phone number that is neither the hotline nor the job’s contact', () => {
    expect(check(withParagraph(3, '快拨13912345678报名！'))).toEqual({
      ok: false,
      reason: '稿件里的电话“13912345678”不是服务热线或岗位的联系电话',
    });
    expect(check(withParagraph(3, '快拨0791-88887777报名！'))).toMatchObject({ ok: false });
    expect(check(withParagraph(3, '快拨幺三九幺二三四五六七八报名！'))).toMatchObject({ ok: false });
    // The job's own contact, and the hotline read digit by digit, are the job's.
    expect(check(withParagraph(3, '联系张先生13800000000！'))).toEqual({ ok: true });
    expect(check(withParagraph(3, '热线零七九幺八八八八六六六六！'))).toEqual({ ok: true });
  });

  it('refuses an employer that is not the job’s, and accepts the job’s under a short name or a generic word', () => {
    expect(check(withParagraph(1, '华为技术有限公司招5人，家门口上班！'))).toEqual({
      ok: false,
      reason: '稿件里的单位“华为技术有限公司”不是所选岗位的用人单位',
    });
    expect(check(withParagraph(1, '欢迎加入南昌华为科技有限公司！'))).toMatchObject({ ok: false });
    expect(check(withParagraph(1, '富士康工厂招5人！'))).toMatchObject({ ok: false });
    expect(check(withParagraph(1, '欢迎加入洪城电子公司，招5人！'))).toEqual({ ok: true });
    expect(check(withParagraph(1, '这家公司招5人，在南昌市青山湖区！'))).toEqual({ ok: true });
    expect(check(withParagraph(1, '大公司招5人，店长都说好！'))).toEqual({ ok: true });
  });

  it('refuses a paragraph too long for its scene, and a wrong number of paragraphs', () => {
    const long =
      '南昌洪城电子科技有限公司现在招5人，工作地点就在南昌市青山湖区，离家近，环境好，同事们都很友善，快来吧！';
    const verdict = check(withParagraph(1, long));
    expect(verdict).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^第 2 段约 [\d.]+ 秒，超过画面的 9.6 秒$/),
    });
    expect(check(faithful.slice(0, 3))).toEqual({ ok: false, reason: '段落数 3 与画面数 4 不符' });
  });

  it('refuses a speaking scene left empty, and words for a silent one', () => {
    expect(check(withParagraph(3, ''))).toEqual({ ok: false, reason: '第 4 段是空的，这个画面需要配音' });
    const silent = [...spotlight, { say: [], job: null, seconds: 2 }];
    expect(check([...faithful, '再见！'], [job()], silent)).toEqual({
      ok: false,
      reason: '第 5 段应当留空：这个画面不配音',
    });
    expect(check([...faithful, ''], [job()], silent)).toEqual({ ok: true });
  });

  it('passes the rule writer’s own scripts, whatever the jobs (it never invents a fact)', () => {
    const jobs = [
      job(),
      job({ id: 2, title: '仓库管理员', employer: '南昌第0电子厂', pay: pay({ min: 15000, max: 20000, months: 13 }) }),
      job({
        id: 3,
        title: '收银员',
        employer: '南昌象湖餐饮管理有限公司',
        pay: pay({ min: 180, max: 220, unit: 'day' }),
      }),
    ];
    // Roomy scenes: the rule writer keeps a hook longer than its scene (and says so), which is not a fact.
    const roomy = spotlight.map((slot) => ({ ...slot, seconds: 20 }));
    for (const one of jobs) {
      const rule = writeSceneScript({ scenes: roomy, jobs: [one], site }).paragraphs;
      expect(check(rule, [one], roomy), rule.join(' / ')).toEqual({ ok: true });
    }
    const weekly: SceneScriptSlot[] = [
      { say: ['intro'], job: null, seconds: 4.6 },
      ...jobs.map((_, i) => ({ say: ['pick' as const], job: i, seconds: 5 })),
      { say: ['apply'], job: null, seconds: 6.1 },
    ];
    const rule = writeSceneScript({ scenes: weekly, jobs, site }).paragraphs;
    expect(check(rule, jobs, weekly), rule.join(' / ')).toEqual({ ok: true });
  });
});

describe('the prompt and the answer', () => {
  it('gives the model the job’s fields, the hotline and each scene’s brief and length in characters', () => {
    const [system, user] = scriptPrompt({ slots: spotlight, jobs: [job()], site });
    expect(system?.content).toContain('不编造');
    expect(user?.content).toContain('用人单位：南昌洪城电子科技有限公司');
    expect(user?.content).toContain('薪资：4500-6000元/月');
    expect(user?.content).toContain('服务热线：0791-88886666');
    expect(user?.content).toContain('福利待遇：五险一金、包吃包住、双休');
    expect(user?.content).toContain('报名截止：2026-12-31');
    expect(user?.content).toContain('请写 4 段');
    expect(user?.content).toContain('画面 1（讲第 1 个岗位）：开场抓人：岗位名称和薪资。不超过 14 个字。');
    // Nothing to say about requirements or welfare: the scene is silent, as the rule writer leaves it.
    const bare = job({ education: null, experience: null, description: null, extra: {} });
    expect(scriptPrompt({ slots: spotlight, jobs: [bare], site })[1]?.content).toContain('画面 3：不说话。');
  });

  it('reads paragraphs out of fences, numbering, labels, Markdown, emoji and chatter', () => {
    const answer = [
      '好的，以下是为您撰写的配音稿：',
      '',
      '```',
      '**画面1：** 骨干操作工来啦🔥！',
      '',
      '2. “南昌洪城电子科技有限公司招5人！”',
      '',
      '【场景三】 - 五险一金，包吃包住！',
      '',
      '-',
      '```',
    ].join('\n');
    expect(parseScriptAnswer(answer)).toEqual([
      '骨干操作工来啦！',
      '南昌洪城电子科技有限公司招5人！',
      '五险一金，包吃包住！',
      '',
    ]);
    expect(parseScriptAnswer('第一段。\n第二段。\n第三段。')).toEqual(['第一段。', '第二段。', '第三段。']);
  });
});
