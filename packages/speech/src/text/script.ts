/**
 * Narration scripts written by rule from a job's own fields: nothing is invented, and a figure is read only
 * when the importer understood it. Parts are dropped, least important first, until the script fits its slot.
 * The script keeps figures as digits (it is also the caption); the normaliser makes them speakable.
 */
import { formatPay, JobcastError, type JobView, type Pay } from '@jobcast/core';
import { splitClauses } from './clauses.ts';
import { normalizeForSpeech } from './normalize.ts';

/** Chinese characters spoken per second: eSpeak NG's default pace is ~3.4 syllables/s, cloud voices 4–5. */
export const CHARS_PER_SECOND = 4;
/** Longest clause: two caption lines of ~11 characters at 72 px on a 1080-wide frame. */
export const CLAUSE_MAX_CHARS = 22;

export const scriptTemplates = ['job-spotlight', 'weekly-picks'] as const;
export type ScriptTemplate = (typeof scriptTemplates)[number];

/** What the script says about the office. */
export interface ScriptSite {
  name: string;
  hotline: string | null;
}

export interface ScriptRequest {
  /** job-spotlight: one job, ~30 s; weekly-picks: 3 to 8 jobs. */
  template: ScriptTemplate;
  jobs: readonly JobView[];
  site: ScriptSite;
  /** The slot's length in seconds. */
  seconds: number;
  clauseChars?: number;
}

export interface NarrationScript {
  text: string;
  clauses: string[];
  /** speechSeconds(text). */
  seconds: number;
  /** What was left out to fit, as an editor would name it (工作地点, 岗位描述). */
  omitted: string[];
  /** null when it fits; else why not (the parts that must stay are longer than the slot). */
  problem: string | null;
}

const WEEKLY_MIN_JOBS = 3;
const WEEKLY_MAX_JOBS = 8;
const DESCRIPTION_MAX_CHARS = 24;
const WELFARE_MAX_CHARS = 24;
const CATEGORY_LABELS = { 'full-time': null, 'part-time': '兼职', gig: '零工', internship: '实习' } as const;

/**
 * Seconds a voice needs for a script: characters as read after normalisation (4500 is 四千五, three), Latin
 * acronyms letter by letter, other Latin words a syllable per three letters; pauses are in the average.
 */
export function speechSeconds(text: string): number {
  const spoken = normalizeForSpeech(text);
  let syllables = Array.from(spoken.matchAll(/\p{Script=Han}/gu)).length;
  for (const [word] of spoken.matchAll(/[A-Za-z]+/g)) {
    syllables += word.length <= 4 && word === word.toUpperCase() ? word.length : Math.ceil(word.length / 3);
  }
  return syllables / CHARS_PER_SECOND;
}

/** null when a (possibly hand-edited) script fits its slot; else a message saying by how much it does not. */
export function checkScriptFits(text: string, seconds: number): string | null {
  const needed = speechSeconds(text);
  if (needed <= seconds) return null;
  const excess = Math.ceil((needed - seconds) * CHARS_PER_SECOND);
  return `配音稿约 ${Math.ceil(needed)} 秒，超过 ${seconds} 秒的时长，请删减约 ${excess} 个字`;
}

/** One way to say a part, and how much is lost (its importance) by stepping down to the next way. */
interface Wording {
  text: string;
  /** Importance of what the next wording leaves out; the last wording is kept whatever happens. */
  importance: number;
  /** What the next wording leaves out, for `omitted`. */
  leaves?: string;
}

/** A sentence's clauses, each with its wordings from fullest to barest ('' = said no more). */
interface Sentence {
  parts: Wording[][];
  end: '。' | '！';
}

