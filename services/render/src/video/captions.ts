import { VIDEO_PROFILE } from '@jobcast/renders';
import { FONT_FAMILY, type FontFace, fontFace } from '../text/font.ts';
import { breakLines, segments } from '../text/layout.ts';

/** A caption on screen from `start` to `end` (seconds of the video). */
export interface CaptionCue {
  text: string;
  start: number;
  end: number;
  /** The engine's word timings on the video's timeline (ms), where it gave them (cloud voices do; eSpeak does not). */
  words?: readonly { text: string; startMs: number; endMs: number }[];
}

/**
 * When the part of a cue after its first `before` of `total` characters begins: at the word the
 * voice says there, where the engine timed its words; else shared by length.
 */
export function cueSplitTime(cue: CaptionCue, before: number, total: number): number {
  const share = before / total;
  const words = cue.words ?? [];
  const spoken = words.reduce((n, w) => n + [...w.text].length, 0);
  if (spoken > 0) {
    // The caption shows the script as written (1800元) and the voice says it as words (一千八百元):
    // the same share of what is said is the nearest word boundary the timings give.
    let said = 0;
    for (const word of words) {
      if (said >= share * spoken) return Math.min(Math.max(word.startMs / 1000, cue.start), cue.end);
      said += [...word.text].length;
    }
  }
  return cue.start + (cue.end - cue.start) * share;
}

/**
 * Where captions go in the 1080×1920 frame: clear of the top ~250 px, the bottom ~460 px and the
 * right-hand ~180 px, where 视频号 and 抖音 draw their own buttons and text.
 */
export const CAPTION_STYLE = {
  size: 72,
  outline: 5,
  marginLeft: 90,
  marginRight: 180,
  marginBottom: 470,
  maxLines: 2,
} as const;

export const CAPTION_WIDTH = VIDEO_PROFILE.width - CAPTION_STYLE.marginLeft - CAPTION_STYLE.marginRight;

/** The visible AIGC label (《人工智能生成合成内容标识办法》): small, top left, below the apps' top bar. */
export const AI_LABEL_TEXT = '本视频含AI生成内容';

/**
 * Cues as they will be shown: each broken into lines with the real font and the 避头尾 rules, at most
 * two lines a cue; a longer cue becomes several, its time shared by their lengths.
 */
export function layoutCaptions(cues: readonly CaptionCue[]): { lines: string[]; start: number; end: number }[] {
  const face = fontFace('bold');
  const shown: { lines: string[]; start: number; end: number }[] = [];
  for (const cue of cues) {
    // An emoji or a symbol the caption face lacks would show as a box: captions leave it out.
    const text = [...cue.text]
      .filter((c) => face.has(c.codePointAt(0) as number))
      .join('')
      .trim();
    if (text === '') continue;
    const lines = captionLines(text, face, CAPTION_STYLE.size, CAPTION_WIDTH);
    const groups: string[][] = [];
    for (let i = 0; i < lines.length; i += CAPTION_STYLE.maxLines)
      groups.push(lines.slice(i, i + CAPTION_STYLE.maxLines));
    const total = groups.reduce((n, g) => n + g.join('').length, 0) || 1;
    let at = cue.start;
    let before = 0;
    for (const [i, group] of groups.entries()) {
      before += group.join('').length;
      const end = i === groups.length - 1 ? cue.end : cueSplitTime(cue, before, total);
      shown.push({ lines: group, start: at, end });
      at = end;
    }
  }
  return shown;
}

const words = new Intl.Segmenter('zh-Hans', { granularity: 'word' });

/**
 * A cue's lines as a subtitler would break them: only between words (Chinese word segmentation) where
 * the 避头尾 rules also allow a break, in as few lines as fit, with the lines as even as they can be
 * (工作地点在 / 南昌市青山湖区, not 工作地点在南昌市青山湖 / 区).
 */
