import { formatBytes } from '@jobcast/core';
import { z } from 'zod';

/**
 * zod's reasons in Chinese, for what people write (settings, CLI flags, API bodies, console forms,
 * template files): worded to follow the field's name, which the caller puts in front ("标题：最多
 * 200 个字"). A message a schema sets itself wins.
 */

type Issue = z.core.$ZodRawIssue;

/** What a person calls the type a field wanted. */
const TYPE_NAMES: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  bigint: '整数',
  boolean: '是或否',
  array: '列表',
  object: '一组字段',
  date: '日期',
  file: '文件',
};

const FORMAT_HINTS: Record<string, string> = {
  date: '须为日期，如 2026-05-10',
  datetime: '须为日期和时间，如 2026-05-10T09:00:00+08:00',
  time: '须为时刻，如 09:00',
  email: '须为电子邮箱地址',
  url: '须为完整的网址，如 http://example.cn',
  uuid: '格式不对',
};

function choices(values: readonly unknown[]): string {
  return values.map((value) => String(value)).join('、');
}

function tooBig(issue: Extract<Issue, { code: 'too_big' }>): string {
  const max = Number(issue.maximum);
  switch (issue.origin) {
    case 'string':
      return `最多 ${max} 个字`;
    case 'array':
    case 'set':
      return `最多 ${max} 项`;
    case 'file':
      return `不能超过 ${formatBytes(max)}`;
    case 'date':
      return `不能晚于 ${new Date(max).toISOString().slice(0, 10)}`;
    default:
      return issue.inclusive ? `不能大于 ${max}` : `须小于 ${max}`;
  }
}

function tooSmall(issue: Extract<Issue, { code: 'too_small' }>): string {
  const min = Number(issue.minimum);
  switch (issue.origin) {
    case 'string':
      return min <= 1 ? '不能为空' : `至少 ${min} 个字`;
    case 'array':
    case 'set':
      return min <= 1 ? '至少要有一项' : `至少 ${min} 项`;
    case 'file':
      return min <= 1 ? '文件不能为空' : `至少 ${formatBytes(min)}`;
    case 'date':
      return `不能早于 ${new Date(min).toISOString().slice(0, 10)}`;
    default:
      return issue.inclusive ? `不能小于 ${min}` : `须大于 ${min}`;
  }
}

/**
 * zod's reason for an issue in Chinese, without the field's name. Pass it for one parse as
 * `safeParse(x, { error: chineseIssueMessages })`, or for the whole process with
 * {@link useChineseIssueMessages}.
 */
export const chineseIssueMessages = (issue: Issue): string => {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined || issue.input === null) return '不能为空';
      if (issue.expected === 'number' && typeof issue.input === 'number') return '须为数字';
      return `须为${TYPE_NAMES[issue.expected] ?? '正确的格式'}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `只能是 ${String(issue.values[0])}` : `须为以下之一：${choices(issue.values)}`;
    case 'too_big':
      return tooBig(issue);
    case 'too_small':
      return tooSmall(issue);
    case 'invalid_format': {
      if (issue.format === 'starts_with') return `须以“${(issue as { prefix?: string }).prefix ?? ''}”开头`;
      if (issue.format === 'ends_with') return `须以“${(issue as { suffix?: string }).suffix ?? ''}”结尾`;
      if (issue.format === 'includes') return `须包含“${(issue as { includes?: string }).includes ?? ''}”`;
      return FORMAT_HINTS[issue.format] ?? '格式不对';
    }
    case 'not_multiple_of':
      return `须为 ${String(issue.divisor)} 的整数倍`;
    case 'unrecognized_keys':
      return `有不认识的字段：${choices(issue.keys)}`;
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options && options.length > 0 ? `须为以下之一：${choices(options)}` : '格式不对';
    }
    case 'invalid_key':
      return '有不合格的键';
    case 'invalid_element':
      return '有不合格的项';
    default:
      return '不合格';
  }
};

/** Every zod message in this process in Chinese, unless a schema gives its own: called once at start. */
export function useChineseIssueMessages(): void {
  z.config({ localeError: chineseIssueMessages });
}
