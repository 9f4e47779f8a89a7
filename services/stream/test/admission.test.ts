import { KEY_EARLY_MS } from '@jobcast/live';
import { describe, expect, it } from 'vitest';
import { type Admission, type AdmissionInput, decideAdmission, screenPublish } from '../src/admission.ts';

const slotStart = new Date('2026-03-02T09:00:00+08:00');
const slotEnd = new Date('2026-03-02T10:00:00+08:00');
const at = (ms: number) => new Date(slotStart.getTime() + ms);
const MINUTE = 60_000;
const STALE_MS = 5000;

type Status = 'booked' | 'live' | 'interrupted' | 'ended';
const session = (status: Status) => ({ id: 7, status, slotStart, slotEnd });
const base: AdmissionInput = {
  app: 'live',
  session: session('booked'),
  holder: null,
  now: at(0),
  staleHolderMs: STALE_MS,
};

const admit: Admission = { outcome: 'admit', sessionId: 7 };
const refuse = (reason: string, sessionId: number | null = 7): Admission =>
  ({ outcome: 'refuse', sessionId, reason }) as Admission;

describe('screening a publish before its key is looked up', () => {
  it.each([
    ['the service is stopping', { stopping: true, key: 'k' }, { outcome: 'drop' }],
    ['the service is stopping, no key either', { stopping: true, key: '' }, { outcome: 'drop' }],
    ['no stream key', { stopping: false, key: '' }, refuse('no-key', null)],
    ['a key to look up', { stopping: false, key: 'k' }, null],
  ])('%s', (_, attempt, expected) => {
    expect(screenPublish(attempt)).toEqual(expected);
  });
});

describe('deciding a publish once its key is looked up', () => {
  const cases: [string, Partial<AdmissionInput>, Admission][] = [
    ['a booked session at its slot start', {}, admit],
    ['a booked session 30 minutes early, to the millisecond', { now: at(-KEY_EARLY_MS) }, admit],
    ['a booked session just before its key is good', { now: at(-KEY_EARLY_MS - 1) }, refuse('not-yet-valid')],
    ['a booked session an hour early', { now: at(-60 * MINUTE) }, refuse('not-yet-valid')],
    ['a booked session at its slot end', { now: slotEnd }, admit],
    [
      'a booked session whose slot is over: the key expired',
      { now: new Date(slotEnd.getTime() + 1) },
      refuse('expired'),
    ],
    ['an unknown key', { session: null }, refuse('unknown-key', null)],
    ['another application than live', { app: 'other' }, refuse('wrong-app')],
    ['another application, unknown key', { app: 'other', session: null }, refuse('wrong-app', null)],
    ['another application, ended session', { app: 'other', session: session('ended') }, refuse('wrong-app')],
    ['an ended session', { session: session('ended') }, refuse('ended')],
    ['an ended session, before its slot', { session: session('ended'), now: at(-60 * MINUTE) }, refuse('ended')],
    ['an ended session, after its slot', { session: session('ended'), now: at(3 * 60 * MINUTE) }, refuse('ended')],
    [
      'an ended session with a publisher still here',
      { session: session('ended'), holder: { lastSeenAt: at(0) } },
      refuse('ended'),
    ],
    // Once live, the key stays good until the session ends, however long it overruns its slot.
    [
      'a live session overrunning its slot, no publisher here',
      { session: session('live'), now: at(3 * 60 * MINUTE) },
      admit,
    ],
    [
      'an interrupted session: the reconnect within the gap',
      { session: session('interrupted'), now: at(30 * MINUTE) },
      admit,
    ],
    [
      'an interrupted session past its slot end: the ticker, not admission, applies the gap',
      { session: session('interrupted'), now: at(3 * 60 * MINUTE) },
      admit,
    ],
    [
      'an interrupted session before its key is good',
      { session: session('interrupted'), now: at(-KEY_EARLY_MS - 1) },
      refuse('not-yet-valid'),
    ],
    [
      'already publishing: the holder sent media just now',
      { session: session('live'), holder: { lastSeenAt: at(-1000) } },
      refuse('already-live'),
    ],
    [
      'already publishing: the holder silent exactly the stale time is kept',
      { session: session('live'), holder: { lastSeenAt: at(-STALE_MS) } },
      refuse('already-live'),
    ],
    [
      'already publishing: a holder silent longer is cut, and this attempt still refused',
      { session: session('live'), holder: { lastSeenAt: at(-STALE_MS - 1) } },
      { ...refuse('already-live'), cutHolder: true } as Admission,
    ],
    [
      'a booked session with a publisher here (let in a moment ago)',
      { holder: { lastSeenAt: at(0) } },
      refuse('already-live'),
    ],
    [
      'an expired key with a stale publisher here: expired wins, nobody is cut',
      { now: new Date(slotEnd.getTime() + 1), holder: { lastSeenAt: at(0) } },
      refuse('expired'),
    ],
  ];

  it.each(cases)('%s', (_, change, expected) => {
    expect(decideAdmission({ ...base, ...change })).toEqual(expected);
  });

  it('covers every reason it can give', () => {
    const reasons = new Set(
      [
        ...cases.map(([, change]) => decideAdmission({ ...base, ...change })),
        screenPublish({ stopping: false, key: '' }),
      ].flatMap((decision) => (decision?.outcome === 'refuse' ? [decision.reason] : [])),
    );
    expect([...reasons].sort()).toEqual(
      ['already-live', 'ended', 'expired', 'no-key', 'not-yet-valid', 'unknown-key', 'wrong-app'].sort(),
    );
  });
});
