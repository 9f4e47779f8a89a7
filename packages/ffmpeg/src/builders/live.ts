/**
 * Argument lists of a live stream: the relay to a platform and the stand-in publisher that tests
 * and the benchmark use in place of OBS.
 */

/** Copies FLV from stdin to an RTMP address, no re-encode. Run with startFfmpegFeed. */
export function relayArgs(pushUrl: string): string[] {
  return ['-loglevel', 'error', '-f', 'flv', '-i', 'pipe:0', '-c', 'copy', '-f', 'flv', pushUrl];
}

/**
 * What OBS does, for tests and the benchmark: sends a file (looped) in real time to an RTMP address
 * without re-encoding, so the sender's own CPU stays small.
 */
export function publishFileArgs(
  file: string,
  url: string,
  seconds: number,
  options: { audioOnly?: boolean } = {},
): string[] {
  return [
    '-loglevel',
    'error',
    '-re',
    '-stream_loop',
    '-1',
    '-i',
    file,
    '-t',
    String(seconds),
    ...(options.audioOnly ? ['-vn'] : []),
    '-c',
    'copy',
    '-f',
    'flv',
    url,
  ];
}

/**
 * A test picture and tone encoded as OBS sends them (H.264 + AAC in FLV, a keyframe every 2 s): the
 * file that tests' and the benchmark's stand-in publishers send.
 */
export function testStreamArgs(
  output: string,
  options: { width: number; height: number; seconds: number; videoMbits?: number },
): string[] {
  const mbits = options.videoMbits;
  const rate = mbits ? ['-b:v', `${mbits}M`, '-maxrate', `${mbits}M`, '-bufsize', `${2 * mbits}M`] : [];
  return [
    '-loglevel',
    'error',
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=${options.width}x${options.height}:rate=30`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    String(options.seconds),
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    ...rate,
    '-g',
    '60',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-f',
    'flv',
    '-y',
    output,
  ];
}
