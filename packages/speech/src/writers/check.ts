/**
 * Whether an AI-written narration may be spoken: every figure, phone number and employer in it must come from
 * the jobs or the office, and every paragraph must fit its scene. Figures are compared by value, however they
 * are written (4500, 4.5K, 四千五, 4千5), so a faithful script is not refused for its wording. Pure.
 */
import type { JobView } from '@jobcast/core';
import { foldWidth } from '../text/normalize.ts';
import { type SceneScriptSlot, type ScriptSite, speechSeconds, spokenPay, writeSceneScript } from '../text/script.ts';
import { silentSlots } from './prompt.ts';

export type ScriptVerdict = { ok: true } | { ok: false; reason: string };

export interface ScriptFacts {
  jobs: readonly JobView[];
  site: ScriptSite;
  /** The scenes the paragraphs are for, as the rule writer gets them. */
  slots: readonly SceneScriptSlot[];
}

/** Words with a numeral in them that state no figure (十分好, 千万别错过, 一起, 五金, 九江 …). */
const NOT_FIGURES = [
  '十分',
  '十足',
  '十全十美',
  '万一',
  '千万',
  '万千',
  '千家万户',
  '万家',
  '万事',
  '百货',
  '百姓',
  '百分百',
  '百里挑一',
  '一些',
  '一起',
  '一下',
  '一定',
  '一直',
  '一般',
  '一样',
  '一切',
  '一致',
  '一同',
  '一体',
  '一心',
  '一边',
  '一旦',
  '一律',
  '一路',
  '一流',
  '一线',
  '一站式',
  '一对一',
  '一手',
  '一举',
  '一份',
  '一员',
  '一点儿',
  '一会儿',
  '一步',
  '一键',
  '一展',
  '一口',
  '一把',
  '一技之长',
  '一席之地',
  '一年四季',
  '一天一结',
  '一日三餐',
  '统一',
  '唯一',
  '之一',
  '一一',
  '三百六十行',
  '五湖四海',
  '四面八方',
  '四季',
  '五金',
  '三明治',
  '二手',
  '二维码',
  '三轮',
  '九江',
  '十堰',
  '六安',
  '三亚',
  '四川',
  '三明',
  '三门峡',
  '七台河',
  '万州',
  '万宁',
  '八一',
  '九龙',
].sort((a, b) => b.length - a.length);
const NOT_FIGURES_RE = new RegExp(NOT_FIGURES.join('|'), 'g');

const CN_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  幺: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const PLACES: Readonly<Record<string, number>> = {
  十: 10,
  百: 100,
  千: 1000,
  万: 10_000,
  亿: 100_000_000,
  k: 1000,
  K: 1000,
  w: 10_000,
  W: 10_000,
};
/** After a lone numeral these make it a figure (三人, 五险一金, 两班倒); 一 counts only before the first few. */
const FIGURE_UNIT_RE =
  /^\s*(?:元|块|万|千|百|人|名|位|个月|岁|周岁|年|月|日|号|天|小时|点|险|金|薪|倍|班|次|成|%|公里|平)/u;
const ONE_UNIT_RE = /^\s*(?:元|块|万|千|百|人|名|位|个月|岁|周岁|年|险|金|薪)/u;
const RANGE_SEP_RE = /^\s*(?:到|至|-+|~|～|—|－)\s*$/u;
/** 月入过万, 破千: a lone 万 or 千 that states a figure. */
const OVER_RE = /[过上破近超逾]$/u;

type Unit = { kind: 'num'; value: number; single: boolean } | { kind: 'place'; value: number };

interface Figure {
  /** As written, with the unit after it (8000元, 八千): what a refusal quotes. */
  shown: string;
  /** The values it may mean: 4 in 4-6千 is 4 or 4000. */
  values: number[];
}

interface Token {
  start: number;
  end: number;
  units: Unit[];
}

/** Runs of numerals: Arabic figures, Chinese numerals, and K/W after a figure. */
function tokens(text: string): Token[] {
  const found: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const start = i;
    const units: Unit[] = [];
    while (i < text.length) {
      const rest = text.slice(i);
      const arabic = /^\d+(?:\.\d+)?/.exec(rest);
      const ch = text[i] as string;
      if (arabic) {
        units.push({ kind: 'num', value: Number(arabic[0]), single: false });
        i += arabic[0].length;
      } else if (CN_DIGITS[ch] !== undefined) {
        units.push({ kind: 'num', value: CN_DIGITS[ch], single: true });
        i++;
      } else if ('十百千万亿'.includes(ch)) {
        units.push({ kind: 'place', value: PLACES[ch] as number });
        i++;
      } else if (/[kKwW]/.test(ch) && units.at(-1)?.kind === 'num' && !/^[A-Za-z]/.test(text.slice(i + 1))) {
        units.push({ kind: 'place', value: PLACES[ch] as number });
        i++;
      } else break;
    }
    if (units.length > 0) found.push({ start, end: i, units });
    else i++;
  }
  return found;
}

