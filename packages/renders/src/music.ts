/**
 * The music beds JobCast makes itself (services/render synthesises them), as a form offers them: a
 * video can always have music that needs no licence.
 */
export const BUILTIN_MUSIC = [
  { id: 'builtin-bright', label: '轻快（内置）' },
  { id: 'builtin-calm', label: '舒缓（内置）' },
] as const;
export type BuiltinMusicId = (typeof BUILTIN_MUSIC)[number]['id'];
