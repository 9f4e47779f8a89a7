/**
 * The livestream guard: pure functions from what happened (segments, what was on screen) to whether
 * a session counts toward the year's targets, and why, in Chinese.
 */
import type { LiveRules } from '@jobcast/config';
import type { LiveSessionType } from '@jobcast/core';

export interface Interval {
  from: Date;
  /** Null while still open: counted up to `now`. */
  to: Date | null;
}

export interface Showing extends Interval {
  jobId: number;
}

/**
 * Seconds each job was on screen while the session was live (received media), summed over every
 * time it was shown. A job counts as presented once that reaches `presentMinSeconds`.
 */
export function onScreenLiveSeconds(
  showings: readonly Showing[],
  live: readonly Interval[],
  now: Date,
): Map<number, number> {
  const seconds = new Map<number, number>();
  const end = (interval: Interval) => (interval.to ?? now).getTime();
  for (const showing of showings) {
    let overlap = 0;
    for (const segment of live) {
      const from = Math.max(showing.from.getTime(), segment.from.getTime());
      const to = Math.min(end(showing), end(segment));
      if (to > from) overlap += to - from;
    }
    seconds.set(showing.jobId, (seconds.get(showing.jobId) ?? 0) + overlap / 1000);
  }
  return seconds;
}

export function presentedJobIds(
  showings: readonly Showing[],
  live: readonly Interval[],
  now: Date,
  presentMinSeconds: number,
): number[] {
  return [...onScreenLiveSeconds(showings, live, now)]
    .filter(([, seconds]) => seconds >= presentMinSeconds)
    .map(([jobId]) => jobId);
}

/** 52 分钟 for whole-minute thresholds (the contract's), seconds when the rule itself is finer. */
export function durationText(seconds: number, exact: boolean): string {
  const whole = Math.floor(seconds);
  if (!exact && whole >= 60) return `${Math.floor(whole / 60)} 分钟`;
  if (whole < 60) return `${whole} 秒`;
  const rest = whole % 60;
  return rest === 0 ? `${whole / 60} 分钟` : `${Math.floor(whole / 60)} 分 ${rest} 秒`;
}

export interface GuardState {
  qualified: boolean;
  /** Live seconds still missing; 0 once enough. */
  needSeconds: number;
  /** Presented jobs still missing (job livestreams only; 0 for the others). */
  needJobs: number;
  reasons: string[];
  thresholds: { minLiveSeconds: number; minJobs: number | null; presentMinSeconds: number };
}

export function guardState(
  type: LiveSessionType,
  liveSeconds: number,
  presentedJobs: number,
  rules: LiveRules,
): GuardState {
  const minLiveSeconds = type === 'job' ? rules.guardMinLiveSeconds : rules.otherMinLiveSeconds;
  const exact = minLiveSeconds % 60 !== 0;
  const live = Math.floor(liveSeconds);
  const needSeconds = Math.max(0, minLiveSeconds - live);
  const reasons = [
    needSeconds > 0
      ? `直播时长 ${durationText(live, exact)}，不足 ${durationText(minLiveSeconds, exact)}`
      : `直播时长 ${durationText(live, exact)}，达到 ${durationText(minLiveSeconds, exact)}`,
  ];
  let needJobs = 0;
  if (type === 'job') {
    needJobs = Math.max(0, rules.guardMinJobs - presentedJobs);
    reasons.push(
      needJobs > 0
        ? `讲解岗位 ${presentedJobs} 个，不足 ${rules.guardMinJobs} 个`
        : `讲解岗位 ${presentedJobs} 个，达到 ${rules.guardMinJobs} 个`,
    );
  }
  return {
    qualified: needSeconds === 0 && needJobs === 0,
    needSeconds,
    needJobs,
    reasons,
    thresholds: {
      minLiveSeconds,
      minJobs: type === 'job' ? rules.guardMinJobs : null,
      presentMinSeconds: rules.presentMinSeconds,
    },
  };
}
