import { open } from 'node:fs/promises';
import type { ImportFormat } from '@jobcast/core';
import { JobcastError } from '@jobcast/core';

/** What a file is, decided from its bytes: file names lie (an HTML page saved as .xls is common). */
export interface FileKind {
  format: ImportFormat;
  /** Text encoding for csv and json; null for xlsx. */
  encoding: TextEncoding | null;
  delimiter: string;
  /** What ends a line: '\r' only in files from old Mac Excel, '\n' (alone or after '\r') elsewhere. */
  lineBreak: '\n' | '\r';
}

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gbk' | 'gb18030';

/** How far to look for the first non-ASCII text when deciding the encoding. */
const ENCODING_WINDOW = 1 << 20;

export async function sniffFile(path: string, displayName: string): Promise<FileKind> {
  const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new JobcastError('UNREADABLE_FILE', `无法打开文件 ${displayName}：${openFailure(error)}`);
  });
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, ENCODING_WINDOW));
    await handle.read(head, 0, head.length, 0);
    return classify(head, size, displayName);
  } finally {
    await handle.close();
  }
}

function openFailure(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return '文件不存在';
  if (error.code === 'EACCES' || error.code === 'EPERM') return '没有读取权限';
  return `系统错误 ${error.code ?? error.message}`;
}

function unreadable(displayName: string, message: string): JobcastError {
  return new JobcastError('UNREADABLE_FILE', `${displayName}：${message}`);
}

export function classify(head: Buffer, size: number, displayName: string): FileKind {
  if (size === 0 || head.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09)) {
    throw unreadable(displayName, '文件为空');
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return { format: 'xlsx', encoding: null, delimiter: ',', lineBreak: '\n' };
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw unreadable(
      displayName,
      '这是旧版 Excel（.xls）或加密的工作簿，请在 Excel/WPS 中“另存为” .xlsx 或 CSV 后再导入',
    );
  }
  const encoding = detectEncoding(head);
  const text = decodeHead(head, encoding);
  const start = text
    .replace(/^[\s\uFEFF]+/, '')
    .slice(0, 2048)
    .toLowerCase();
  if (
    /^<(!doctype|html|head|body|table|meta|\?xml)/.test(start) ||
    (start.startsWith('<') && /<(table|tr|td|div)[\s>]/.test(start))
  ) {
    throw unreadable(
      displayName,
      '这是网页（HTML）文件，不是表格。网站“导出 Excel”有时只是网页：请用 Excel 打开后另存为 .xlsx 或 CSV',
    );
  }
  if (isBinary(head, encoding)) {
    throw unreadable(displayName, '这是二进制文件，不是表格（应为 CSV、XLSX 或 JSON）');
  }
  if (start.startsWith('[')) return { format: 'json', encoding, delimiter: ',', lineBreak: '\n' };
  if (start.startsWith('{')) {
    throw unreadable(displayName, 'JSON 文件须为岗位数组 [ {...}, {...} ]');
  }
  const lineBreak = !text.includes('\n') && text.includes('\r') ? '\r' : '\n';
  return { format: 'csv', encoding, delimiter: detectDelimiter(text), lineBreak };
}

export function detectEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const firstHigh = head.findIndex((b) => b >= 0x80);
  if (firstHigh === -1) return 'utf-8';
  if (isValidUtf8(head)) return 'utf-8';
  return hasGb18030FourByte(head, firstHigh) ? 'gb18030' : 'gbk';
}

/** Valid UTF-8, forgiving a sequence cut off at the end of the window. */
function isValidUtf8(bytes: Buffer): boolean {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    if (len === 0 || b > 0xf4) return false;
    for (let k = 1; k < len; k++) {
      if (i + k >= n) return true;
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return false;
    }
    i += len;
  }
  return true;
}

/** GB18030's four-byte sequences (byte, digit, byte, digit) reach characters GBK cannot encode. */
function hasGb18030FourByte(bytes: Buffer, from: number): boolean {
  let i = from;
  const n = bytes.length - 3;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    const b2 = bytes[i + 1] as number;
    if (b >= 0x81 && b <= 0xfe && b2 >= 0x30 && b2 <= 0x39) return true;
    i += 2;
  }
  return false;
}

function decodeHead(head: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf-16le':
      return head.toString('utf16le');
    case 'utf-16be':
      return Buffer.from(head).swap16().toString('utf16le');
    case 'gbk':
    case 'gb18030':
      return new TextDecoder('gb18030').decode(head);
    default:
      return head.toString('utf8');
  }
}

function isBinary(head: Buffer, encoding: TextEncoding): boolean {
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return false;
  const sample = head.subarray(0, 8192);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  return control > sample.length * 0.02;
}

const CANDIDATE_DELIMITERS = [',', '\t', ';', '|'] as const;

/** The delimiter that splits the first lines into the most columns, consistently. */
function detectDelimiter(text: string): string {
  const lines = text.split(/\r\n|\n|\r/, 6).filter((line) => line.trim() !== '');
  let best = ',';
  let bestScore = 0;
  for (const delimiter of CANDIDATE_DELIMITERS) {
    const counts = lines.map((line) => line.split(delimiter).length - 1);
    const min = Math.min(...counts);
    if (min > bestScore) {
      best = delimiter;
      bestScore = min;
    }
  }
  return best;
}
