export {
  type AudioMix,
  audioMixArgs,
  type FootageSound,
  footageSoundArgs,
  LOUDNESS_TARGET,
  loudnessGainArgs,
  METER,
} from './builders/audio-mix.ts';
export { publishFileArgs, relayArgs, testStreamArgs } from './builders/live.ts';
export { concatList, remuxArgs, thumbnailArgs } from './builders/recording.ts';
export {
  PLATFORM_H264_OPTIONS,
  planFrames,
  type SceneClip,
  type StillsVideo,
  soundMuxArgs,
  soundTrackAacArgs,
  stillsVideoArgs,
  type VideoPlan,
  videoFilterGraph,
} from './builders/stills-video.ts';
export {
  FfmpegAborted,
  FfmpegError,
  type FfmpegExit,
  FfmpegInterrupted,
  type FfmpegProgram,
  FfmpegTimeout,
} from './errors.ts';
export { type Loudness, measureLoudness, normalizeLoudness, parseEbur128, runMetered } from './loudness.ts';
export { type FfprobeJson, type MediaProbe, type ProbedStream, parseProbe, probe } from './probe.ts';
export { type FfmpegProgress, outTimeSeconds, progressReader } from './progress.ts';
export { remuxToMp4 } from './remux.ts';
export {
  type FeedOptions,
  type FfmpegFeed,
  RunningProcesses,
  type RunOptions,
  runFfmpeg,
  runFfprobe,
  startFfmpegFeed,
  stopLeftover,
} from './runner.ts';
export { moovBeforeMdat, probeVideo, profileProblems, type VideoFacts, type VideoProfile } from './video-facts.ts';
