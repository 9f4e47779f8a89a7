/** Argument lists that turn a live session's recording into its evidence: one MP4 and its thumbnails. */

/** The concat demuxer's list file: one `file '…'` line per segment, quotes escaped its way. */
export function concatList(segments: readonly string[]): string {
  return segments.map((file) => `file '${file.replace(/'/g, "'\\''")}'\n`).join('');
}

/** Joins the files named in a concat list into one MP4 without re-encoding, index at the front. */
export function remuxArgs(listFile: string, output: string): string[] {
  return [
    '-f',
    'concat',
    '-safe',
    '0',
    '-i',
    listFile,
    '-y',
    '-c',
    'copy',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}

/** One JPEG frame `width` wide (640 by default) at `seconds`, seeking to the keyframe before it (no decode of the whole recording). */
export function thumbnailArgs(input: string, seconds: number, output: string, width = 640): string[] {
  if (!Number.isInteger(width) || width < 16)
    throw new Error(`thumbnail width is not a whole number of pixels: ${width}`);
  return [
    '-ss',
    String(seconds),
    '-i',
    input,
    '-y',
    '-frames:v',
    '1',
    '-vf',
    `scale=${width}:-2`,
    '-q:v',
    '4',
    '-f',
    'image2',
    output,
  ];
}
