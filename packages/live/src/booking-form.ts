/**
 * A booking as the console's form types it: text fields read into a booking, with what is wrong said
 * field by field. The domain (`bookLiveSession`) checks the rest: the type, title, length, rundown and
 * the relays' hosts.
 */
import { JobcastError, type LiveSessionType } from '@jobcast/core';
import { type Database, findRecentBooking, zonedInstant } from '@jobcast/db';
import type { BookingInput } from './sessions.ts';

/** As many relays, each as long, as the API's booking request takes. */
export const RELAY_LIMITS = { count: 10, chars: 2000 } as const;

/** How long a second identical booking by the same person counts as the browser sending the form again. */
export const RESUBMIT_WINDOW_MINUTES = 10;

/** The form's fields as typed; `jobIds` the rundown as ticked, in order. */
export interface BookingText {
  type: string;
  title: string;
  anchorName: string;
  day: string;
  time: string;
  minutes: string;
  relays: string;
  jobIds: number[];
}

function bad(message: string): never {
  throw new JobcastError('BAD_INPUT', message);
}

/** The start as typed on the site's clock (`2026-12-03 14:00`), once it is a date and time that exist. */
export function localStartOf(day: string, time: string): string {
  const local = `${day}T${time}`;
  const valid = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) && !Number.isNaN(Date.parse(`${local}Z`));
  // Date.parse rolls 2026-02-30 over to March: the fields must come back as typed.
  if (!valid || new Date(`${local}Z`).toISOString().slice(0, 16) !== local)
    bad('开始日期和时间：请填写有效的日期和时间，如 2026-12-03 和 14:00');
  return `${day} ${time}`;
}

/** The slot's length in minutes; empty is the default. */
export function minutesOf(text: string): number | undefined {
  const minutes = text.trim();
  if (minutes === '') return undefined;
  if (!/^\d{1,5}$/.test(minutes)) bad(`时长（分钟）：“${minutes.slice(0, 20)}”不是整数`);
  return Number(minutes);
}

/** One relay push address a line; blank lines are nothing. */
export function relaysOf(text: string): string[] {
  const relays = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  if (relays.length > RELAY_LIMITS.count) bad(`转推地址：最多 ${RELAY_LIMITS.count} 个`);
  const long = relays.findIndex((relay) => relay.length > RELAY_LIMITS.chars);
  if (long >= 0) bad(`转推地址：第 ${long + 1} 个超过 ${RELAY_LIMITS.chars} 个字符`);
  return relays;
}

/** The booking a form asks for, its start still on the site's clock. */
export function bookingOfText(text: BookingText): { input: Omit<BookingInput, 'start'>; localStart: string } {
  const minutes = minutesOf(text.minutes);
  const localStart = localStartOf(text.day, text.time);
  return {
    input: {
      type: text.type as LiveSessionType,
      title: text.title,
      anchorName: text.anchorName,
      minutes,
      jobIds: text.jobIds,
      relays: relaysOf(text.relays),
    },
    localStart,
  };
}

/** The booking a form asks for, its start an instant (the database knows the zone's rules). */
export async function bookingInputOf(db: Database, timezone: string, text: BookingText): Promise<BookingInput> {
  const { input, localStart } = bookingOfText(text);
  return { ...input, start: await zonedInstant(db, localStart, timezone) };
}

/**
 * The session this booking already made, when the browser sent the form again: the same person
 * booking the same title and slot within minutes is a refresh of the answer, not a second show.
 */
export async function findResubmittedBooking(
  db: Database,
  booker: { siteId: number; userId: number },
  input: Pick<BookingInput, 'title' | 'start'>,
): Promise<number | null> {
  return findRecentBooking(db, {
    siteId: booker.siteId,
    userId: booker.userId,
    title: input.title.trim(),
    slotStart: input.start,
    minutes: RESUBMIT_WINDOW_MINUTES,
  });
}
