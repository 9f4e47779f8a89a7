/**
 * What a chat model is told when it writes a video's narration, and how its answer is read back. Pure: the
 * provider sends the messages, `checkAiScript` judges the paragraphs.
 */
import type { JobView } from '@jobcast/core';
import {
  CHARS_PER_SECOND,
  type SceneScriptSlot,
  type ScriptSite,
  spokenPay,
  writeSceneScript,
} from '../text/script.ts';

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

/**
 * What each part a template lists (`say`) asks of a scene, as the writer is told it. A part not here (a
 * policy explainer's points are the media team's own words) is not the AI writer's to write.
 */
const PART_BRIEFS: Readonly<Record<string, string>> = {
  hook: '开场抓人：岗位名称和薪资',
  who: '哪家单位招聘、招几人、在哪里上班',
  requirements: '学历、经验等要求，可以带一句岗位描述',
  welfare: '福利待遇',
  deadline: '报名截止日期',
  apply: '怎样报名：服务热线或联系电话',
  intro: '开场：本期精选了几个岗位',
  pick: '介绍这个岗位：第几个、岗位名称、薪资，可以带单位、人数、地点',
  visit: '走进这家单位：单位名称和在招的岗位',
  ask: '结尾：想了解更多请拨打服务热线',
};

/** The parts of the slots the writer has no brief for ([] when it can write every scene). */
export function unwritableParts(slots: readonly SceneScriptSlot[]): string[] {
  const parts = slots.flatMap((slot) => slot.say.filter((part) => PART_BRIEFS[part] === undefined));
  return [...new Set(parts)];
}

/** The most characters a scene of `seconds` may say, as the rule writer estimates speech. */
export function slotChars(seconds: number): number {
  return Math.max(1, Math.floor(seconds * CHARS_PER_SECOND));
}

const SYSTEM_PROMPT = [
  '你是区公共就业服务机构的短视频文案编辑，为岗位推荐短视频写配音稿。',
  '要求：',
  '1. 只用给出的岗位信息。不编造任何内容：岗位信息里没有的数字、薪资、电话、单位名称、福利、承诺一律不写。',
  '2. 薪资、人数、年龄、日期、电话照抄给出的写法，用阿拉伯数字（如 4000-6000元/月、0791-88886666）。',
  '3. 用人单位照抄给出的名称，不换成别的名字。',
  '4. 每个画面写一段，不超过给定的字数（数字按读出来的字数算：4500 读作“四千五”，算 3 个字）。',
  '5. 口语、亲切、有感染力，适合普通话配音，面向求职者。',
  '6. 只输出配音稿正文：按画面顺序，每段之间空一行；不要标题、编号、“画面1”之类的标签、引号、Markdown、表情符号。标明“不说话”的画面，这一段只写一个“-”。',
].join('\n');

function line(label: string, value: string | null | undefined): string[] {
  const text = (value ?? '').replace(/\s+/g, ' ').trim();
  return text ? [`${label}：${text}`] : [];
}

function jobLines(job: JobView): string[] {
  const welfare = Object.entries(job.extra)
    .filter(([name]) => name.includes('福利'))
    .map(([, value]) => value);
  const others = Object.entries(job.extra).filter(([name]) => !name.includes('福利'));
  return [
    ...line('岗位名称', job.title),
    ...line('用人单位', job.employer),
    ...line('薪资', spokenPay(job.pay)),
    ...line('招聘人数', job.headcount !== null ? `${job.headcount}人` : job.headcountText),
    ...line('工作地点', job.location),
    ...line('学历', job.education),
    ...line('经验', job.experience),
    ...line('岗位描述', job.description?.slice(0, 200)),
    ...line('福利待遇', welfare.join('、')),
    ...others.flatMap(([name, value]) => line(name, value)),
    ...line('报名截止', job.validUntil?.slice(0, 10)),
    ...line('联系人', job.contact.name),
    ...line('联系电话', job.contact.phone),
  ];
}

/**
 * Which scenes have nothing to say whatever their length: the rule writer finds nothing for them in the jobs
 * (requirements and welfare of a job that gives neither). The AI writer leaves them silent too.
 */
export function silentSlots(request: {
  slots: readonly SceneScriptSlot[];
  jobs: readonly JobView[];
  site: ScriptSite;
}): boolean[] {
  const roomy = request.slots.map((slot) => ({ ...slot, seconds: Number.MAX_SAFE_INTEGER }));
  return writeSceneScript({ scenes: roomy, jobs: request.jobs, site: request.site }).paragraphs.map((p) => p === '');
}