/** A job's narration and its parts' importance: the hook (title, pay) and how to apply are never dropped. */
export function writeScript(request: ScriptRequest): NarrationScript {
  const { template, jobs, site, seconds } = request;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new JobcastError('BAD_INPUT', `配音时长应为大于 0 的秒数，收到 ${seconds}`);
  }
  let sentences: Sentence[];
  if (template === 'job-spotlight') {
    if (jobs.length !== 1) throw new JobcastError('BAD_INPUT', `单岗位推荐需要 1 个岗位，收到 ${jobs.length} 个`);
    sentences = spotlight(jobs[0] as JobView, site);
  } else {
    if (jobs.length < WEEKLY_MIN_JOBS || jobs.length > WEEKLY_MAX_JOBS) {
      throw new JobcastError(
        'BAD_INPUT',
        `每周精选需要 ${WEEKLY_MIN_JOBS} 到 ${WEEKLY_MAX_JOBS} 个岗位，收到 ${jobs.length} 个`,
      );
    }
    sentences = weeklyPicks(jobs, site);
  }
  const { text, omitted } = fit(sentences, seconds);
  return {
    text,
    clauses: splitClauses(text, request.clauseChars ?? CLAUSE_MAX_CHARS),
    seconds: speechSeconds(text),
    omitted,
    problem: checkScriptFits(text, seconds),
  };
}

function render(sentences: readonly Sentence[], choice: readonly number[][]): string {
  return sentences
    .map((sentence, s) => {
      const said = sentence.parts
        .map((wordings, p) => wordings[choice[s]?.[p] ?? 0]?.text ?? '')
        .filter((part) => part !== '');
      return said.length > 0 ? said.join('，') + sentence.end : '';
    })
    .join('');
}

/** Steps the least important part down a wording at a time until the script fits or nothing is left to drop. */
function fit(sentences: readonly Sentence[], seconds: number): { text: string; omitted: string[] } {
  const choice = sentences.map((sentence) => sentence.parts.map(() => 0));
  const omitted: string[] = [];
  let text = render(sentences, choice);
  while (speechSeconds(text) > seconds) {
    let least: { s: number; p: number; wording: Wording } | null = null;
    for (const [s, sentence] of sentences.entries()) {
      for (const [p, wordings] of sentence.parts.entries()) {
        const at = choice[s]?.[p] ?? 0;
        const wording = wordings[at];
        // Ties go to the later part: the last job's details go before the first's.
        if (wording && at < wordings.length - 1 && (least === null || wording.importance <= least.wording.importance)) {
          least = { s, p, wording };
        }
      }
    }
    if (least === null) break;
    const row = choice[least.s] as number[];
    row[least.p] = (row[least.p] ?? 0) + 1;
    if (least.wording.leaves && !omitted.includes(least.wording.leaves)) omitted.push(least.wording.leaves);
    text = render(sentences, choice);
  }
  return { text, omitted };
}

const KEPT = Number.POSITIVE_INFINITY;

function only(text: string): Wording[] {
  return [{ text, importance: KEPT }];
}

function optional(text: string | null, importance: number, leaves: string): Wording[] {
  return text
    ? [
        { text, importance, leaves },
        { text: '', importance: KEPT },
      ]
    : [];
}

