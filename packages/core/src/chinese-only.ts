/**
 * Texts stored by earlier versions carry an English gloss after the Chinese ("视频文件校验不符
 * (checksum mismatch)"); the console shows the Chinese only.
 */
const TRAILING_GLOSS = /\s*\((?=[^\p{Script=Han}]*[A-Za-z])(?:[^()\p{Script=Han}]|\([^()\p{Script=Han}]*\))*\)\s*$/u;

/** The text without a trailing English gloss in ASCII brackets; a text that is nothing but one is kept. */
export function chineseOnly(text: string): string {
  return text.replace(TRAILING_GLOSS, '').trim() || text;
}
