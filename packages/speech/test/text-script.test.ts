import { isJobcastError, type JobView, type Pay } from '@jobcast/core';
import { describe, expect, it } from 'vitest';
import { normalizeForSpeech } from '../src/text/normalize.ts';
import {
  CHARS_PER_SECOND,
  checkScriptFits,
  type ScriptSite,
  speechSeconds,
  spokenPay,
  writeScript,
} from '../src/text/script.ts';
import { testJob, testPay } from './jobs.ts';

const pay = testPay;
const job = testJob;

const site: ScriptSite = { name: '示范区就业服务中心', hotline: '0791-88886666' };

function spotlight(overrides: Partial<JobView> = {}, seconds = 30, on: ScriptSite = site) {
  return writeScript({ template: 'job-spotlight', jobs: [job(overrides)], site: on, seconds });
}

/** Every figure a script says must be in what it was written from. */
function figuresOf(text: string): string[] {
  return text.match(/\d+/g) ?? [];
}

describe('a job spotlight', () => {
  it('opens with title and pay, then who, where, what is asked, and how to apply', () => {
    const script = spotlight();
    expect(script.text).toBe(
      '骨干操作工，4000-6000元/月！南昌洪城电子科技有限公司招5人，工作地点在南昌市青山湖区。' +
        '要求高中学历，1年以上经验，吃苦耐劳，能适应两班倒。福利有五险一金、包吃包住、双休。' +
        '报名截止到12月31日。报名请拨打示范区就业服务中心热线0791-88886666！',
    );
    expect(script.omitted).toEqual([]);
    expect(script.problem).toBeNull();
    expect(script.seconds).toBeLessThanOrEqual(30);
    expect(normalizeForSpeech(script.text)).toContain('骨干操作工，四千到六千元每月！');
  });

  const fitted: [number, string[], string][] = [
    [60, [], '报名截止到12月31日'],
    [30, [], '报名截止到12月31日'],
    [25, ['岗位描述', '截止日期'], '福利有五险一金'],
    [20, ['岗位描述', '截止日期', '福利待遇'], '要求高中学历，1年以上经验。'],
    [17, ['岗位描述', '截止日期', '福利待遇', '学历和经验要求'], '招5人，工作地点在南昌市青山湖区。'],
    [
      15,
      ['岗位描述', '截止日期', '福利待遇', '学历和经验要求', '招聘人数', '工作地点'],
      '南昌洪城电子科技有限公司招聘。',
    ],
    [
      12,
      ['岗位描述', '截止日期', '福利待遇', '学历和经验要求', '招聘人数', '工作地点', '用人单位'],
      '骨干操作工，4000-6000元/月！报名请拨打示范区就业服务中心热线0791-88886666！',
    ],
    [
      8,
      ['岗位描述', '截止日期', '福利待遇', '学历和经验要求', '招聘人数', '工作地点', '用人单位', '机构名称'],
      '骨干操作工，4000-6000元/月！报名请拨打热线0791-88886666！',
    ],
  ];
  it.each(fitted)('fits %i s by dropping the least important parts first: %j', (seconds, omitted, said) => {
    const script = spotlight({}, seconds);
    expect(script.omitted).toEqual(omitted);
    expect(script.text).toContain(said);
    expect(script.seconds).toBeLessThanOrEqual(seconds);
    expect(script.problem).toBeNull();
    expect(script.text.startsWith('骨干操作工，4000-6000元/月！')).toBe(true);
    expect(script.text).toContain('0791-88886666');
  });

  it('says so when even title, pay and hotline are longer than the slot', () => {
    const script = spotlight({}, 5);
    expect(script.text).toBe('骨干操作工，4000-6000元/月！报名请拨打热线0791-88886666！');
    expect(script.problem).toBe('配音稿约 8 秒，超过 5 秒的时长，请删减约 12 个字');
  });

  const pays: [string, Pay, string][] = [
    ['a range', pay(), '4000-6000元/月'],
    ['a day rate', pay({ min: 200, max: 200, unit: 'day' }), '200元/天'],
    ['an hourly rate', pay({ min: 25, max: 25, unit: 'hour' }), '25元/小时'],
    ['a floor', pay({ min: 4000, max: null }), '4000元/月以上'],
    ['13 months', pay({ min: 25000, max: 35000, months: 13 }), '2.5万-3.5万元/月·13薪'],
    ['a range open to talks', pay({ negotiable: true }), '4000-6000元/月，可面议'],
    ['面议 alone', pay({ min: null, max: null, unit: null, negotiable: true, text: '面议' }), '薪资面议'],
    ['piece work without a rate', pay({ min: null, max: null, unit: 'piece', text: '计件' }), '计件工资'],
    [
      'text the importer could not read',
      pay({ min: null, max: null, unit: null, text: '试用期3000转正后另议' }),
      '薪资详询',
    ],
    ['no pay at all', pay({ min: null, max: null, unit: null, text: null }), '薪资详询'],
  ];
  it.each(pays)('says pay given as %s as %j', (_title, given, said) => {
    expect(spokenPay(given)).toBe(said);
    expect(spotlight({ pay: given }).text.startsWith(`骨干操作工，${said}！`)).toBe(true);
  });

  it('never reads pay text the importer could not understand', () => {
    const script = spotlight({ pay: pay({ min: null, max: null, unit: null, text: '试用期3000转正后另议' }) });
    expect(script.text).not.toContain('3000');
    expect(script.text).not.toContain('试用期');
  });

  const headcounts: [number | null, string | null, string | null][] = [
    [5, null, '招5人'],
    [10, '10-20人', '招10-20人'],
    [5, '5人以上', '招5人以上'],
    [3, '招3人', '招3人'],
    [5, '5名', '招5名'],
    [5, '大约5个左右的人', '招5人'],
    [null, '若干', '招若干人'],
    [null, '人数不限', '人数不限'],
    [null, '多名', '招聘多人'],
    [null, '13800000000', null],
    [null, null, null],
  ];
  it.each(headcounts)('headcount %s with text %j is said as %j', (headcount, headcountText, said) => {
    const script = spotlight({ headcount, headcountText }, 60);
    if (said === null) {
      expect(script.text).toContain('南昌洪城电子科技有限公司招聘，');
      expect(script.text).not.toContain('13800000000');
    } else expect(script.text).toContain(said);
  });

  const requirements: [string | null, string | null, string][] = [
    ['高中', '1年以上', '要求高中学历，1年以上经验'],
    ['大专及以上学历', '3年以上工作经验', '要求大专及以上学历，3年以上工作经验'],
    ['不限', '经验不限', '学历不限，经验不限'],
    ['本科', '应届生', '要求本科学历，面向应届生'],
    [null, '1-3年', '要求1-3年经验'],
    ['初中', null, '要求初中学历'],
  ];
  it.each(requirements)('education %j and experience %j read %j', (education, experience, said) => {
    expect(spotlight({ education, experience }, 60).text).toContain(said);
  });

  it('names the job type when it is not full time', () => {
    expect(spotlight({ category: 'gig', title: '展会临时服务员' }, 60).text).toContain(
      '展会临时服务员，4000-6000元/月，零工岗位！',
    );
    expect(spotlight({ category: 'internship' }, 60).text).toContain('实习岗位');
    expect(spotlight({}, 60).text).not.toContain('岗位！');
  });

  it('leaves out a description too long to say whole, and says the first sentence of a longer one', () => {
    expect(spotlight({ description: '负责生产线操作。需要倒班。' }, 60).text).toContain('负责生产线操作。');
    expect(spotlight({ description: '负责生产线操作。需要倒班。' }, 60).text).not.toContain('需要倒班');
    const long = '负责数控车床的日常操作、首件检验、设备点检与保养，以及车间现场的安全文明生产管理工作';
    expect(spotlight({ description: long }, 60).text).not.toContain('数控');
  });

  it('falls back to the employer contact, then to the office, for how to apply', () => {
    expect(spotlight({}, 30, { name: '示范区就业服务中心', hotline: null }).text).toContain(
      '报名请联系张先生，电话13800000000！',
    );
    expect(
      spotlight({ contact: { name: null, phone: null } }, 30, { name: '示范区就业服务中心', hotline: null }).text,
    ).toContain('详情请咨询示范区就业服务中心！');
    expect(spotlight({}, 30, { name: '', hotline: '12333' }).text).toContain('报名请拨打热线12333！');
  });

  it('says only figures found in the job and the site', () => {
    const jobs = [
      job(),
      job({ pay: pay({ min: 150, max: null, unit: 'day' }), headcount: 2, validUntil: null }),
      job({ pay: pay({ min: null, max: null, unit: null, text: '3000-8000（看能力）' }), headcount: null }),
      job({ pay: pay({ min: 8000, max: 12000, months: 14, negotiable: true }), description: '做六休一，8小时工作制' }),
    ];
    for (const candidate of jobs) {
      const script = writeScript({ template: 'job-spotlight', jobs: [candidate], site, seconds: 40 });
      const source = JSON.stringify({ candidate, site, pay: spokenPay(candidate.pay) }).replace(/-0?(\d)/g, '-$1');
      for (const figure of figuresOf(script.text)) expect(source).toContain(figure);
    }
  });

  it('copes with fields full of markup, emoji and rare characters', () => {
    const script = spotlight(
      {
        title: '<script>alert(1)</script>𠮷野家店员😀',
        employer: "%{employer}{{name}}\\'",
        location: '【急招】#南昌#',
        description: '🔥🔥🔥',
        extra: {},
      },
      60,
    );
    expect(script.text).toContain('𠮷野家店员');
    const spoken = normalizeForSpeech(script.text);
    expect(spoken).toContain('𠮷野家店员');
    expect(spoken).not.toMatch(/[<>{}%\\'😀🔥#0-9]/u);
  });

  it('gives clauses for captions that add up to the script', () => {
    const script = spotlight();
    expect(script.clauses.join('')).toBe(script.text);
    for (const clause of script.clauses) expect(Array.from(clause).length).toBeLessThanOrEqual(22);
    const narrow = writeScript({ template: 'job-spotlight', jobs: [job()], site, seconds: 30, clauseChars: 11 });
    expect(narrow.clauses.join('')).toBe(narrow.text);
    expect(narrow.clauses).toContain('0791-88886666！');
  });
});

describe('weekly picks', () => {
  const titles = ['普工', '叉车司机', '会计', '店长', '厨师', '保安', '电工', '快递分拣员'];
  const picks = (count: number) =>
    titles
      .slice(0, count)
      .map((title, i) =>
        job({ id: i + 1, title, pay: pay({ min: 4000 + i * 500, max: 6000 + i * 500 }), employer: `第${i + 1}家公司` }),
      );

  it.each([3, 4, 5, 6, 7, 8])('reads %i jobs in order, each with its title and pay', (count) => {
    const script = writeScript({ template: 'weekly-picks', jobs: picks(count), site, seconds: 120 });
    expect(script.text.startsWith(`示范区就业服务中心本周精选${count}个好岗位！第1个，普工，4000-6000元/月`)).toBe(
      true,
    );
    let at = 0;
    for (const [i, title] of titles.slice(0, count).entries()) {
      const next = script.text.indexOf(`第${i + 1}个，${title}，${4000 + i * 500}-${6000 + i * 500}元/月`, at);
      expect(next).toBeGreaterThan(at);
      at = next;
    }
    expect(script.text.endsWith('报名请拨打示范区就业服务中心热线0791-88886666！')).toBe(true);
    expect(normalizeForSpeech(script.text)).toContain('第一个，普工，四千到六千元每月');
  });

  it('drops the later jobs’ details first when short of time', () => {
    const script = writeScript({ template: 'weekly-picks', jobs: picks(4), site, seconds: 35 });
    expect(script.problem).toBeNull();
    expect(script.text.startsWith('本周精选4个好岗位！')).toBe(true);
    expect(script.text).toContain('第1个，普工，4000-6000元/月，第1家公司，在南昌市青山湖区。');
    expect(script.text).toContain('第4个，店长，5500-7500元/月，第4家公司。');
    expect(script.omitted).toEqual(['开场的机构名称', '招聘人数', '工作地点']);
  });

  it('keeps every title and pay even when 8 jobs cannot fit 30 s, and says by how much', () => {
    const script = writeScript({ template: 'weekly-picks', jobs: picks(8), site, seconds: 30 });
    for (const title of titles) expect(script.text).toContain(title);
    expect(script.problem).toMatch(/^配音稿约 \d+ 秒，超过 30 秒的时长，请删减约 \d+ 个字$/);
  });
});

describe('writeScript refuses what it cannot write', () => {
  const refused: [string, Parameters<typeof writeScript>[0], string][] = [
    [
      'two jobs for a spotlight',
      { template: 'job-spotlight', jobs: [job(), job()], site, seconds: 30 },
      '单岗位推荐需要 1 个岗位，收到 2 个',
    ],
    [
      'no job for a spotlight',
      { template: 'job-spotlight', jobs: [], site, seconds: 30 },
      '单岗位推荐需要 1 个岗位，收到 0 个',
    ],
    [
      'two jobs for weekly picks',
      { template: 'weekly-picks', jobs: [job(), job()], site, seconds: 60 },
      '每周精选需要 3 到 8 个岗位，收到 2 个',
    ],
    [
      'nine jobs for weekly picks',
      { template: 'weekly-picks', jobs: Array(9).fill(job()), site, seconds: 60 },
      '每周精选需要 3 到 8 个岗位，收到 9 个',
    ],
    ['no time', { template: 'job-spotlight', jobs: [job()], site, seconds: 0 }, '配音时长应为大于 0 的秒数，收到 0'],
    [
      'a time that is not a number',
      { template: 'job-spotlight', jobs: [job()], site, seconds: Number.NaN },
      '配音时长应为大于 0 的秒数，收到 NaN',
    ],
  ];
  it.each(refused)('%s', (_title, request, message) => {
    let caught: unknown;
    try {
      writeScript(request);
    } catch (error) {
      caught = error;
    }
    expect(isJobcastError(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'BAD_INPUT', message });
  });
});

describe('speechSeconds and checkScriptFits', () => {
  it('speaks 4 characters a second', () => {
    expect(CHARS_PER_SECOND).toBe(4);
  });

  const spoken: [string, number][] = [
    ['', 0],
    ['普工', 2],
    ['4500', 3],
    ['4500-6000元/月', 9],
    ['13812345678', 11],
    ['2025年', 5],
    ['8:30', 3],
    ['招聘，普工。', 4],
    ['HR专员', 4],
    ['Java工程师', 5],
    ['😀<script>{{x}}', 0],
    ['𠮷野家', 3],
  ];
  it.each(spoken)('%j takes %i characters of speech', (text, characters) => {
    expect(speechSeconds(text)).toBe(characters / CHARS_PER_SECOND);
  });

  const fits: [string, number, string | null][] = [
    ['', 15, null],
    ['普工', 15, null],
    ['一二三四五六七八九十'.repeat(6), 15, null],
    [`${'一二三四五六七八九十'.repeat(6)}一`, 15, '配音稿约 16 秒，超过 15 秒的时长，请删减约 1 个字'],
    ['一二三四五六七八九十'.repeat(40), 15, '配音稿约 100 秒，超过 15 秒的时长，请删减约 340 个字'],
    ['13812345678'.repeat(10), 15, '配音稿约 28 秒，超过 15 秒的时长，请删减约 50 个字'],
    ['普工普工', 0.5, '配音稿约 1 秒，超过 0.5 秒的时长，请删减约 2 个字'],
  ];
  it.each(fits)('%j in %i s → %j', (text, seconds, message) => {
    expect(checkScriptFits(text, seconds)).toBe(message);
  });
});
