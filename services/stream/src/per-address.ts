/**
 * What the RTMP port counts per client address: the address group a connection belongs to, and
 * windows that gather what one group did so it is reported once, with counts, not once per try.
 */
import net from 'node:net';

/**
 * The unit limits and reports apply to: an IPv4 address (IPv4-mapped IPv6 included) or an IPv6 /64,
 * since one IPv6 client commonly holds a whole /64.
 */
export function addressGroup(address: string): string {
  const plain = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(plain);
  if (mapped) return mapped[1] as string;
  if (!net.isIPv6(plain)) return plain;
  const groups = ipv6Groups(plain);
  return `${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}

function ipv6Groups(address: string): number[] {
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((group) => {
          if (!group.includes('.')) return [Number.parseInt(group, 16)];
          const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head = '', tail] = address.split('::');
  if (tail === undefined) return parse(head);
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/**
 * One window per address group: it opens with the group's first event and, `windowMs` later, is
 * handed to `report` and forgotten.
 */
export class AddressWindows<T> {
  private readonly open = new Map<string, { window: T; timer: NodeJS.Timeout }>();
  private readonly reports = new Set<Promise<void>>();

  constructor(
    private readonly windowMs: number,
    private readonly create: () => T,
    private readonly report: (group: string, window: T) => void | Promise<void>,
  ) {}

  /** The group's open window, opened now if it has none. */
  get(group: string): T {
    const found = this.open.get(group);
    if (found) return found.window;
    const window = this.create();
    const timer = setTimeout(() => this.close(group), this.windowMs);
    timer.unref();
    this.open.set(group, { window, timer });
    return window;
  }

  peek(group: string): T | undefined {
    return this.open.get(group)?.window;
  }

  /** Reports every open window now (at shutdown) and waits for what the reports write. */
  async flush(): Promise<void> {
    for (const group of [...this.open.keys()]) this.close(group);
    await Promise.all([...this.reports]);
  }

  private close(group: string): void {
    const found = this.open.get(group);
    if (!found) return;
    clearTimeout(found.timer);
    this.open.delete(group);
    const done: Promise<void> = Promise.resolve()
      .then(() => this.report(group, found.window))
      .catch(() => {})
      .finally(() => this.reports.delete(done));
    this.reports.add(done);
  }
}

/** `unknown-key x18, expired x2`: counts by label, most frequent first. */
export function countsText(counts: Map<string, number>): string {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([label, count]) => (count > 1 ? `${label} x${count}` : label))
    .join(', ');
}
