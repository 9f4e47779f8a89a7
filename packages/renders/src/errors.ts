/** Why a render can never succeed as asked: retrying would fail the same way, so it fails at once. */
export type RenderInputCode =
  | 'FONT_MISSING'
  | 'MISSING_GLYPHS'
  | 'TEXT_DOES_NOT_FIT'
  | 'UNKNOWN_TEMPLATE'
  | 'BAD_TEMPLATE'
  | 'MISSING_FIELD'
  | 'PAY_NOT_NORMALISED'
  | 'MISSING_ASSET'
  | 'JOB_NOT_FOUND'
  | 'SCRIPT_TOO_LONG'
  | 'MUSIC_NOT_FOUND'
  | 'VOICE_UNAVAILABLE'
  | 'FOOTAGE_UNUSABLE'
  | 'VIDEO_LENGTH';

/**
 * Input that can never render: an unknown template, a missing field, a character the font lacks,
 * text that cannot fit. The message says what to change, in Chinese with English beside it.
 */
export class RenderInputError extends Error {
  constructor(
    readonly code: RenderInputCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RenderInputError';
  }
}
