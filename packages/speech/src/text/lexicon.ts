/**
 * Polyphone fixes for job words (店长 is dian4 zhang3, not chang2), kept as data in lexicon/lexicon.json so an
 * editor can add a word without touching code. A voice engine decides how pinyin is written inline (`mark`).
 * The only I/O here is reading that file, once.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JobcastError } from '@jobcast/core';
import { z } from 'zod';

/** Word → tone-numbered pinyin, one syllable per character, space-separated: 店长 → 'dian4 zhang3'. */
export type Lexicon = ReadonlyMap<string, string>;

/** How an engine writes a word's pinyin inline in the text it reads; null leaves the word as written. */
export type PinyinMark = (word: string, pinyin: string) => string | null;

/** eSpeak NG (cmn-latn-pinyin and the WASM build): syllables joined without spaces, right against the Chinese. */
export const espeakPinyin: PinyinMark = (_word, pinyin) => pinyin.replace(/\s+/g, '');

const DEFAULT_FILE = new URL('../../lexicon/lexicon.json', import.meta.url);
const WORD_RE = /^\p{Script=Han}{2,8}$/u;
// Initial (optional), final, tone 1–5 (5 = neutral); ü may be written v.
const SYLLABLE_RE = /^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:[aeiouvü]+(?:ng|n|r)?|ng|n|m)[1-5]$/;

const fileSchema = z.object({
  words: z.record(z.string(), z.string({ error: '拼音应为文字' }), { error: '"words" 应为「词: 拼音」的对象' }),
});

function entryProblem(word: string, pinyin: string): string | null {
  if (!WORD_RE.test(word)) return '词条应为 2 到 8 个汉字';
  const syllables = pinyin.split(' ');
  const bad = syllables.find((syllable) => !SYLLABLE_RE.test(syllable));
  if (bad !== undefined) return `拼音 "${pinyin}" 中的 "${bad}" 不是带声调数字（1–5）的音节`;
  const chars = Array.from(word).length;
  if (syllables.length !== chars) return `有 ${chars} 个字，拼音却有 ${syllables.length} 个音节`;
  return null;
}

function problem(source: string, issues: string[]): JobcastError {
  return new JobcastError('BAD_INPUT', `发音词库 ${source} 有 ${issues.length} 处错误：${issues.join('；')}`, {
    issues,
  });
}

/** A lexicon from parsed JSON (`{"words": {"店长": "dian4 zhang3"}}`); every bad entry is named in the error. */
export function parseLexicon(json: unknown, source = 'lexicon.json'): Lexicon {
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw problem(
      source,
      parsed.error.issues.map((issue) => {
        const word = issue.path[1];
        return typeof word === 'string' ? `「${word}」${issue.message}` : issue.message;
      }),
    );
  }
  const lexicon = new Map<string, string>();
  const issues: string[] = [];
  for (const [word, raw] of Object.entries(parsed.data.words)) {
    const pinyin = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    const wrong = entryProblem(word, pinyin);
    if (wrong) issues.push(`「${word}」${wrong}`);
    else lexicon.set(word, pinyin);
  }
  if (issues.length > 0) throw problem(source, issues);
  return lexicon;
}

/** Words written twice in the file: JSON.parse would silently keep the last. */
function duplicateWords(raw: string): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const match of raw.matchAll(/"([^"\\]+)"\s*:\s*"/g)) {
    const word = match[1] as string;
    if (seen.has(word)) twice.add(word);
    seen.add(word);
  }
  return [...twice];
}

/** Reads and checks a lexicon file; the package's lexicon/lexicon.json by default. */
export function loadLexicon(file: string | URL = DEFAULT_FILE): Lexicon {
  const source = basename(typeof file === 'string' ? file : fileURLToPath(file));
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    // The error's code, not its message: the message holds the machine's path.
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在' : code === 'EACCES' ? '没有读取权限' : (code ?? '未知错误');
    throw new JobcastError('UNREADABLE_FILE', `读不到发音词库 ${source}：${why}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new JobcastError('BAD_INPUT', `发音词库 ${source} 不是有效的 JSON：${(error as Error).message}`);
  }
  const twice = duplicateWords(raw);
  if (twice.length > 0)
    throw problem(
      source,
      twice.map((word) => `「${word}」出现了不止一次`),
    );
  return parseLexicon(json, source);
}

let loaded: Lexicon | undefined;

/** The package's own lexicon, read on first use. */
export function defaultLexicon(): Lexicon {
  loaded ??= loadLexicon();
  return loaded;
}

const longestWords = new WeakMap<Lexicon, number>();

/**
 * Replaces lexicon words by what `mark` makes of them, scanning left to right and taking the longest word at
 * each place (银行行长 → 银行 + 行长; 成长期 → 成长 + 期 when both are listed).
 */
export function applyLexicon(text: string, lexicon: Lexicon, mark: PinyinMark): string {
  let longest = longestWords.get(lexicon);
  if (longest === undefined) {
    longest = Math.max(0, ...Array.from(lexicon.keys(), (word) => word.length));
    longestWords.set(lexicon, longest);
  }
  if (longest === 0) return text;
  let out = '';
  let at = 0;
  while (at < text.length) {
    let matched = false;
    for (let length = Math.min(longest, text.length - at); length >= 2; length--) {
      const word = text.slice(at, at + length);
      const pinyin = lexicon.get(word);
      if (pinyin !== undefined) {
        out += mark(word, pinyin) ?? word;
        at += length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      out += text[at];
      at++;
    }
  }
  return out;
}
