import type { JobView } from '@jobcast/core';
import { samplePosterJob } from '@jobcast/sample-data';
import { expect } from 'vitest';
import { RenderInputError } from '../src/index.ts';

/** Every character that has broken a renderer somewhere: markup, ffmpeg's %{…}, quotes, escapes, mustache. */
export const INJECTION = `<script>&%{x}'\\:{{t}}`;

/** The same text escaped for SVG, as the drawn text must contain it. */
export const INJECTION_IN_SVG = /&#60;script&#62;&#38;%\{x\}&#39;\\:\{\{t\}\}/g;

/** A job with the injection string in every text field a template can show. */
export function hostileJob(): JobView {
  return samplePosterJob({
    title: INJECTION,
    employer: INJECTION,
    location: INJECTION,
    description: INJECTION,
    contact: { name: INJECTION, phone: INJECTION },
    pay: { min: null, max: null, unit: null, negotiable: false, months: null, text: INJECTION },
  });
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
