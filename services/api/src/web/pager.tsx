/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';

// The long lists' pages: a page number in the address, links that keep the list's filters.

/** The page asked for by `?page=`: 1 when none, or when it is not a page number. */
export function pageNumber(c: Context<AppEnv>): number {
  const page = Number(c.req.query('page'));
  return Number.isInteger(page) && page > 1 && page <= 100_000 ? page : 1;
}

/**
 * A list's address with the filters that are set, on `page` (page 1 is left out), and an optional
 * fragment that brings the reader to the list rather than to the top of a long page.
 */
export function listHref(
  path: string,
  filters: Record<string, string | number | undefined>,
  page: number,
  fragment = '',
): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return `${path}${search ? `?${search}` : ''}${fragment ? `#${fragment}` : ''}`;
}

/** The numbers a pager links to: the first, the last, and two either side of the page shown; 0 is a gap. */
export function pageLinks(page: number, pages: number): number[] {
  const shown: number[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) {
      if (shown.length > 0 && n - (shown.at(-1) as number) > 1) shown.push(0);
      shown.push(n);
    }
  }
  return shown;
}

/** 上一页 · 1 2 3 … · 下一页, under a list of `total` rows shown `pageSize` at a time. */
export function Pager(props: { page: number; total: number; pageSize: number; href: (page: number) => string }) {
  const { page, total, pageSize, href } = props;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (pages === 1 && page === 1) return null;
  return (
    <nav class="pager" aria-label="翻页">
      {page > 1 ? (
        <a class="button secondary" href={href(Math.min(page - 1, pages))} rel="prev">
          上一页
        </a>
      ) : null}
      {pageLinks(page, pages).map((n) =>
        n === 0 ? (
          <span class="muted">…</span>
        ) : n === page ? (
          <strong aria-current="page">{n}</strong>
        ) : (
          <a href={href(n)}>{n}</a>
        ),
      )}
      {page < pages ? (
        <a class="button secondary" href={href(page + 1)} rel="next">
          下一页
        </a>
      ) : null}
      <span class="muted">
        第 {page} / {pages} 页，共 {total} 条
      </span>
    </nav>
  );
}
