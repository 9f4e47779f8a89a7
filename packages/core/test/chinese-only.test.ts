import { describe, expect, it } from 'vitest';
import { chineseOnly } from '../src/chinese-only.ts';

describe('a stored text without its English gloss', () => {
  it.each([
    ['视频文件校验不符 (checksum mismatch)', '视频文件校验不符'],
    ['引号使用有误，本行无法读取 (malformed quotes: row skipped)', '引号使用有误，本行无法读取'],
    [
      '岗位.xlsx：缺少必需的列 职位名称；表头是：公司、薪资 (required column missing: title)',
      '岗位.xlsx：缺少必需的列 职位名称；表头是：公司、薪资',
    ],
    [
      '岗位.xlsx：Excel 文件已损坏或不完整，无法读取 (corrupt XLSX: Error (zip): bad header)',
      '岗位.xlsx：Excel 文件已损坏或不完整，无法读取',
    ],
    [
      '前 20 行里找不到表头（至少要有“公司名称”和“职位名称”等列名）(jobs.csv: no header row)',
      '前 20 行里找不到表头（至少要有“公司名称”和“职位名称”等列名）',
    ],
    // Only a trailing gloss goes; brackets holding Chinese, or in the middle, stay.
    ['缺少联系人 (必填)', '缺少联系人 (必填)'],
    ['薪资 (monthly) 无法识别', '薪资 (monthly) 无法识别'],
    ['缺少职位名称', '缺少职位名称'],
    // A text that is nothing but the gloss is kept: something is better than nothing.
    ['(checksum mismatch)', '(checksum mismatch)'],
  ])('%s reads %s', (stored, shown) => {
    expect(chineseOnly(stored)).toBe(shown);
  });
});
