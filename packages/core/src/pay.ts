import type { Pay, PayUnit } from './domain.ts';

const UNIT_LABEL: Record<PayUnit, string> = {
  hour: '元/小时',
  day: '元/天',
  month: '元/月',
  year: '元/年',
  piece: '元/件',
};

function amount(v: number): string {
  if (v >= 10000 && v % 1000 === 0) return `${v / 10000}万`;
  return String(v);
}

/** Pay as Chinese display text (4000-6000元/月, 1.5万元/月以上, 面议); the importer's parsePay reads it back. */
export function formatPay(p: Omit<Pay, 'text'>): string {
  const note = p.negotiable ? '（可面议）' : '';
  const months = p.months !== null ? `·${p.months}薪` : '';
  if (p.min === null && p.max === null) {
    if (p.negotiable) return '面议';
    return p.unit === 'piece' ? '计件' : '';
  }
  const label = UNIT_LABEL[p.unit ?? 'month'];
  let body: string;
  if (p.min !== null && p.max !== null) {
    body = p.min === p.max ? `${amount(p.min)}${label}` : `${amount(p.min)}-${amount(p.max)}${label}`;
  } else if (p.min !== null) {
    body = `${amount(p.min)}${label}以上`;
  } else {
    body = `${amount(p.max as number)}${label}以下`;
  }
  return body + months + note;
}

// What a posting pays on top of its figures (底薪3000+提成): the figures are then a base, not the pay.
const ON_TOP_RE = /[+＋加]\s*(提成|绩效|奖金|全勤|补贴|加班费)/g;

/**
 * Pay as the console shows it to the office: the normalised pay with what the posting adds on top
 * (3000元/月+提成), else the posting's own words. Media made for the public (videos, posters,
 * flyers) print `printablePay` instead.
 */
export function displayPay(p: Pay): string {
  if (p.min === null && p.max === null && !p.negotiable) return p.text ?? '';
  const onTop = p.min !== null || p.max !== null ? onTopOf(p.text) : '';
  if (onTop === '') return formatPay(p);
  // A base alone reads as the base and what comes with it, not as "3000 or more".
  const base = p.max === null ? { ...p, max: p.min } : p;
  return `${formatPay({ ...base, negotiable: false })}${onTop}${p.negotiable ? '（可面议）' : ''}`;
}

function onTopOf(text: string | null): string {
  if (text === null || !/[+＋加]/.test(text)) return '';
  const words = new Set<string>();
  for (const m of text.matchAll(ON_TOP_RE)) words.add(m[1] as string);
  return [...words].map((word) => `+${word}`).join('');
}

/**
 * Pay as a video, poster or flyer may print it: the normalised pay (4000-6000元/月, 面议, 计件), '' when
 * the job states none, or null when the importer kept only the posting's own words because it could not
 * read them (试用期3000转正4000, 底薪+提成). Such words are never printed as written: their figures may be
 * anything (试用期3000, 转正后面议), and a stand-in (面议, 详询) would say what the posting does not. The
 * job's pay is to be written plainly in the job data (4500-6000元/月) and imported again, or the jobs
 * read again with `jobcast jobs renormalize` once the importer understands the words.
 */
export function printablePay(p: Pay): string | null {
  const formatted = formatPay(p);
  if (formatted !== '') return formatted;
  return p.text?.trim() ? null : '';
}
