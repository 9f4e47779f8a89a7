import { readFileSync } from 'node:fs';
import { type Argument, Help, type HelpConfiguration, type Option } from 'commander';

/**
 * The `jobcast` command speaks Chinese: commander's own words (help headings, its usage errors) are
 * put into Chinese here; the commands' descriptions are written in Chinese where they are declared.
 */

/** The version of the `jobcast` command, from its package.json. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

const TITLES: Record<string, string> = {
  'Usage:': '用法：',
  'Arguments:': '参数：',
  'Options:': '选项：',
  'Global Options:': '全局选项：',
  'Commands:': '命令：',
};

const placeholders = (text: string) => text.replace('[options]', '[选项]').replace('[command]', '[命令]');
// A repeatable option starts from an empty list: nothing worth saying.
const defaults = (text: string) =>
  text.replace(/ ?\(default: "?([^")]*)"?\)$/, (_, value: string) => (value === '[]' ? '' : `（默认 ${value}）`));

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes are what is left out.
const ANSI_COLOUR = /\x1b\[\d*(;\d*)*m/g;
/** A Chinese character with the punctuation that may not part from it at a line break, or a run of anything else. */
const CHUNK =
  /\s*(?:[（「『“‘]*[\u2e80-\ua4cf\uf900-\ufaff\uff00-\uff60][，。、；：！？）」』”’%]*|[^\s\u2e80-\ua4cf\uf900-\ufaff\uff00-\uff60]+)/gu;
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;

export const chineseHelp: HelpConfiguration = {
  styleTitle: (title) => TITLES[title] ?? title,
  commandUsage(this: Help, command) {
    return placeholders(Help.prototype.commandUsage.call(this, command));
  },
  subcommandTerm(this: Help, command) {
    return placeholders(Help.prototype.subcommandTerm.call(this, command));
  },
  optionDescription(this: Help, option: Option) {
    return defaults(Help.prototype.optionDescription.call(this, option));
  },
  argumentDescription(this: Help, argument: Argument) {
    return defaults(Help.prototype.argumentDescription.call(this, argument));
  },
  // Chinese characters take two columns of a terminal: the descriptions line up and wrap by that.
  displayWidth,
  // A description wraps between any two Chinese characters (closing punctuation stays with the one
  // before it), as between English words.
  boxWrap(this: Help, text, width) {
    if (width < this.minWidthToWrap) return text;
    return text
      .split('\n')
      .flatMap((line) => {
        const lines: string[] = [];
        let current = '';
        for (const chunk of line.match(CHUNK) ?? ['']) {
          if (current !== '' && displayWidth(current + chunk) > width) {
            lines.push(current);
            current = chunk.trimStart();
          } else {
            current += chunk;
          }
        }
        return [...lines, current];
      })
      .join('\n');
  },
};

function displayWidth(text: string): number {
  let width = 0;
  for (const char of text.replace(ANSI_COLOUR, '')) width += WIDE.test(char) ? 2 : 1;
  return width;
}

/** commander's usage errors, as it words them, in Chinese; anything else passes as it is. */
const ERRORS: [RegExp, (...parts: string[]) => string][] = [
  [/^error: unknown option '(.+?)'/, (option) => `错误：没有选项 ${option}`],
  [/^error: unknown command '(.+?)'/, (command) => `错误：没有命令 ${command}`],
  [/^error: missing required argument '(.+?)'/, (name) => `错误：缺少参数 ${name}`],
  [/^error: option '(.+?)' argument missing/, (option) => `错误：选项 ${option} 后面缺少值`],
  [/^error: required option '(.+?)' not specified/, (option) => `错误：必须给出选项 ${option}`],
  [
    /^error: too many arguments.*Expected (\d+) arguments? but got (\d+)\./,
    (expected, got) => `错误：参数太多：应为 ${expected} 个，给了 ${got} 个`,
  ],
  [/^\(Did you mean (?:one of )?(.+)\?\)$/, (similar) => `（是不是要用 ${similar.replaceAll(', ', '、')}？）`],
];

export function chineseError(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      for (const [pattern, say] of ERRORS) {
        const match = pattern.exec(line);
        if (match) return say(...match.slice(1));
      }
      return line;
    })
    .join('\n');
}
