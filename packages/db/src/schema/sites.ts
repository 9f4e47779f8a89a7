import { integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** One district operation. Every other record belongs to a site, directly or through its parent. */
export const sites = pgTable('sites', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  // What templates print about the office: its hotline, address, logo (a media key), colours and
  // the page its QR codes open. Null until an admin sets them; templates show what is set.
  hotline: text('hotline'),
  address: text('address'),
  logoKey: text('logo_key'),
  primaryColor: text('primary_color'),
  accentColor: text('accent_color'),
  qrUrl: text('qr_url'),
  /** The contract's service year starts on this month and day (MM-DD) of each year. */
  serviceYearStart: text('service_year_start').notNull().default('01-01'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
