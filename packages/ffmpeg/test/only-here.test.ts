import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * One place runs ffmpeg: this package (spawning, progress, timeouts, kill). Every other service's,
 * package's and the CLI's source reaches ffmpeg and ffprobe through it; a file that starts either
 * program itself, or brings in another wrapper, fails this test by name. Tests and benchmarks are not
 * scanned (they may run ffmpeg to make their inputs).
 */

const root = path.resolve(fileURLToPath(import.meta.url), '../../../..');
const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;

/** Packages that run ffmpeg or ffprobe themselves, or ship their own binary. */
const WRAPPERS =
  /^(?:fluent-ffmpeg|ffmpeg-static|ffprobe-static|@ffmpeg-installer\/.+|@ffprobe-installer\/.+|@ffmpeg\/.+|ffmpeg-.+|.+-ffmpeg)$/;

/** `ffmpeg`, `/usr/bin/ffprobe`, `ffmpeg.exe`, or a command line starting with one and an option (`ffmpeg -i …`, for exec). */
const PROGRAM = /^(?:\S*[/\\])?ff(?:mpeg|probe)(?:\.exe)?(?:$|\s+-)/;

/** The source folders scanned: services/*\/src, packages/*\/src but this one, cli/src. */
async function sourceRoots(): Promise<string[]> {
  const roots = [path.join(root, 'cli', 'src')];
  for (const group of ['services', 'packages']) {
    for (const entry of await readdir(path.join(root, group), { withFileTypes: true })) {
      if (entry.isDirectory() && !(group === 'packages' && entry.name === 'ffmpeg')) {
        roots.push(path.join(root, group, entry.name, 'src'));
      }
    }
  }
  return roots;
}

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && SOURCE.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .filter((file) => !file.split(path.sep).includes('node_modules'));
}

/**
 * What in a file runs ffmpeg outside this package, with its line: an import or require of a wrapper,
 * or a string naming the ffmpeg or ffprobe program (spawn('ffmpeg'), execFile(FFPROBE) with
 * `const FFPROBE = 'ffprobe'`, exec('ffmpeg -i …')). Comments and words in messages are not code.
 */
function ffmpegUses(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteralLike(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      const value = node.text;
      const parent = node.parent;
      const imported =
        ts.isImportDeclaration(parent) ||
        ts.isExportDeclaration(parent) ||
        ts.isExternalModuleReference(parent) ||
        (ts.isCallExpression(parent) &&
          (parent.expression.kind === ts.SyntaxKind.ImportKeyword ||
            (ts.isIdentifier(parent.expression) && parent.expression.text === 'require')));
      if (imported) {
        if (WRAPPERS.test(value)) found.push(`line ${at(node)}: imports ${value}`);
      } else if (PROGRAM.test(value.trim())) found.push(`line ${at(node)}: names the program "${value.trim()}"`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('ffmpeg and ffprobe are run by @jobcast/ffmpeg only', () => {
  it('finds what it looks for: spawning or exec-ing either program, a constant naming it, a wrapper package', () => {
    const offender = [
      "import { spawn, execFile, exec } from 'node:child_process';",
      "import ffmpeg from 'fluent-ffmpeg';",
      "const FFPROBE = '/usr/bin/ffprobe';",
      "spawn('ffmpeg', ['-i', input]);",
      'execFile(FFPROBE, []);',
      `exec(\`ffmpeg -i \${input} out.mp4\`);`,
      "const installer = require('@ffmpeg-installer/ffmpeg');",
      "const wasm = await import('@ffmpeg/ffmpeg');",
    ].join('\n');
    expect(ffmpegUses('offender.ts', offender)).toEqual([
      'line 2: imports fluent-ffmpeg',
      'line 3: names the program "/usr/bin/ffprobe"',
      'line 4: names the program "ffmpeg"',
      'line 6: names the program "ffmpeg -i"',
      'line 7: imports @ffmpeg-installer/ffmpeg',
      'line 8: imports @ffmpeg/ffmpeg',
    ]);
    const innocent = [
      "import { runFfmpeg } from '@jobcast/ffmpeg';",
      '// ffmpeg is run by the package',
      "const message = 'ffmpeg 未安装：请运行 npm run setup';",
      "log('ffmpeg exited with 1');",
      'await runFfmpeg(args);',
    ].join('\n');
    expect(ffmpegUses('innocent.ts', innocent)).toEqual([]);
  });

  it('in every service, package and the CLI', async () => {
    const roots = await sourceRoots();
    expect(roots.map((r) => path.relative(root, r))).toEqual(
      expect.arrayContaining(['cli/src', 'services/render/src', 'services/stream/src', 'packages/renders/src']),
    );
    const offences: string[] = [];
    let scanned = 0;
    for (const dir of roots) {
      for (const file of await sourceFiles(dir)) {
        scanned++;
        for (const use of ffmpegUses(file, await readFile(file, 'utf8'))) {
          offences.push(`${path.relative(root, file)} ${use}: run it through @jobcast/ffmpeg instead`);
        }
      }
    }
    expect(scanned).toBeGreaterThan(100);
    expect(offences).toEqual([]);
  });
});
