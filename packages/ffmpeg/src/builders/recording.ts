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

/** One JPEG frame 640 wide at `seconds`, seeking to the keyframe before it (no decode of the whole recording). */
export function thumbnailArgs(input: string, seconds: number, output: string): string[] {
  return [
    '-ss',
    String(seconds),
    '-i',
    input,
    '-y',
    '-frames:v',
    '1',
    '-vf',
    'scale=640:-2',
    '-q:v',
    '4',
    '-f',
    'image2',
    output,
  ];
}