/** The value of a numeral: 四千五 4500, 一万二 12000, 4.5K 4500, 三千零五 3005, 二零二六 2026; null if none. */
function numeralValue(units: readonly Unit[]): number | null {
  if (units.every((u) => u.kind === 'num')) {
    if (units.length === 1) return (units[0] as Unit).value;
    // Said digit by digit (二零二六) only when every unit is one Chinese digit.
    return units.every((u) => u.kind === 'num' && u.single) ? Number(units.map((u) => u.value).join('')) : null;
  }
  let total = 0;
  let section = 0;
  let current: number | null = null;
  let last = 0;
  let zero = false;
  for (const u of units) {
    if (u.kind === 'num') {
      if (u.single && u.value === 0) {
        zero = true;
        continue;
      }
      if (current !== null) return null;
      current = u.value;
    } else if (u.value >= 10_000) {
      total = (total + (section + (current ?? 0) || 1)) * u.value;
      section = 0;
      current = null;
      last = u.value;
      zero = false;
    } else {
      section += (current ?? 1) * u.value;
      current = null;
      last = u.value;
      zero = false;
    }
  }
  // 四千五, 一万二: a digit right after a place is worth a tenth of it.
  if (current !== null) section += !zero && last >= 100 && current < 10 ? (current * last) / 10 : current;
  return total + section;
}

/** 一点五万 as 1.5万: a decimal said in words before 万 or 千 (八点半 is a time and stays). */
function spokenDecimals(text: string): string {
  return text.replace(
    /([零〇一二两三四五六七八九十]+)点([零〇一二三四五六七八九]+)(?=[万千])/gu,
    (whole, int: string, fraction: string) => {
      const value = tokens(int)[0] && numeralValue((tokens(int)[0] as Token).units);
      if (value === null || value === undefined) return whole;
      return `${value}.${Array.from(fraction, (ch) => CN_DIGITS[ch]).join('')}`;
    },
  );
}

