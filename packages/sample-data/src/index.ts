import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import iconv from 'iconv-lite';

/** Column names as the provincial "5+2就业之家" export writes them. */
export const sampleHeader = [
  '序号',
  '单位名称',
  '岗位名称',
  '薪资待遇',
  '招聘人数',
  '工作地点',
  '学历要求',
  '工作经验',
  '联系人',
  '联系电话',
  '发布日期',
  '截止日期',
  '岗位类型',
  '福利待遇',
] as const;

const companyStems = [
  '洪城',
  '赣江',
  '滕王阁',
  '瑶湖',
  '红谷',
  '青山',
  '象湖',
  '艾溪湖',
  '梅岭',
  '昌北',
  '新祺周',
  '小蓝',
];
const companyTrades = [
  '电子科技',
  '食品',
  '物流',
  '家政服务',
  '餐饮管理',
  '建筑劳务',
  '汽车零部件',
  '医药',
  '物业管理',
  '服饰',
  '商贸',
  '光电',
];
const titles = [
  ['普工', 'full'],
  ['操作工', 'full'],
  ['仓库管理员', 'full'],
  ['叉车司机', 'full'],
  ['电工', 'full'],
  ['客服专员', 'full'],
  ['销售代表', 'full'],
  ['会计', 'full'],
  ['厨师', 'full'],
  ['保安', 'full'],
  ['数控车床操作工', 'full'],
  ['电商运营', 'full'],
  ['保洁员', 'gig'],
  ['快递分拣员', 'gig'],
  ['搬运工', 'gig'],
  ['展会临时服务员', 'gig'],
  ['行政见习生', 'intern'],
  ['财务实习生', 'intern'],
] as const;
const districts = ['红谷滩区', '青山湖区', '东湖区', '西湖区', '青云谱区', '新建区', '经开区', '高新区', '南昌县'];
const educations = ['不限', '初中及以上', '高中', '中专', '大专', '本科'];
const experiences = ['经验不限', '1年以上', '1-3年', '3年以上', '应届生'];
const welfare = ['五险一金', '包吃包住', '双休', '年终奖', '节日福利'];
const surnames = ['张', '王', '李', '刘', '陈', '杨', '黄', '周', '吴', '徐'];

/** mulberry32: small, fast, and the same rows for the same seed on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SampleOptions {
  count: number;
  seed?: number;
  /** Share of rows that must be rejected (no employer or no title). */
  badRatio?: number;
  /** Mix in the mess real exports carry: wrappers, full-width digits, 万/千/K pay, PUA characters, shifted cells. */
  messy?: boolean;
  /** The calendar year the dates fall in. */
  year?: number;
}

/** Data rows (no header), one posting each: employer, title and pay make every row distinct. */
export function* sampleJobRows(options: SampleOptions): Generator<string[]> {
  const rand = random(options.seed ?? 20261127);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const year = options.year ?? 2026;
  const employers = Math.max(1, Math.ceil(options.count / 6));
  for (let i = 0; i < options.count; i++) {
    const employerNo = i % employers;
    const employer = `南昌${companyStems[employerNo % companyStems.length]}${companyTrades[Math.floor(employerNo / companyStems.length) % companyTrades.length]}${employerNo >= 144 ? `第${Math.floor(employerNo / 144)}分` : ''}有限公司`;
    const [title, kind] = pick(titles);
    const base = 2500 + 100 * (i % 60);
    let pay: string;
    if (kind === 'gig') pay = `${120 + (i % 9) * 10}元/天`;
    else if (kind === 'intern') pay = `${1500 + (i % 10) * 100}元/月`;
    else pay = `${base}-${base + 1500}元/月`;
    const month = 1 + (i % 12);
    const day = 1 + (i % 28);
    const row = [
      String(i + 1),
      employer,
      title,
      pay,
      `${1 + (i % 20)}人`,
      `南昌市${pick(districts)}`,
      pick(educations),
      pick(experiences),
      `${pick(surnames)}${rand() < 0.5 ? '先生' : '女士'}`,
      `1${3 + (i % 7)}${String(100000000 + ((i * 7919) % 899999999)).padStart(9, '0')}`,
      `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      `${year}-12-31`,
      kind === 'gig' ? '零工' : kind === 'intern' ? '见习' : '全职',
      `${pick(welfare)}、${pick(welfare)}`,
    ];
    if (options.messy) messUp(row, i, rand);
    if (options.badRatio && rand() < options.badRatio) row[rand() < 0.5 ? 1 : 2] = '';
    yield row;
  }
}

/** The mess seen in real exports, one kind per row in turn. */
function messUp(row: string[], i: number, rand: () => number): void {
  const base = 2500 + 100 * (i % 60);
  switch (i % 12) {
    case 0:
      row[3] = `${(base / 1000).toFixed(1)}-${((base + 1500) / 1000).toFixed(1)}千/月`;
      break;
    case 1:
      row[3] = `${Math.round(base / 1000)}k-${Math.round(base / 1000) + 2}k`;
      break;
    case 2:
      row[2] = `['${row[2]}']`;
      break;
    case 3:
      row[4] = '若干';
      break;
    case 4:
      row[3] = `${base}－${base + 1500}元／月`.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      break;
    case 5:
      row[2] = `“${row[2]}”`;
      row[5] = `${row[5]}\n（地铁口）`;
      break;
    case 6:
      row[3] = '面议';
      break;
    case 7:
      row[9] = `${row[9]}.0`;
      break;
    case 8:
      row[7] = row[6] ?? '';
      row[6] = '';
      break;
    case 9:
      row[3] = `${Math.round(base / 1000)}\ue035-${Math.round(base / 1000) + 2}K`;
      break;
    case 10:
      row[10] = `${1 + Math.floor(rand() * 5)}天前`;
      break;
    default:
      row[1] = `  ${row[1]}\t`;
  }
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Writes rows as a CSV file in the given encoding, streaming (a million rows never sit in memory),
 * to a temporary name renamed into place at the end.
 */
export async function writeCsvFile(
  file: string,
  header: readonly string[],
  rows: Iterable<readonly string[]>,
  encoding: 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030' = 'utf-8',
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(temporary);
  const encode = (text: string) =>
    encoding.startsWith('utf-8') ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding);
  try {
    if (encoding === 'utf-8-bom') out.write(Buffer.from([0xef, 0xbb, 0xbf]));
    let buffered: string[] = [header.map(csvCell).join(',')];
    for (const row of rows) {
      buffered.push(row.map(csvCell).join(','));
      if (buffered.length >= 5000) {
        if (!out.write(encode(`${buffered.join('\r\n')}\r\n`))) await once(out, 'drain');
        buffered = [];
      }
    }
    if (buffered.length > 0) out.write(encode(`${buffered.join('\r\n')}\r\n`));
    out.end();
    await once(out, 'finish');
    await rename(temporary, file);
  } catch (error) {
    out.destroy();
    await rm(temporary, { force: true });
    throw error;
  }
}
export { samplePosterJob, samplePosterSite } from './posters.ts';
