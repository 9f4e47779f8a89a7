import type { JobView } from '@jobcast/core';
import { samplePosterJob } from '@jobcast/sample-data';
import { expect } from 'vitest';
import { RenderInputError } from '../src/index.ts';

/** Every character that has broken a renderer somewhere: markup, ffmpeg's %{…}, quotes, escapes, mustache. */
export const INJECTION = `<script>&%{x}'\\:{{t}}`;

/** The same text escaped for SVG, as the drawn text must contain it. */
export const INJECTION_IN_SVG = /&#60;script&#62;&#38;%\{x\}&#39;\\:\{\{t\}\}/g;

/**
 * A job with the injection string in every text field a template can show. Its pay is read (a posting's
 * own pay words are never printed: `unreadPayJob`), with the string as the words it was read from.
 */
export function hostileJob(): JobView {
  return samplePosterJob({
    title: INJECTION,
    employer: INJECTION,
    location: INJECTION,
    description: INJECTION,
    contact: { name: INJECTION, phone: INJECTION },
    pay: { min: 4000, max: 6000, unit: 'month', negotiable: false, months: null, text: INJECTION },
  });
}

/** Pay as a posting wrote it that the importer could not read: only the words are kept. */
export const UNREAD_PAY = '4千5~6千/月+提成（详谈）';

/** A job whose pay the importer could not read. */
export function unreadPayJob(overrides: Partial<JobView> = {}): JobView {
  return samplePosterJob({
    id: 41,
    title: '行政见习生',
    pay: { min: null, max: null, unit: null, negotiable: false, months: null, text: UNREAD_PAY },
    ...overrides,
  });
}

/** What a render refused for such a job says: the job by title and id, its pay words, and the fix. */
export function expectUnreadPayRefusal(error: RenderInputError, job: Pick<JobView, 'id' | 'title'>): void {
  expect(error.code).toBe('PAY_NOT_NORMALISED');
  expect(error.message).toContain(`岗位“${job.title}”（编号 ${job.id}）的薪资“${UNREAD_PAY}”导入时未能识别`);
  expect(error.message).toContain('4500-6000元/月');
  expect(error.details).toMatchObject({ field: 'job.pay', job: job.id, payText: UNREAD_PAY });
}

/** The RenderInputError a render was refused with (fails the test if it rendered). */
export async function failure(promise: Promise<unknown>): Promise<RenderInputError> {
  const error = await promise.then(
    () => expect.unreachable('it rendered'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RenderInputError);
  return error as RenderInputError;
}