function key(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

// Phone numbers as written in Arabic figures: mobiles, 400/800, landlines with their area code, long runs.
const PHONE_RES = [
  /(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g,
  /(?<!\d)[48]00[\s-]?\d{3}[\s-]?\d{4}(?!\d)/g,
  /(?<![\d(（])[(（]?0\d{2,3}[)）]?[\s-]?[1-9]\d{6,7}(?:\s*(?:-|转|分机)\s*\d{1,5})?(?!\d)/g,
  /(?<!\d)\d{7,}(?!\d)/g,
  // …or read out digit by digit (零七九幺…).
  /[零〇一二三四五六七八九幺](?:[\s-]?[零〇一二三四五六七八九幺]){6,}/g,
];

function phoneDigits(written: string): string {
  const digits = Array.from(written, (ch) => (CN_DIGITS[ch] !== undefined ? String(CN_DIGITS[ch]) : ch))
    .join('')
    .replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** The text's phone numbers (as written and as digits), and the text with them blanked out. */
function takePhones(text: string): { phones: { shown: string; digits: string }[]; rest: string } {
  const phones: { shown: string; digits: string }[] = [];
  let rest = text;
  for (const re of PHONE_RES) {
    rest = rest.replace(re, (written) => {
      phones.push({ shown: written.trim(), digits: phoneDigits(written) });
      return '※';
    });
  }
  return { phones, rest };
}

/** Every figure of a text, by what it may mean, and its phone numbers. */
function figuresIn(text: string): { figures: Figure[]; phones: { shown: string; digits: string }[] } {
  const folded = spokenDecimals(foldWidth(text).replace(/(?<=\d),(?=\d{3}(?!\d))/g, ''));
  const { phones, rest } = takePhones(folded);
  const plain = rest.replace(NOT_FIGURES_RE, (word) => '※'.repeat(word.length));
  const found = tokens(plain);
  const figures: Figure[] = [];
  for (const [n, token] of found.entries()) {
    const before = plain.slice(0, token.start);
    const after = plain.slice(token.end);
    const written = plain.slice(token.start, token.end);
    const next = found[n + 1];
    const rangeTo = next && RANGE_SEP_RE.test(plain.slice(token.end, next.start)) ? next : undefined;
    if (!counts(token, written, before, after, rangeTo !== undefined)) continue;
    const value = numeralValue(token.units);
    if (value === null) continue;
    const values = [value];
    // 4-6千, 四到六千, 8-10K: the low end is in the high end's thousands.
    const place = rangeTo?.units.at(-1);
    if (place?.kind === 'place' && place.value >= 1000 && token.units.every((u) => u.kind === 'num')) {
      values.push(value * place.value);
    }
    // 17:30 is also said 五点半.
    if (value >= 13 && value <= 24 && /^\s*(?:[:：]|点|时)/u.test(after)) values.push(value - 12);
    const unit = /^(?:元|块|人|名|位|岁|个月|年|天|小时|%)/u.exec(after)?.[0] ?? '';
    figures.push({ shown: `${written}${unit}`, values });
  }
  return { figures, phones };
}

/** Whether a numeral states a figure: any Arabic figure does; a lone Chinese numeral only before a unit. */
function counts(token: Token, written: string, before: string, after: string, ranged: boolean): boolean {
  if (token.units.some((u) => u.kind === 'num' && !u.single)) return true;
  if (Array.from(written).length > 1) return true;
  if (before.endsWith('第') || ranged) return true;
  const u = token.units[0] as Unit;
  if (u.kind === 'place') return u.value === 10 ? FIGURE_UNIT_RE.test(after) : OVER_RE.test(before);
  return (written === '一' ? ONE_UNIT_RE : FIGURE_UNIT_RE).test(after);
}

/** What the jobs and the office say, as figures, phone numbers and the texts names may come from. */
function factsOf({ jobs, site }: ScriptFacts): { numbers: Set<number>; phones: string[]; texts: string[] } {
  const texts: string[] = [site.name, site.hotline ?? ''];
  const numbers = new Set<number>();
  const phones: string[] = [];
  for (const job of jobs) {
    texts.push(
      job.title,
      job.employer,
      spokenPay(job.pay),
      job.pay.text ?? '',
      job.headcountText ?? '',
      job.location ?? '',
      job.education ?? '',
      job.experience ?? '',
      job.description ?? '',
      job.validFrom ?? '',
      job.validUntil ?? '',
      job.contact.name ?? '',
      job.contact.phone ?? '',
      ...Object.entries(job.extra).flat(),
    );
    for (const n of [job.pay.min, job.pay.max, job.pay.months, job.headcount]) if (n !== null) numbers.add(key(n));
  }
  // 本周精选3个好岗位, 第2个.
  for (let n = 1; n <= jobs.length; n++) numbers.add(n);
  for (const text of texts) {
    const { figures, phones: found } = figuresIn(text);
    for (const figure of figures) for (const value of figure.values) numbers.add(key(value));
    for (const phone of found) {
      phones.push(phone.digits);
      numbers.add(key(Number(phone.digits)));
    }
  }
  // A hotline of a few digits (12333) is not caught as a phone: it is a figure of the office's.
  for (const hotline of [site.hotline, ...jobs.map((job) => job.contact.phone)]) {
    const digits = (hotline ?? '').replace(/\D/g, '');
    if (digits) {
      phones.push(digits);
      numbers.add(key(Number(digits)));
    }
  }
  return { numbers, phones, texts: texts.filter((t) => t !== '') };
}

// Names of employers end in one of these; the longest is tried first at each place.
const EMPLOYER_ENDS =
  /(?:有限责任公司|股份有限公司|有限公司|分公司|公司|集团|工厂|厂(?![长房区车家服商址])|卫生院|医院|诊所|大酒店|酒店|饭店|宾馆|超市|商场|商行|门店|店(?![长员铺面主家])|银行|幼儿园|学校|研究院|研究所|事务所|合作社|工作室)/gu;
/** Words before a name (欢迎加入…, 在…上班): where a name starts. */
const LEAD_INS = [
  '欢迎',
  '加入',
  '来自',
  '位于',
  '就在',
  '入职',
  '走进',
  '来到',
  '选择',
  '推荐',
  '就职',
  '应聘',
  '报名',
  '招聘',
  '诚聘',
  '急聘',
  '大家',
  '我们',
  '咱们',
  '是',
  '在',
  '的',
  '由',
  '到',
  '从',
  '去',
  '向',
  '给',
  '跟',
  '和',
  '与',
  '来',
  '进',
  '及',
  '或',
  '家',
  '这',
  '那',
];
/** Words that make `公司`, `厂`, `店` no one's name in particular (本公司, 这家店, 大型超市). */
const GENERIC = new Set([
  '本',
  '该',
  '贵',
  '我',
  '这家',
  '那家',
  '该家',
  '一家',
  '每家',
  '多家',
  '各',
  '大',
  '好',
  '小',
  '新',
  '老',
  '分',
  '子',
  '总',
  '母',
  '门',
  '工',
  '连锁',
  '大型',
  '中型',
  '小型',
  '知名',
  '正规',
  '国有',
  '上市',
  '外资',
  '合资',
  '民营',
  '私营',
  '本地',
  '当地',
  '附近',
  '社区',
  '周边',
  '实体',
  '龙头',
  '优质',
  '品牌',
]);

/** The first employer-like name in the paragraph that none of the jobs or the office has; null if none. */
function strangeEmployer(
  paragraph: string,
  facts: { texts: readonly string[]; names: readonly string[] },
): string | null {
  const text = foldWidth(paragraph);
  for (const match of text.matchAll(EMPLOYER_ENDS)) {
    const end = match[0];
    const before = text.slice(0, match.index);
    const run = /[\p{Script=Han}A-Za-z0-9]{1,16}$/u.exec(before)?.[0] ?? '';
    const boundary = (j: number) => j === 0 || LEAD_INS.some((word) => run.slice(0, j).endsWith(word));
    let known = run === '';
    for (let j = 0; j <= run.length && !known; j++) {
      if (!boundary(j)) continue;
      const name = run.slice(j);
      known =
        name === '' ||
        GENERIC.has(name) ||
        facts.texts.some((t) => t.includes(name + end)) ||
        (Array.from(name).length >= 2 && facts.names.some((n) => n.includes(name)));
    }
    if (!known) {
      let start = 0;
      for (let j = run.length - 1; j > 0; j--) {
        if (boundary(j)) {
          start = j;
          break;
        }
      }
      return run.slice(start) + end;
    }
  }
  return null;
}

function seconds(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * Whether an AI-written script may be spoken, a paragraph per slot: its figures, phone numbers and employers
 * must all come from the jobs or the office, and each paragraph must fit its scene (by the rule writer's
 * estimate of speech). The reason names the first problem, facts first, in words the media team acts on.
 */
export function checkAiScript(paragraphs: readonly string[], context: ScriptFacts): ScriptVerdict {
  const { slots } = context;
  if (paragraphs.length !== slots.length) {
    return { ok: false, reason: `段落数 ${paragraphs.length} 与画面数 ${slots.length} 不符` };
  }
  // A scene must speak where the rule writer does (within its length), and stay silent where the jobs give it
  // nothing to say at any length.
  const rule = writeSceneScript({ scenes: slots, jobs: context.jobs, site: context.site }).paragraphs;
  const silent = silentSlots(context);
  const facts = factsOf(context);
  const names = [context.site.name, ...context.jobs.map((job) => job.employer)].filter((n) => n.trim() !== '');
  for (const [i, paragraph] of paragraphs.entries()) {
    if (paragraph.trim() === '' && (rule[i] ?? '') !== '') {
      return { ok: false, reason: `第 ${i + 1} 段是空的，这个画面需要配音` };
    }
    if (paragraph.trim() !== '' && silent[i]) {
      return { ok: false, reason: `第 ${i + 1} 段应当留空：这个画面不配音` };
    }
    const { figures, phones } = figuresIn(paragraph);
    for (const phone of phones) {
      const known = facts.phones.some(
        (p) => p === phone.digits || (phone.digits.length >= 7 && p.endsWith(phone.digits)),
      );
      if (!known) return { ok: false, reason: `稿件里的电话“${phone.shown}”不是服务热线或岗位的联系电话` };
    }
    for (const figure of figures) {
      if (!figure.values.some((value) => facts.numbers.has(key(value)))) {
        return { ok: false, reason: `稿件里的“${figure.shown}”不在岗位信息里` };
      }
    }
    const employer = strangeEmployer(paragraph, { texts: facts.texts, names });
    if (employer) return { ok: false, reason: `稿件里的单位“${employer}”不是所选岗位的用人单位` };
  }
  for (const [i, paragraph] of paragraphs.entries()) {
    const slot = slots[i] as SceneScriptSlot;
    const needed = speechSeconds(paragraph);
    if (needed > slot.seconds) {
      return { ok: false, reason: `第 ${i + 1} 段约 ${seconds(needed)} 秒，超过画面的 ${seconds(slot.seconds)} 秒` };
    }
  }
  return { ok: true };
}
