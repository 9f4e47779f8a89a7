import { describe, expect, it } from 'vitest';
import { fixShiftedFields, looksLikeEducation, looksLikeExperience } from '../../src/normalize/shift.ts';

describe('looksLikeEducation / looksLikeExperience', () => {
  it.each<[string | null, boolean, boolean]>([
    // text, education?, experience?
    [null, false, false],
    ['', false, false],
    ['不限', false, false],
    ['无', false, false],
    ['学历不限', true, false],
    ['不限学历', true, false],
    ['学历：不限', true, false],
    ['小学', true, false],
    ['初中', true, false],
    ['高中', true, false],
    ['中专', true, false],
    ['中技', true, false],
    ['技校', true, false],
    ['职高', true, false],
    ['大专', true, false],
    ['专科', true, false],
    ['本科', true, false],
    ['硕士', true, false],
    ['研究生', true, false],
    ['博士', true, false],
    ['大专及以上', true, false],
    ['本科以上', true, false],
    ['本科及以上学历', true, false],
    ['全日制本科', true, false],
    ['高中/中专', true, false],
    ['高中或中专以上', true, false],
    ["Bachelor's degree", true, false],
    ['经验不限', false, true],
    ['不限经验', false, true],
    ['经验：不限', false, true],
    ['无经验', false, true],
    ['无需经验', false, true],
    ['1-3年', false, true],
    ['1~3年', false, true],
    ['3-5年经验', false, true],
    ['3年以上', false, true],
    ['一年以上', false, true],
    ['半年以上', false, true],
    ['1年经验', false, true],
    ['1年以上工作经验', false, true],
    ['6个月以上', false, true],
    ['工作经验：2年', false, true],
    ['应届', false, true],
    ['应届生', false, true],
    ['应届毕业生', false, true],
    ['在校生', false, true],
    ['有相关经验者优先', false, true],
    ['3 years', false, true],
    ['本科学历，3年经验', false, false],
    ['5人', false, false],
    ['销售代表', false, false],
  ])('%j → education %s, experience %s', (text, edu, exp) => {
    expect(looksLikeEducation(text)).toBe(edu);
    expect(looksLikeExperience(text)).toBe(exp);
  });
});

describe('fixShiftedFields', () => {
  const f = (education: string | null, experience: string | null, headcount: string | null = null) => ({
    education,
    experience,
    headcount,
  });
  it.each<[string, ReturnType<typeof f>, ReturnType<typeof f>, [string, string][]]>([
    ['nothing to do', f('本科', '1-3年', '5'), f('本科', '1-3年', '5'), []],
    ['all empty', f(null, null), f(null, null), []],
    ['ambiguous 不限 stays', f(null, '不限'), f(null, '不限'), []],
    ['education in experience, education empty', f(null, '大专'), f('大专', null), [['experience', '已移至学历']]],
    [
      'education in experience, education filled',
      f('本科', '大专'),
      f('本科', '大专'),
      [['experience', '字段可能错位']],
    ],
    [
      'experience in education, experience empty',
      f('3年以上', null),
      f(null, '3年以上'),
      [['education', '已移至经验']],
    ],
    [
      'experience in education, experience filled',
      f('应届生', '不限'),
      f('应届生', '不限'),
      [['education', '字段可能错位']],
    ],
    ['swapped', f('1-3年', '本科'), f('本科', '1-3年'), [['education', '互换']]],
    ['education in headcount', f(null, '1-3年', '本科'), f('本科', '1-3年', null), [['headcount', '已移至学历']]],
    ['experience in headcount', f('本科', null, '3年以上'), f('本科', '3年以上', null), [['headcount', '已移至经验']]],
    ['headcount value kept when target filled', f('本科', '1-3年', '大专'), f('本科', '1-3年', '大专'), []],
  ])('%s', (_, input, expected, warnings) => {
    const out = fixShiftedFields(input);
    expect({ education: out.education, experience: out.experience, headcount: out.headcount }).toEqual(expected);
    expect(out.warnings.map((w) => [w.field, w.reason])).toEqual(
      warnings.map(([field, part]) => [field, expect.stringContaining(part)]),
    );
  });
});