/** The chat that asks for a scene-by-scene narration of the jobs; a scene with nothing to say is silent. */
export function scriptPrompt(request: {
  slots: readonly SceneScriptSlot[];
  jobs: readonly JobView[];
  site: ScriptSite;
}): ChatMessage[] {
  const { slots, jobs, site } = request;
  const silent = silentSlots(request);
  const about = (slot: SceneScriptSlot) => {
    const job = slot.job ?? (jobs.length === 1 ? 0 : null);
    return job === null ? '' : `（讲第 ${job + 1} 个岗位）`;
  };
  const scenes = slots.map((slot, i) => {
    const say = slot.say.map((part) => PART_BRIEFS[part] ?? part).join('；');
    return say && !silent[i]
      ? `画面 ${i + 1}${about(slot)}：${say}。不超过 ${slotChars(slot.seconds)} 个字。`
      : `画面 ${i + 1}：不说话。`;
  });
  const user = [
    `服务机构：${site.name || '当地就业服务机构'}`,
    ...line('服务热线', site.hotline),
    '',
    ...jobs.flatMap((job, i) => [`【第 ${i + 1} 个岗位】`, ...jobLines(job), '']),
    `视频共 ${slots.length} 个画面，请写 ${slots.length} 段：`,
    ...scenes,
  ].join('\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

// A label a model puts before a paragraph: 画面1：, 第2段：, 【场景三】, (1), 1. , 一、 (but not 3.5万).
const NUMBER = '[0-9一二三四五六七八九十]{1,3}';
const LABEL_WORD = '(?:画面|场景|镜头|段落?|屏)';
const LABEL_RE = new RegExp(
  [
    String.raw`^[【\[(（]\s*(?:第\s*)?${LABEL_WORD}?\s*${NUMBER}\s*(?:段|屏|个画面)?\s*[】\])）]\s*[：:]?\s*`,
    String.raw`^[【\[]\s*(?:画面|场景|镜头)[^】\]]{0,8}[】\]]\s*[：:]?\s*`,
    String.raw`^(?:第\s*)?${LABEL_WORD}?\s*${NUMBER}\s*(?:段|屏|个画面)?\s*(?:[：:、．)）]|\.(?!\d))\s*`,
    String.raw`^(?:画面|场景|镜头)\s*${NUMBER}\s*[：:]?\s*`,
  ].join('|'),
  'u',
);
const BULLET_RE = /^\s*(?:#{1,6}\s+|>\s*|[*•·]\s*|-\s+(?=\S))/u;
const CHATTER_RE = /^(?:好的|当然|以下|下面|这是|根据).*[：:]$/u;

/**
 * The paragraphs of a model's answer: code fences, Markdown, labels (画面1：), quotes and emoji removed; a
 * paragraph of only "-" is a silent scene (''). Paragraphs are split at blank lines, or at line ends when the
 * model wrote one paragraph per line; a chatty first or last line (好的，以下是配音稿：) is dropped.
 */
export function parseScriptAnswer(answer: string): string[] {
  const text = answer
    .replace(/\r\n?/g, '\n')
    .replace(/<think>[\s\S]*?<\/think>/g, '')
    .replace(/^\s*```[^\n]*$/gm, '')
    .trim();
  const clean = (paragraph: string) =>
    paragraph
      .split('\n')
      .map((l) =>
        l
          .replace(/\*\*|__|`/g, '')
          .replace(BULLET_RE, '')
          .replace(LABEL_RE, '')
          .replace(BULLET_RE, '')
          .replace(/\p{Extended_Pictographic}|\u{FE0F}|\u{200D}/gu, '')
          .trim(),
      )
      .filter((l) => l !== '')
      .join('')
      .replace(/^[“"「『'‘]+|[”"」』'’]+$/gu, '')
      .trim();
  let paragraphs = text.split(/\n[ \t　]*\n/).map(clean);
  const lines = text.split('\n').map(clean);
  if (paragraphs.filter((p) => p !== '').length === 1 && lines.filter((l) => l !== '').length > 1) {
    paragraphs = lines;
  }
  paragraphs = paragraphs.filter((p) => p !== '');
  while (paragraphs.length > 1 && CHATTER_RE.test(paragraphs[0] as string)) paragraphs.shift();
  if (paragraphs.length > 1 && /^(?:以上|希望|如需|如果需要)/.test(paragraphs.at(-1) as string)) paragraphs.pop();
  return paragraphs.map((p) => (/^[-—－–]+$/.test(p) || /^[(（]?不说话[)）]?$/.test(p) ? '' : p));
}