/** A field as one clause: trimmed, spaces collapsed, no punctuation of its own at the end. */
function clean(text: string | null | undefined): string {
  return (text ?? '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[，。！？；、,.!?;:：\s]+$/u, '');
}

/**
 * Pay as it may be read out. Pay the importer could not read (only `pay.text`) is never read: its figures
 * may be anything (试用期3000, 转正后面议), and 面议 would claim a negotiability the posting may not offer.
 * 薪资详询 is true of every such job, and the script ends with where to ask.
 */
export function spokenPay(pay: Pay): string {
  if (pay.min === null && pay.max === null) {
    if (pay.negotiable) return '薪资面议';
    return pay.unit === 'piece' ? '计件工资' : '薪资详询';
  }
  const stated = formatPay({ ...pay, negotiable: false });
  return pay.negotiable ? `${stated}，可面议` : stated;
}

const HEADCOUNT_TEXT_RE = /^[\d\s\-~～—至到人名位个以上左右多余及或+]+$/;

function headcountPhrase(job: JobView): string | null {
  const text = clean(job.headcountText).replace(/^招聘?/, '');
  if (job.headcount !== null) {
    // 10-20人 and 5人以上 say more than the 10 or 5 stored; anything else the importer kept is not read.
    return HEADCOUNT_TEXT_RE.test(text) && text.includes(String(job.headcount))
      ? `招${text}${/[人名位个以上左右多余]$/.test(text) ? '' : '人'}`
      : `招${job.headcount}人`;
  }
  if (text.includes('若干')) return '招若干人';
  if (text.includes('不限')) return '人数不限';
  if (/多名|多人/.test(text)) return '招聘多人';
  if (text.includes('大量')) return '大量招聘';
  return null;
}

function requirementPhrase(job: JobView): string | null {
  const said: string[] = [];
  const education = clean(job.education);
  if (education)
    said.push(education.includes('学历') ? education : education === '不限' ? '学历不限' : `${education}学历`);
  const experience = clean(job.experience);
  if (experience) {
    if (experience.includes('经验')) said.push(experience);
    else if (experience === '不限') said.push('经验不限');
    else if (experience.includes('应届')) said.push(`面向${experience}`);
    else said.push(`${experience}经验`);
  }
  if (said.length === 0) return null;
  const all = said.join('，');
  return said.every((part) => part.includes('不限')) ? all : `要求${all}`;
}

/** The first sentence of the description when it is short enough to say; never cut mid-sentence. */
function descriptionPhrase(job: JobView): string | null {
  const first = clean(clean(job.description).split(/[。！？；!?;\n]/)[0]);
  return first && Array.from(first).length <= DESCRIPTION_MAX_CHARS ? first : null;
}

function welfarePhrase(job: JobView): string | null {
  const key = Object.keys(job.extra).find((name) => name.includes('福利'));
  if (key === undefined) return null;
  const items = clean(job.extra[key])
    .split(/[、，,;；/|\s]+/)
    .filter(Boolean);
  const kept: string[] = [];
  for (const item of items) {
    if (Array.from([...kept, item].join('、')).length > WELFARE_MAX_CHARS) break;
    kept.push(item);
  }
  return kept.length > 0 ? `福利有${kept.join('、')}` : null;
}

function deadlinePhrase(job: JobView): string | null {
  const m = /^\d{4}-(\d{2})-(\d{2})/.exec(job.validUntil ?? '');
  return m ? `报名截止到${Number(m[1])}月${Number(m[2])}日` : null;
}

function applyWordings(site: ScriptSite, job: JobView | null): Wording[] {
  const name = clean(site.name);
  const hotline = clean(site.hotline);
  if (hotline) {
    return name
      ? [
          { text: `报名请拨打${name}热线${hotline}`, importance: 85, leaves: '机构名称' },
          { text: `报名请拨打热线${hotline}`, importance: KEPT },
        ]
      : only(`报名请拨打热线${hotline}`);
  }
  const phone = clean(job?.contact.phone);
  if (phone) {
    const person = clean(job?.contact.name);
    return person
      ? [
          { text: `报名请联系${person}，电话${phone}`, importance: 85, leaves: '联系人' },
          { text: `报名电话${phone}`, importance: KEPT },
        ]
      : only(`报名电话${phone}`);
  }
  return only(name ? `详情请咨询${name}` : '详情请咨询当地就业服务机构');
}

/** The sentences a scene of a video can say, by name: templates list them per scene (`say`). */
export const narrationParts = [
  'hook',
  'who',
  'requirements',
  'welfare',
  'deadline',
  'apply',
  'intro',
  'pick',
  // Footage and explainer videos: a visit to the employer, a policy's title, one of its points.
  'visit',
  'title',
  'point',
  'ask',
] as const;
export type NarrationPart = (typeof narrationParts)[number];

function hookSentence(job: JobView): Sentence {
  const category = CATEGORY_LABELS[job.category];
  return {
    parts: [only(clean(job.title)), only(spokenPay(job.pay)), optional(category && `${category}岗位`, 45, '岗位类型')],
    end: '！',
  };
}

function whoSentence(job: JobView): Sentence {
  const employer = clean(job.employer);
  const headcount = headcountPhrase(job);
  const who: Wording[] = [];
  if (employer && headcount) {
    who.push({ text: `${employer}${headcount}`, importance: 50, leaves: '招聘人数' });
    who.push({ text: `${employer}招聘`, importance: 80, leaves: '用人单位' });
    who.push({ text: '', importance: KEPT });
  } else {
    who.push(
      ...optional(employer ? `${employer}招聘` : headcount, employer ? 80 : 50, employer ? '用人单位' : '招聘人数'),
    );
  }
  const location = clean(job.location);
  return { parts: [who, optional(location && `工作地点在${location}`, 70, '工作地点')], end: '。' };
}

function requirementsSentence(job: JobView): Sentence {
  return {
    parts: [optional(requirementPhrase(job), 40, '学历和经验要求'), optional(descriptionPhrase(job), 20, '岗位描述')],
    end: '。',
  };
}

function pickSentence(job: JobView, i: number): Sentence {
  const late = i / 100;
  const employer = clean(job.employer);
  const headcount = headcountPhrase(job);
  const location = clean(job.location);
  return {
    parts: [
      only(`第${i + 1}个，${clean(job.title)}，${spokenPay(job.pay)}`),
      optional(employer, 60 - late, '用人单位'),
      optional(headcount, 40 - late, '招聘人数'),
      optional(location && `在${location}`, 50 - late, '工作地点'),
    ],
    end: '。',
  };
}

function introSentence(site: ScriptSite, jobs: number): Sentence {
  const name = clean(site.name);
  return {
    parts: [
      [
        ...(name ? [{ text: `${name}本周精选${jobs}个好岗位`, importance: 35, leaves: '开场的机构名称' }] : []),
        { text: `本周精选${jobs}个好岗位`, importance: KEPT },
      ],
    ],
    end: '！',
  };
}

/** The sentences of one named part, for a job (null in a scene shown once) among `jobs`. */
function partSentences(
  part: NarrationPart,
  job: JobView | null,
  index: number,
  jobs: readonly JobView[],
  site: ScriptSite,
  text?: SceneScriptSlot['text'],
): Sentence[] {
  switch (part) {
    case 'hook':
      return job ? [hookSentence(job)] : [];
    case 'who':
      return job ? [whoSentence(job)] : [];
    case 'requirements':
      return job ? [requirementsSentence(job)] : [];
    case 'welfare':
      return job ? [{ parts: [optional(welfarePhrase(job), 30, '福利待遇')], end: '。' }] : [];
    case 'deadline':
      return job ? [{ parts: [optional(deadlinePhrase(job), 25, '截止日期')], end: '。' }] : [];
    case 'apply':
      return [{ parts: [applyWordings(site, jobs.length === 1 ? (jobs[0] as JobView) : job)], end: '！' }];
    case 'intro':
      return [introSentence(site, jobs.length)];
    case 'pick':
      return job ? [pickSentence(job, index)] : [];
    case 'visit':
      return job ? [visitSentence(job)] : [];
    case 'ask': {
      const name = clean(site.name);
      const hotline = clean(site.hotline);
      const said = hotline
        ? `想了解更多，请拨打${name ? `${name}` : ''}热线${hotline}`
        : `想了解更多，请咨询${name || '当地就业服务机构'}`;
      return [{ parts: [only(said)], end: '！' }];
    }
    case 'title': {
      const title = clean(text?.title);
      return title
        ? [
            {
              parts: [[{ text: `${title}，一分钟带你看懂`, importance: 20, leaves: '开场语' }, ...only(title)]],
              end: '。',
            },
          ]
        : [];
    }
    case 'point': {
      // The media team's own words, said whole: a point too long for its scene grows the scene or fails.
      const point = clean(text?.point);
      return point ? [{ parts: [only(point)], end: '。' }] : [];
    }
  }
}

/** A site visit's opening: where the camera is, and for which job. */
function visitSentence(job: JobView): Sentence {
  const employer = clean(job.employer);
  const title = clean(job.title);
  return {
    parts: [
      employer
        ? [{ text: `今天带大家走进${employer}`, importance: 30, leaves: '探岗开场' }, ...only(`走进${employer}`)]
        : only(`实地看看${title}这个岗位`),
    ],
    end: '。',
  };
}

/** The `i`th of `n` shares of `items`, in order: 4 sentences over 3 scenes give 1, 2 and 1 of them. */
function shareOf<T>(items: readonly T[], i: number, n: number): T[] {
  return items.slice(Math.round((items.length * i) / n), Math.round((items.length * (i + 1)) / n));
}

function nonEmpty(sentences: Sentence[]): Sentence[] {
  return sentences.filter((sentence) => sentence.parts.some((part) => part.length > 0));
}

/** One scene of a video as the narration sees it: what it says, about which job, and how long it has. */
export interface SceneScriptSlot {
  say: readonly NarrationPart[];
  /** The job the scene shows (0-based), or null for a scene shown once (the sole job when there is one). */
  job: number | null;
  /** Seconds of speech the scene has room for. */
  seconds: number;
  /** A policy explainer's words for `title` and `point`. */
  text?: { title?: string; point?: string };
  /**
   * The scene says only its share of the sentences of `say`: the `index`th of `of` scenes that share
   * them (a footage video's clips), so each clip says something and none says the same.
   */
  share?: { index: number; of: number };
}

/** The narration of a video, a paragraph per scene ('' for a silent scene), each fitted to its scene. */
export interface SceneScript {
  paragraphs: string[];
  omitted: string[];
  /** null when every paragraph fits; else the first that does not, and by how much. */
  problem: string | null;
}

/**
 * A script written by scene: each scene says the parts its template lists, about its own job, and
 * loses its least important details until it fits the scene. A media team's edit keeps the shape:
 * paragraphs separated by a blank line, one per scene.
 */
export function writeSceneScript(request: {
  scenes: readonly SceneScriptSlot[];
  jobs: readonly JobView[];
  site: ScriptSite;
}): SceneScript {
  const omitted: string[] = [];
  let problem: string | null = null;
  const paragraphs = request.scenes.map((scene) => {
    const job =
      scene.job === null
        ? request.jobs.length === 1
          ? (request.jobs[0] as JobView)
          : null
        : (request.jobs[scene.job] ?? null);
    const all = nonEmpty(
      scene.say.flatMap((part) => partSentences(part, job, scene.job ?? 0, request.jobs, request.site, scene.text)),
    );
    const sentences = scene.share ? shareOf(all, scene.share.index, scene.share.of) : all;
    if (sentences.length === 0) return '';
    const fitted = fit(sentences, scene.seconds);
    for (const what of fitted.omitted) if (!omitted.includes(what)) omitted.push(what);
    problem ??= checkScriptFits(fitted.text, scene.seconds);
    return fitted.text;
  });
  return { paragraphs, omitted, problem };
}

/** Paragraphs as the media team edits them: one per scene, a blank line between. */
export function joinParagraphs(paragraphs: readonly string[]): string {
  return paragraphs.join('\n\n');
}

/** The paragraphs of an edited script (blank lines separate them; an emptied scene keeps its place as "-"). */
export function splitParagraphs(script: string): string[] {
  return script
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t　]*\n/)
    .map((p) => p.trim())
    .map((p) => (p === '-' ? '' : p));
}

function spotlight(job: JobView, site: ScriptSite): Sentence[] {
  return nonEmpty(
    (['hook', 'who', 'requirements', 'welfare', 'deadline', 'apply'] as const).flatMap((part) =>
      partSentences(part, job, 0, [job], site),
    ),
  );
}

function weeklyPicks(jobs: readonly JobView[], site: ScriptSite): Sentence[] {
  return [
    introSentence(site, jobs.length),
    ...jobs.map((job, i) => pickSentence(job, i)),
    { parts: [applyWordings(site, null)], end: '！' },
  ];
}
