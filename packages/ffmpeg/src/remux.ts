import { writeFile } from 'node:fs/promises';
import { concatList, remuxArgs } from './builders/recording.ts';
import { type RunOptions, runFfmpeg } from './runner.ts';

/** Joins segments (FLV of one live session) into one MP4 without re-encoding; `listFile` is the concat demuxer's list, written here. */
export async function remuxToMp4(
  segments: readonly string[],
  listFile: string,
  output: string,
  options: RunOptions = {},
): Promise<void> {
  await writeFile(listFile, concatList(segments));
  await runFfmpeg(remuxArgs(listFile, output), options);
}