export function captionLines(text: string, face: FontFace, size: number, maxWidth: number): string[] {
  const trimmed = text.trim();
  const allowed = new Set<number>();
  let at = 0;
  for (const piece of segments(trimmed)) {
    at += piece.length;
    allowed.add(at);
  }
  const units: string[] = [];
  let start = 0;
  for (const { index, segment } of words.segment(trimmed)) {
    const end = index + segment.length;
    if (allowed.has(end) || end === trimmed.length) {
      units.push(trimmed.slice(start, end));
      start = end;
    }
  }
  const widths = units.map((u) => face.width(u, size));
  if (widths.some((w) => w > maxWidth)) return breakLines(trimmed, face, size, maxWidth) ?? hardBreak(trimmed);
  // best[k][i]: the narrowest widest line laying the first i units in k lines; from[k][i]: where its last line starts.
  const n = units.length;
  const lineWidth = (i: number, j: number) => {
    let w = 0;
    for (let u = i; u < j; u++) w += widths[u] as number;
    return w;
  };
  for (let lines = 1; lines <= n; lines++) {
    const best: number[][] = [[0, ...Array(n).fill(Number.POSITIVE_INFINITY)]];
    const from: number[][] = [[]];
    for (let k = 1; k <= lines; k++) {
      best[k] = Array(n + 1).fill(Number.POSITIVE_INFINITY);
      from[k] = Array(n + 1).fill(0);
      for (let j = 1; j <= n; j++) {
        for (let i = k - 1; i < j; i++) {
          const w = lineWidth(i, j);
          if (w > maxWidth) continue;
          const worst = Math.max(best[k - 1]?.[i] ?? Number.POSITIVE_INFINITY, w);
          if (worst < (best[k]?.[j] as number)) {
            (best[k] as number[])[j] = worst;
            (from[k] as number[])[j] = i;
          }
        }
      }
    }
    if (Number.isFinite(best[lines]?.[n])) {
      const result: string[] = [];
      let j = n;
      for (let k = lines; k >= 1; k--) {
        const i = from[k]?.[j] as number;
        result.unshift(units.slice(i, j).join('').trim());
        j = i;
      }
      return result;
    }
  }
  return hardBreak(trimmed);
}

/** A piece wider than the line (a 40-letter URL): cut by characters rather than overflow the frame. */
function hardBreak(text: string): string[] {
  const perLine = Math.floor(CAPTION_WIDTH / CAPTION_STYLE.size);
  const chars = [...text];
  const lines: string[] = [];
  for (let i = 0; i < chars.length; i += perLine) lines.push(chars.slice(i, i + perLine).join(''));
  return lines;
}

/**
 * An ASS subtitle file for ffmpeg's libass: the captions bottom-centred in the safe area, white bold
 * Noto Sans CJK SC with a dark outline, and when the video is AI-made the visible label for its whole
 * length. Line breaks are ours (WrapStyle 2: libass never re-wraps), and text is escaped so nothing a
 * script says is read as an override tag.
 */
export function assSubtitles(cues: readonly CaptionCue[], options: { seconds: number; aiLabel: boolean }): string {
  const s = CAPTION_STYLE;
  const header = [
    '[Script Info]',
    'ScriptType: v4.00+',
    `PlayResX: ${VIDEO_PROFILE.width}`,
    `PlayResY: ${VIDEO_PROFILE.height}`,
    'WrapStyle: 2',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    `Style: Caption,${FONT_FAMILY},${s.size},&H00FFFFFF,&H00FFFFFF,&H00201A14,&H80000000,-1,0,0,0,100,100,0,0,1,${s.outline},2,2,${s.marginLeft},${s.marginRight},${s.marginBottom},1`,
    // BorderStyle 3: an opaque box behind the label, so it reads on any scene.
    `Style: AiLabel,${FONT_FAMILY},30,&H00FFFFFF,&H00FFFFFF,&H66000000,&H66000000,-1,0,0,0,100,100,0,0,3,6,0,7,80,0,262,1`,
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
  ];
  const events = layoutCaptions(cues).map(
    (cue) =>
      `Dialogue: 0,${assTime(cue.start)},${assTime(cue.end)},Caption,,0,0,0,,${cue.lines.map(escapeAss).join('\\N')}`,
  );
  if (options.aiLabel)
    events.push(`Dialogue: 1,${assTime(0)},${assTime(options.seconds)},AiLabel,,0,0,0,,${AI_LABEL_TEXT}`);
  return `${[...header, ...events].join('\n')}\n`;
}

/** SubRip, beside the video for platforms that take a caption file: the same cues and line breaks. */
export function srtSubtitles(cues: readonly CaptionCue[]): string {
  return layoutCaptions(cues)
    .map((cue, i) => `${i + 1}\n${srtTime(cue.start)} --> ${srtTime(cue.end)}\n${cue.lines.join('\n')}\n`)
    .join('\n');
}

/** `{`…`}` opens an override block and `\` a tag in ASS: shown as their full-width look-alikes. */
export function escapeAss(text: string): string {
  return text
    .replace(/\\/g, '＼')
    .replace(/\{/g, '｛')
    .replace(/\}/g, '｝')
    .replace(/[\r\n]+/g, ' ');
}

export function assTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const h = Math.floor(cs / 360000);
  const m = Math.floor((cs % 360000) / 6000);
  const sec = Math.floor((cs % 6000) / 100);
  return `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

export function srtTime(seconds: number): string {
  const ms = Math.max(0, Math.round(seconds * 1000));
  const h = Math.floor(ms / 3600000);
  const m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;
}
