import type { Database } from './client.ts';

/** The newest session the same user booked with this title and slot start in the last `minutes`. */
export async function findRecentBooking(
  db: Database,
  booking: { siteId: number; userId: number; title: string; slotStart: Date; minutes: number },
): Promise<number | null> {
  const { rows } = await db.$client.query<{ id: number }>(
    `select id from live_sessions
      where site_id = $1 and created_by = $2 and title = $3 and slot_start = $4
        and created_at > now() - make_interval(mins => $5)
      order by id desc limit 1`,
    [booking.siteId, booking.userId, booking.title, booking.slotStart, booking.minutes],
  );
  return rows[0]?.id ?? null;
}
