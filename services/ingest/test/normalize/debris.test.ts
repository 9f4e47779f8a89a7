import { describe, expect, it } from 'vitest';
import { tidyValue } from '../../src/normalize/debris.ts';
import type { CanonicalField } from '../../src/normalize/headers.ts';
import { cleanCell } from '../../src/normalize/text.ts';

/** A cell as the importer reads it under a column: cleaned, then tidied for its field. */
const read = (raw: string, field: CanonicalField | null, header: string) =>
  tidyValue(cleanCell(raw).text, field, header);

describe('empty pairs an export leaves behind', () => {
  it.each<[string, string, string | null]>([
    ['curly quotes after the name', '某某投资 “”', '某某投资'],
    ['corner brackets', '某某投资「」', '某某投资'],
    ['a list of one empty string', "某某投资 ['']", '某某投资'],
    ['a list of one empty string, double quotes', '某某投资 [""]', '某某投资'],
    ['ASCII brackets', '某某投资()', '某某投资'],
    ['full-width brackets inside the name', '南昌（）科技有限公司', '南昌科技有限公司'],
    ['mixed-width brackets', '南昌(）科技有限公司', '南昌科技有限公司'],
    ['lenticular brackets', '【】南昌洪城物流', '南昌洪城物流'],
    ['straight quotes', '南昌洪城物流 ""', '南昌洪城物流'],
    ['spaces inside the pair', '南昌洪城物流 “  ”', '南昌洪城物流'],
    ['a pair inside a pair', '南昌洪城物流（“”）', '南昌洪城物流'],
    ['line breaks and runs of spaces', '南昌洪城\n物流   有限公司 “”', '南昌洪城物流有限公司'],
    ['nothing but a pair', '「」', null],
    ['nothing but a list of an empty string', "['']", null],
    ['a filled pair stays', '南昌洪城物流（分公司）', '南昌洪城物流（分公司）'],
    ['quotes around words stay', '“A”和“B”', '“A”和“B”'],
    ['code keeps its brackets', '熟悉 printf() 与 main()', '熟悉 printf() 与 main()'],
  ])('%s', (_, raw, expected) => {
    expect(read(raw, 'employer', '公司名称')).toBe(expected);
  });
});

describe('a value that starts with its own label', () => {
  it.each<[string, CanonicalField | null, string, string, string | null]>([
    ['address, spaced colon', 'location', '工作地点', '上班地址 : 湖南省长沙市岳麓区', '湖南省长沙市岳麓区'],
    ['address, full-width colon', 'location', '地址', '工作地点：南昌市红谷滩区', '南昌市红谷滩区'],
    ['address label alone', 'location', '工作地点', '工作地点：', null],
    ['address label alone, no colon', 'location', '工作地点', '工作地点', null],
    ['label in brackets', 'location', '工作地点', '【工作地点】南昌市东湖区', '南昌市东湖区'],
    ['contact name', 'contactName', '联系人', '联系人:张先生', '张先生'],
    ['contact name label alone', 'contactName', '联系人', '联系人:', null],
    ['phone', 'contactPhone', '联系电话', '联系电话：13800000000', '13800000000'],
    ['employer', 'employer', '单位名称', '公司名称：南昌甲公司', '南昌甲公司'],
    ['employer label alone', 'employer', '单位名称', '企业名称：', null],
    ['title', 'title', '岗位名称', '岗位名称：普工', '普工'],
    ['pay', 'pay', '薪资待遇', '薪资：4000-6000元/月', '4000-6000元/月'],
    ['pay keeps a word that says its period', 'pay', '薪资待遇', '月薪：8000', '月薪：8000'],
    ['headcount', 'headcount', '人数', '招聘人数：5人', '5人'],
    ['education', 'education', '学历', '学历要求：大专', '大专'],
    ['a quoted value after the label', 'location', '工作地点', '工作地点：“南昌市”', '南昌市'],
    ['a column of its own keeps its header as label', null, '福利待遇', '福利待遇：五险一金', '五险一金'],
    ['another field’s label stays', 'location', '工作地点', '联系电话：13800000000', '联系电话：13800000000'],
    ['a label without a colon is part of the value', 'location', '工作地点', '工作地点在南昌市', '工作地点在南昌市'],
    ['a word that only starts like a label', 'title', '岗位名称', '岗位经理', '岗位经理'],
    ['no label', 'location', '工作地点', '南昌市青山湖区', '南昌市青山湖区'],
  ])('%s', (_, field, header, raw, expected) => {
    expect(read(raw, field, header)).toBe(expected);
  });
});
