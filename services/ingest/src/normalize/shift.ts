import { toHalfWidth } from './text.ts';
import type { FieldWarning } from './types.ts';

const STRIP_RE = /[\s:：]+/g;
const LEVEL =
  '(?:全日制|统招)?(?:小学|初中|中学|高中|中专|中技|技校|职高|中职|高职|大专|专科|本科|学士|硕士|研究生|博士后|博士|mba)';
const ONE_LEVEL = `${LEVEL}(?:学历)?(?:及以上|或以上|以上)?(?:学历)?`;
// Only an explicit label makes a bare '不限' an education value; alone it could as well be experience.
const EDU_PREFIX_RE = /^(?:最低)?学历(?:要求)?/;
const EDU_RE = new RegExp(`^(?:学历不限|不限学历|${ONE_LEVEL}(?:[/、,，或及]${ONE_LEVEL})*)$`);
const EDU_EN_RE =
  /^(?:high school|college|associate|bachelor|master|phd|doctorate)(?:'?s)?(?: degree)?(?: or above)?$/i;

const NUM = '(?:\\d+(?:\\.\\d+)?|[一二两三四五六七八九十半]{1,3})';
const SPAN = `${NUM}(?:(?:-|~|至|到)${NUM})?(?:个)?(?:年|月)(?:及以上|以上|以下|以内|左右)?`;
const EXP_PREFIX_RE = /^(?:工作)?经验(?:要求)?/;
const EXP_RE = new RegExp(
  `^(?:经验不限|不限经验|无经验|无需经验|不需要经验|无经验要求|经验无要求|零基础|有(?:相关)?(?:工作)?经验(?:者?优先)?|` +
    `应届(?:毕业)?生?|在校生?|在读|${SPAN}(?:(?:相关)?(?:工作)?经验)?(?:者?优先)?)$`,
);
const EXP_EN_RE = /^(?:no experience|entry level|\d+\+? years?(?: of experience)?)$/i;

function prepare(text: string): string {
  return toHalfWidth(text).toLowerCase().replace(STRIP_RE, '');
}

/** 本科, 大专及以上, 学历不限, 高中/中专 … ; a bare '不限' is not enough. */
export function looksLikeEducation(text: string | null): boolean {
  if (text === null) return false;
  const s = prepare(text);
  if (s.length === 0 || s.length > 24) return false;
  const core = s.replace(EDU_PREFIX_RE, '');
  if (core !== s && (core === '不限' || core === '无要求')) return true;
  return EDU_RE.test(core) || EDU_EN_RE.test(text.trim());
}

/** 1-3年, 3年以上, 一年以上, 经验不限, 应届生, 在校生 … ; a bare '不限' is not enough. */
export function looksLikeExperience(text: string | null): boolean {
  if (text === null) return false;
  const s = prepare(text);
  if (s.length === 0 || s.length > 24) return false;
  const core = s.replace(EXP_PREFIX_RE, '');
  if (core !== s && (core === '不限' || core === '无要求' || core === '无')) return true;
  return EXP_RE.test(core) || EXP_EN_RE.test(text.trim());
}

export interface ShiftFix {
  education: string | null;
  experience: string | null;
  /** The headcount cell, emptied when its value was an education or experience value that moved. */
  headcount: string | null;
  warnings: FieldWarning[];
}

const MSG_SWAPPED = '学历与经验两列内容互换，已调回';
const MSG_EDU_IN_EXP = '学历值出现在经验列，已移至学历';
const MSG_EXP_IN_EDU = '经验值出现在学历列，已移至经验';
const MSG_EXP_LOOKS_EDU = '字段可能错位：经验列的值像学历，未改动';
const MSG_EDU_LOOKS_EXP = '字段可能错位：学历列的值像经验，未改动';
const MSG_EDU_IN_COUNT = '学历值出现在人数列，已移至学历';
const MSG_EXP_IN_COUNT = '经验值出现在人数列，已移至经验';

/**
 * Repairs rows where education, experience (and headcount) values sit in each other's columns — the usual result
 * of a cell missing in a hand-made sheet. Moves a value only into an empty field; otherwise only warns.
 */
export function fixShiftedFields(fields: {
  education: string | null;
  experience: string | null;
  headcount: string | null;
}): ShiftFix {
  let { education, experience, headcount } = fields;
  const warnings: FieldWarning[] = [];
  // Values that are both (or neither) are left where they are: we move only what is unambiguous.
  const expHoldsEdu = looksLikeEducation(experience) && !looksLikeExperience(experience);
  const eduHoldsExp = looksLikeExperience(education) && !looksLikeEducation(education);

  if (expHoldsEdu && eduHoldsExp) {
    [education, experience] = [experience, education];
    warnings.push({ field: 'education', reason: MSG_SWAPPED });
  } else if (expHoldsEdu) {
    if (!education) {
      education = experience;
      experience = null;
      warnings.push({ field: 'experience', reason: MSG_EDU_IN_EXP });
    } else {
      warnings.push({ field: 'experience', reason: MSG_EXP_LOOKS_EDU });
    }
  } else if (eduHoldsExp) {
    if (!experience) {
      experience = education;
      education = null;
      warnings.push({ field: 'education', reason: MSG_EXP_IN_EDU });
    } else {
      warnings.push({ field: 'education', reason: MSG_EDU_LOOKS_EXP });
    }
  }

  if (headcount) {
    if (!education && looksLikeEducation(headcount) && !looksLikeExperience(headcount)) {
      education = headcount;
      headcount = null;
      warnings.push({ field: 'headcount', reason: MSG_EDU_IN_COUNT });
    } else if (!experience && looksLikeExperience(headcount) && !looksLikeEducation(headcount)) {
      experience = headcount;
      headcount = null;
      warnings.push({ field: 'headcount', reason: MSG_EXP_IN_COUNT });
    }
  }
  return { education, experience, headcount, warnings };
}
