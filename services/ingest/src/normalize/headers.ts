import { foldKey } from './text.ts';

export type CanonicalField =
  | 'employer'
  | 'title'
  | 'pay'
  | 'payType'
  | 'payFrom'
  | 'payTo'
  | 'payUnitText'
  | 'headcount'
  | 'location'
  | 'education'
  | 'experience'
  | 'contactName'
  | 'contactPhone'
  | 'validFrom'
  | 'validUntil'
  | 'category'
  | 'description';

/**
 * Header spellings seen in real sheets, per canonical field. Extend here: matching ignores case, width, spaces and
 * punctuation, and a bracketed note after the name ('薪资（元/月）') is ignored when the full header is unknown.
 */
export const headerAliases: Record<CanonicalField, readonly string[]> = {
  employer: [
    '公司',
    '公司名称',
    '企业名称',
    '单位名称',
    '招聘单位',
    '用人单位',
    '企业',
    'Company Name',
    'Company',
    'Employer',
  ],
  title: ['职位', '职位名称', '岗位名称', '岗位', '招聘岗位', '工种', '招聘职位', 'Job Title', 'Title', 'Position'],
  pay: [
    '薪资',
    '工资待遇',
    '薪资待遇',
    '月薪',
    '薪酬',
    '工资',
    '待遇',
    '薪资范围',
    '薪酬待遇',
    'Salary Estimate',
    'Salary',
  ],
  payType: ['薪资类型', '薪酬类型', '工资类型'],
  payFrom: ['薪资范围起', '最低薪资', '薪资下限', '最低工资', '工资下限'],
  payTo: ['薪资范围至', '最高薪资', '薪资上限', '最高工资', '工资上限'],
  payUnitText: ['薪资单位', '计薪方式', '计薪单位', '工资单位'],
  headcount: ['人数', '招聘人数', '需求人数', '岗位人数', '招聘数量', 'Headcount'],
  location: ['工作地点', '地址', '公司地址', '办公地址', '地区', '工作地址', '工作区域', 'Location'],
  education: ['学历', '学历要求', '最低学历', 'Education'],
  experience: ['经验', '工作经验', '经验要求', '工作年限', 'Experience'],
  contactName: ['联系人', '联系人姓名', 'Contact'],
  contactPhone: ['联系电话', '联系方式', '电话', '手机', '手机号', '联系手机', 'Phone'],
  validFrom: ['发布时间', '发布日期', '开始时间', '更新时间', 'Posted'],
  validUntil: ['结束时间', '截止日期', '有效期至', '截止时间', '有效期', 'Deadline'],
  category: ['岗位类型', '用工形式', '工作性质', '职位类型', '用工类型', 'Job Type', 'Category'],
  description: [
    '岗位要求',
    '任职要求',
    '职位描述',
    '岗位职责',
    '工作内容',
    '岗位描述',
    '职位要求',
    'Job Description',
    'Description',
  ],
};

export interface MappedColumn {
  index: number;
  header: string;
  field: CanonicalField | null;
  /** A row-number column (pandas index, 序号): carries no job data. */
  ignored: boolean;
}

const BY_KEY = new Map<string, CanonicalField>();
for (const field of Object.keys(headerAliases) as CanonicalField[]) {
  for (const alias of headerAliases[field]) {
    const key = foldKey(alias);
    const seen = BY_KEY.get(key);
    if (seen !== undefined && seen !== field)
      throw new Error(`header alias '${alias}' is listed for ${seen} and ${field}`);
    BY_KEY.set(key, field);
  }
}

const INDEX_KEYS = new Set(['', '序号', '编号', 'no', 'index', 'idx']);
const UNNAMED_RE = /^unnamed:?\s*\d+(?:_level_\d+)?$/i;
const NOTE_RE = /[(（【[][^)）】\]]*[)）】\]]/g;

function isIndexHeader(header: string): boolean {
  return INDEX_KEYS.has(foldKey(header)) || UNNAMED_RE.test(header.trim());
}

/** The canonical field a header names, or null. */
export function fieldForHeader(header: string): CanonicalField | null {
  const field = BY_KEY.get(foldKey(header));
  if (field !== undefined) return field;
  const bare = header.replace(NOTE_RE, '');
  return bare === header ? null : (BY_KEY.get(foldKey(bare)) ?? null);
}

/**
 * Maps a header row to canonical fields. Unknown headers get field null (the caller keeps them as extra fields);
 * when two columns name the same field the first wins and later ones are listed in `duplicates`.
 */
export function mapHeaders(headers: readonly string[]): { columns: MappedColumn[]; duplicates: string[] } {
  const taken = new Set<CanonicalField>();
  const duplicates: string[] = [];
  const columns: MappedColumn[] = [];
  for (let index = 0; index < headers.length; index++) {
    const header = headers[index] ?? '';
    if (isIndexHeader(header)) {
      columns.push({ index, header, field: null, ignored: true });
      continue;
    }
    let field = fieldForHeader(header);
    if (field !== null) {
      if (taken.has(field)) {
        duplicates.push(header);
        field = null;
      } else {
        taken.add(field);
      }
    }
    columns.push({ index, header, field, ignored: false });
  }
  return { columns, duplicates };
}

const HEADER_SCAN_ROWS = 10;

/**
 * The header row among a sheet's first rows: the first with at least two known headers, one of them employer or
 * title. Rows above it are usually a title banner ('南昌市2026年3月岗位信息表'). -1 when there is none.
 */
export function findHeaderRow(rows: readonly (readonly string[])[]): number {
  const limit = Math.min(rows.length, HEADER_SCAN_ROWS);
  for (let i = 0; i < limit; i++) {
    const fields = new Set<CanonicalField>();
    for (const cell of rows[i] ?? []) {
      if (typeof cell !== 'string' || cell.length === 0 || cell.length > 40) continue;
      const field = fieldForHeader(cell);
      if (field !== null) fields.add(field);
    }
    if (fields.size >= 2 && (fields.has('employer') || fields.has('title'))) return i;
  }
  return -1;
}
