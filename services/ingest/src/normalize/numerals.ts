const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CN_NUMBER_RE = /^(?:([一二两三四五六七八九])?十([一二三四五六七八九])?|([零〇一二两三四五六七八九]))$/;

/** Chinese numerals 0–99 (五, 十, 十二, 二十, 三十五) as typed in headcount and experience cells; null otherwise. */
export function chineseNumber(text: string): number | null {
  const m = CN_NUMBER_RE.exec(text);
  if (!m) return null;
  if (m[3] !== undefined) return DIGITS[m[3]] ?? null;
  return (m[1] === undefined ? 1 : (DIGITS[m[1]] ?? 0)) * 10 + (m[2] === undefined ? 0 : (DIGITS[m[2]] ?? 0));
}
