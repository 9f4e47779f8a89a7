import { integer, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';

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
  /** The narration voice of the site's videos: a provider id, its voice and pace (null: the provider's default). */
  voiceProvider: text('voice_provider').notNull().default('espeak'),
  voice: text('voice'),
  voiceRate: real('voice_rate').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
