/**
 * A size as a person reads it: 512 → "512 字节", 10_035 → "9.8 KB", 52_428_800 → "50 MB",
 * 2_147_483_648 → "2 GB" (one decimal at most, none when it is whole: a limit reads as it was set).
 */
export function formatBytes(bytes: number): string {
  const trim = (value: number) => String(Math.round(value * 10) / 10);
  if (bytes >= 1024 ** 3) return `${trim(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 ** 2) return `${trim(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KB`;
  return `${bytes} 字节`;
}
