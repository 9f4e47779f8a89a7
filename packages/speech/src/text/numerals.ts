/**
 * Figures as a Mandarin speaker says them: amounts (四千五, 一万零五百), digit strings (二零二五, 幺三八),
 * clock times (八点半). Pure; the normaliser decides which reading a figure in running text gets.
 */

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const SECTION_PLACES = ['千', '百', '十', ''] as const;
const SECTION_UNITS = ['', '万', '亿', '万亿'] as const;
// Beyond 万亿 nobody says the figure as an amount; it is an id or a typo and is read digit by digit.
const MAX_AMOUNT_DIGITS = 16;

export interface ReadNumberOptions {
  /**
   * Colloquial form: a trailing unit after two leading digits is dropped (4500 → 四千五, 12000 → 一万二).
   * Callers turn it off before a unit word, where 一万五元 could be heard as 10005 元. Default true.
   */
  short?: boolean;
  /** The figure counts something (2人, 2个月): a lone 2 reads 两. */
  measure?: boolean;
}

function digit(d: string): string {
  return DIGITS[Number(d)] ?? d;
}

/** Digit by digit: '2025' → 二零二五. With `yao`, 1 reads 幺 as in phone numbers. Other characters pass through. */
export function readDigits(digits: string, options: { yao?: boolean } = {}): string {
  let out = '';
  for (const ch of digits) {
    if (ch >= '0' && ch <= '9') out += options.yao && ch === '1' ? '幺' : digit(ch);
    else out += ch;
  }
  return out;
}

/** One 4-digit section (0–9999, zero-padded) without its 万/亿 unit. */
function readSection(section: string, first: boolean): string {
  let out = '';
  let zero = false;
  for (let i = 0; i < 4; i++) {
    const d = section[i] as string;
    if (d === '0') {
      if (out !== '') zero = true;
      continue;
    }
    if (zero) {
      out += '零';
      zero = false;
    }
    // 两百, 两千 as people say it; 二十, 十二 stay.
    let word = d === '2' && i < 2 ? '两' : digit(d);
    // 十五, not 一十五, at the very start of a figure.
    if (i === 2 && d === '1' && first && out === '') word = '';
    out += word + SECTION_PLACES[i];
  }
  return out;
}

function readInteger(digits: string): string {
  const trimmed = digits.replace(/^0+(?=\d)/, '');
  if (trimmed === '0') return '零';
  if (trimmed.length > MAX_AMOUNT_DIGITS) return readDigits(trimmed);
  const padded = trimmed.padStart(Math.ceil(trimmed.length / 4) * 4, '0');
  const count = padded.length / 4;
  let out = '';
  let gap = false;
  for (let s = 0; s < count; s++) {
    const section = padded.slice(s * 4, s * 4 + 4);
    const value = Number(section);
    const unit = SECTION_UNITS[count - 1 - s] as string;
    if (value === 0) {
      if (out !== '') gap = true;
      continue;
    }
    if (out !== '' && (gap || value < 1000)) out += '零';
    gap = false;
    out += (out === '' && value === 2 && unit !== '' ? '两' : readSection(section, out === '')) + unit;
  }
  return out;
}

/** 4500 → [4, 5, 2]: the two adjacent leading digits and the place of the second, when nothing else is set. */
function colloquialParts(digits: string): [string, string, number] | null {
  const trimmed = digits.replace(/^0+/, '');
  const place = trimmed.length - 2;
  // Only 百/千/万/亿 may drop the next place: 一百五, 四千五, 一万二, 一亿二; never 一百五万 for 150万.
  if (place !== 1 && place !== 2 && place !== 3 && place !== 7) return null;
  if (!/^[1-9][1-9]0*$/.test(trimmed)) return null;
  return [trimmed[0] as string, trimmed[1] as string, place];
}

/**
 * An amount in Chinese: 4500 → 四千五 (四千五百 with `short: false`), 4050 → 四千零五十, 10000 → 一万,
 * 200 → 两百, 3.5 → 三点五, 0.5 → 零点五. A whole number with a leading zero ('007') is read digit by digit.
 */
export function readNumber(value: number | string, options: ReadNumberOptions = {}): string {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(body);
  if (!match) throw new RangeError(`not a decimal figure: ${JSON.stringify(value)}`);
  const whole = match[1] as string;
  const fraction = match[2];
  const sign = negative ? '负' : '';
  if (fraction !== undefined) return `${sign}${readInteger(whole)}点${readDigits(fraction)}`;
  if (whole.length > 1 && whole.startsWith('0')) return sign + readDigits(whole);
  if (options.measure && whole === '2') return `${sign}两`;
  const parts = options.short === false ? null : colloquialParts(whole);
  if (parts) {
    const [high, low, place] = parts;
    return sign + readInteger(high + '0'.repeat(place + 1)) + digit(low);
  }
  return sign + readInteger(whole);
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite figure: ${value}`);
  // BigInt spells large whole numbers out where String() would write 1e+21.
  return Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** How a phone number is chunked when read: 138 1234 5678, 400 123 4567, 8888 6666. */
export function phoneGroups(digits: string): string[] {
  const sizes: Record<number, number[]> = { 7: [3, 4], 8: [4, 4], 10: [3, 3, 4], 11: [3, 4, 4], 12: [4, 4, 4] };
  const plan = sizes[digits.length] ?? (digits.length <= 6 ? [digits.length] : []);
  const groups: string[] = [];
  let at = 0;
  for (const size of plan) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  for (; at < digits.length; at += 4) groups.push(digits.slice(at, at + 4));
  return groups;
}

/** Digits of a phone number with 1 as 幺, groups joined by a short pause: 13812345678 → 幺三八，幺二三四，五六七八. */
export function readPhone(groups: readonly string[]): string {
  return groups
    .filter((group) => group !== '')
    .map((group) => readDigits(group, { yao: true }))
    .join('，');
}

/** A clock time: (8, 30) → 八点半, (9, 5) → 九点零五分, (2, 0) → 两点, (17, 45) → 十七点四十五分. */
export function readClock(hour: number, minute: number): string {
  const h = hour === 2 ? '两' : readNumber(hour, { short: false });
  if (minute === 0) return `${h}点`;
  if (minute === 30) return `${h}点半`;
  return `${h}点${minute < 10 ? '零' : ''}${readNumber(minute, { short: false })}分`;
}
