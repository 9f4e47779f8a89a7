import { describe, expect, it } from 'vitest';
import { formatBytes } from '../src/bytes.ts';

describe('a size as a person reads it', () => {
  it.each([
    [0, '0 字节'],
    [512, '512 字节'],
    [1023, '1023 字节'],
    [1024, '1 KB'],
    [10_035, '9.8 KB'],
    [64 * 1024, '64 KB'],
    [1024 ** 2, '1 MB'],
    [15_000_000, '14.3 MB'],
    [20 * 1024 ** 2, '20 MB'],
    [2047.95 * 1024 ** 2, '2 GB'],
    [2 * 1024 ** 3, '2 GB'],
    [5.5 * 1024 ** 3, '5.5 GB'],
  ])('%d bytes: %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
