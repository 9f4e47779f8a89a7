import { type CanonicalField, headerAliases } from './headers.ts';
import { cleanCell } from './text.ts';

/**
 * What export sites leave in a value besides the value: an empty pair of quotes or brackets where a
 * template had a slot with nothing in it (`某某投资 “”`, `['']`, `（）`), and the field's own label
 * written before it (`上班地址 : 湖南省…`, `联系人:`). Both run on cleaned cells (cleanCell), once a
 * cell's column is known.
 */

// An empty pair, spaces inside allowed; a list repr of one empty string (['']) counts as one. Straight
// quotes and brackets right after a Latin letter or digit are code or a formula (printf(), f''), not debris.
const EMPTY_PAIR_RE =
  /(?<![A-Za-z0-9_])(?:\[\s*(?:''|""|“\s*”)\s*\]|\(\s*\)|（\s*）|\(\s*）|（\s*\)|\[\s*\]|【\s*】|〔\s*〕|《\s*》|〈\s*〉|\{\s*\}|“\s*”|‘\s*’|「\s*」|『\s*』|"\s*"|'\s*')/g;
// One non-global test that decides whether the removal is worth running.
const PAIR_CLOSE_RE = /[\])）】〕》〉}”’」』"']/;

/** The value without empty pairs of quotes or brackets; null when nothing else was in it. */
export function dropEmptyPairs(text: string): string | null {
  if (!PAIR_CLOSE_RE.test(text)) return text;
  let s = text;
  // A pair may hold only another empty pair: （“”）.
  for (let guard = 0; guard < 3; guard++) {
    const next = s.replace(EMPTY_PAIR_RE, ' ');
    if (next === s) break;
    s = next;
  }
  return s === text ? text : cleanCell(s).text;
}

/**
 * Label words a value may start with, per field: its header names and the words forms print before
 * the value. 月薪 stays before a pay: it says the period, and the pay reader takes the unit from it.
 */
const EXTRA_LABELS: Record<CanonicalField, readonly string[]> = {
  employer: ['单位', '企业名称', '招聘企业', '招聘公司', '公司全称', '单位全称'],
  title: ['职位名', '岗位名', '招聘职位名称'],
  pay: ['薪水', '薪资水平', '工资水平', '薪资福利'],
  payType: [],
  payFrom: [],
  payTo: [],
  payUnitText: [],
  headcount: ['招聘人数', '需求人数', '招工人数', '招聘名额'],
  location: ['上班地址', '上班地点', '工作地址', '工作地点', '详细地址', '单位地址', '公司地址', '地点', '面试地址'],
  education: ['学历要求', '最低学历', '文化程度'],
  experience: ['工作经验', '经验要求'],
  contactName: ['联系人', '姓名', '负责人', '招聘联系人'],
  contactPhone: ['联系电话', '电话号码', '手机号码', '咨询电话', '报名电话', '座机', '联系手机'],
  validFrom: ['发布时间', '发布日期', '更新日期'],
  validUntil: ['截止时间', '截止日期', '有效期至', '有效日期'],
  category: ['岗位性质', '招聘类型'],
  description: ['岗位职责', '任职要求', '职位描述', '岗位要求', '工作内容'],
};
const PAY_UNIT_WORDS = new Set(['月薪']);
const LABEL_PUNCT_RE = /[.*+?^${}()|[\]\\]/g;

function labelPattern(labels: readonly string[]): RegExp {
  const words = [...new Set(labels)]
    .filter((label) => label.length > 0)
    .sort((a, b) => b.length - a.length)
    .map((label) => label.replace(LABEL_PUNCT_RE, '\\$&'));
  // A label is one only with a colon after it, or in brackets (【工作地点】), or as the whole value.
  return new RegExp(
    `^(?:【(?:${words.join('|')})】|\\[(?:${words.join('|')})\\]|(?:${words.join('|')})\\s*(?:[:：]|$))\\s*`,
    'i',
  );
}

const FIELD_LABEL_RES = new Map<CanonicalField, RegExp>();
/** The characters any label can start with (ASCII lower-cased): most values start with none, and skip the regex. */
const LABEL_STARTS = new Set<number>([0x3010, 0x5b]);
for (const field of Object.keys(EXTRA_LABELS) as CanonicalField[]) {
  const labels = [...headerAliases[field], ...EXTRA_LABELS[field]].filter(
    (label) => !(field === 'pay' && PAY_UNIT_WORDS.has(label)),
  );
  FIELD_LABEL_RES.set(field, labelPattern(labels));
  for (const label of labels) LABEL_STARTS.add(label.toLowerCase().charCodeAt(0));
}

function fieldLabel(field: CanonicalField | null, text: string): RegExp | undefined {
  if (field === null) return undefined;
  const first = text.charCodeAt(0);
  if (!LABEL_STARTS.has(first >= 0x41 && first <= 0x5a ? first + 0x20 : first)) return undefined;
  const re = FIELD_LABEL_RES.get(field);
  return re?.test(text) ? re : undefined;
}
// Headers differ per file (JSON keys are anyone's): the cache is cleared rather than let grow.
const headerLabelRes = new Map<string, RegExp>();
const HEADER_LABELS_KEPT = 1000;

/**
 * The value without its own label in front (`工作地点：南昌` under 工作地点 → `南昌`). `field` is the
 * column's canonical field, or null for a column kept as it is: its header is then the only label.
 * A label that names another field stays (a phone written in the address column is no address).
 * null when the value was only the label.
 */
export function stripOwnLabel(text: string, field: CanonicalField | null, header: string): string | null {
  const re = fieldLabel(field, text) ?? headerLabel(header, text);
  if (re === undefined) return text;
  const rest = text.replace(re, '');
  return rest.length === 0 ? null : cleanCell(rest).text;
}

/** The column's own header as a label, when the value starts with it. */
function headerLabel(header: string, text: string): RegExp | undefined {
  const first = text.charCodeAt(0);
  // 【 or [ before the name, or the name's own first character.
  if (first !== 0x3010 && first !== 0x5b && first !== header.trimStart().charCodeAt(0)) return undefined;
  const name = header.trim();
  if (name.length === 0) return undefined;
  let re = headerLabelRes.get(name);
  if (re === undefined) {
    if (headerLabelRes.size >= HEADER_LABELS_KEPT) headerLabelRes.clear();
    re = labelPattern([name]);
    headerLabelRes.set(name, re);
  }
  return re.test(text) ? re : undefined;
}

/** A cleaned cell of a known column without export debris: empty pairs, then its own label. */
export function tidyValue(text: string | null, field: CanonicalField | null, header: string): string | null {
  if (text === null) return null;
  const dropped = dropEmptyPairs(text);
  return dropped === null ? null : stripOwnLabel(dropped, field, header);
}
