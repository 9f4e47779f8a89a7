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

/**
 * Pay as the console shows it to the office: the normalised pay, else the posting's own words. Media
 * made for the public (videos, posters, flyers) print `printablePay` instead.
 */
export function displayPay(p: Pay): string {
  const formatted = p.min !== null || p.max !== null || p.negotiable ? formatPay(p) : '';
  return formatted || (p.text ?? '');
}

/**
 * Pay as a video, poster or flyer may print it: the normalised pay (4000-6000元/月, 面议, 计件), '' when
 * the job states none, or null when the importer kept only the posting's own words because it could not
 * read them (4千5~6千/月+提成（详谈）). Such words are never printed as written: their figures may be
 * anything (试用期3000, 转正后面议), and a stand-in (面议, 详询) would say what the posting does not. The
 * job's pay is to be written plainly in the job data (4500-6000元/月) and imported again.
 */
export function printablePay(p: Pay): string | null {
  const formatted = formatPay(p);
  if (formatted !== '') return formatted;
  return p.text?.trim() ? null : '';
}
