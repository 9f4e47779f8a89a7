/** @jsxImportSource hono/jsx */
import { JOB_CATEGORY_LABELS, JobcastError, jobCategories, type UserRole } from '@jobcast/core';
import { getSiteByCode, type Site } from '@jobcast/db';
import { type ServiceYear, serviceYear } from '@jobcast/kpi';
import { currentServiceYear } from '@jobcast/ledger';
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context.ts';
import { kpiYearQuery, YEAR_RANGE } from '../routes/kpi/get.ts';
import { idSchema } from '../schemas.ts';
import { yearLabel } from './format.ts';
import type { PageOptions } from './page.tsx';

// Pieces more than one section's pages are made of.

/** The signed-in user's site: its time zone and service-year start decide what pages show. */
export function siteOf(c: Context<AppEnv>): Promise<Site> {
  return getSiteByCode(c.var.services.db, c.var.principal.siteCode);
}

/** Whether the signed-in role is one of `roles`: what decides which forms a page shows. */
export function may(c: Context<AppEnv>, roles: readonly UserRole[]): boolean {
  return roles.includes(c.var.principal.role);
}

/** What went wrong, for a page shown again with it. */
export type PageError = { status: ContentfulStatusCode; text: string };

/** A page's status and notice for what went wrong, to spread into its options; nothing when all went well. */
export function errorOptions(error: PageError | undefined): Pick<PageOptions, 'status' | 'notice'> {
  return error ? { status: error.status, notice: { kind: 'error', text: error.text } } : {};
}

/** The `:id` of a page's path; a number past the database's ids names nothing, like a missing one. */
export function pathId(c: Context<AppEnv>, what: string): number {
  const text = c.req.param('id') ?? '';
  const parsed = idSchema.safeParse(text);
  if (!parsed.success) {
    throw new JobcastError('NOT_FOUND', `没有这${what}（编号 ${text.slice(0, 20)}）`);
  }
  return parsed.data;
}

/** An id chosen in a form (a list's value): anything but an id asks for a choice again. */
export function chosenId(value: string, what: string): number {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new JobcastError('BAD_INPUT', `请从列表里选择${what}`);
  return parsed.data;
}

/**
 * The service year asked for by `?year=` (as `GET /api/kpi` reads it), the one under way when none
 * (or a bad one) is asked for; a bad one also says so.
 */
export async function yearOfPage(
  c: Context<AppEnv>,
): Promise<{ site: Site; sy: ServiceYear; current: number; error?: PageError }> {
  const site = await siteOf(c);
  const current = currentServiceYear(site);
  const query = kpiYearQuery.safeParse({ year: c.req.query('year') || undefined });
  const year = (query.success ? query.data.year : undefined) ?? current;
  const error = query.success ? undefined : { status: 400 as const, text: `年份${YEAR_RANGE}；下面显示本服务年度` };
  return { site, sy: serviceYear(year, site.serviceYearStart), current, ...(error ? { error } : {}) };
}

/** Chooses the service year a page shows: the years around this one, and the one shown. */
export function YearPicker(props: { action: string; shown: number; current: number; start: string }) {
  const { action, shown, current, start } = props;
  const years = new Set([current - 3, current - 2, current - 1, current, current + 1, shown]);
  return (
    <form class="year-picker" method="get" action={action}>
      <label>
        服务年度
        <select name="year">
          {[...years]
            .sort((a, b) => b - a)
            .map((year) => (
              <option value={String(year)} selected={year === shown}>
                {yearLabel(serviceYear(year, start))}
              </option>
            ))}
        </select>
      </label>
      <button type="submit" class="secondary">
        查看
      </button>
    </form>
  );
}

/**
 * A list's choices, each value by its label, the one `selected` chosen; a filter's list starts with
 * `all`, an empty value that filters nothing.
 */
export function Options<T extends string>(props: {
  values: readonly T[];
  labels: Readonly<Record<T, string>> | ((value: T) => string);
  selected: string | undefined;
  all?: string;
}) {
  const { values, labels, selected, all } = props;
  const label = (value: T) => (typeof labels === 'function' ? labels(value) : labels[value]);
  return (
    <>
      {all === undefined ? null : <option value="">{all}</option>}
      {values.map((value) => (
        <option value={value} selected={value === selected}>
          {label(value)}
        </option>
      ))}
    </>
  );
}

/** The job category to filter by, 全部类别 first. */
export function CategoryField(props: { selected: string | undefined }) {
  return (
    <label>
      类别
      <select name="category">
        <Options values={jobCategories} labels={JOB_CATEGORY_LABELS} selected={props.selected} all="全部类别" />
      </select>
    </label>
  );
}

/** A row of a detail table: what it is, and its value. */
export function Row(props: { label: string; children: Child }) {
  return (
    <tr>
      <th>{props.label}</th>
      <td>{props.children}</td>
    </tr>
  );
}

/**
 * A link that opens in a new tab, apart from the console: the page it opens cannot reach back into
 * the console's tab and is not told where it was opened from (an overlay's address is its password).
 */
export function NewTabLink(props: { href: string; id?: string; class?: string; children: Child }) {
  return (
    <a id={props.id} class={props.class} href={props.href} target="_blank" rel="noopener noreferrer">
      {props.children}
    </a>
  );
}
