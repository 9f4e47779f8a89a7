// Searching for text a person typed: shared by the lists that take a keyword.

/**
 * The typed text as it can be searched: PostgreSQL text holds no NUL (one in a crafted console URL
 * would fail the query), and blanks around it say nothing. Empty means no search.
 */
export function searchText(text: string | undefined): string {
  return text?.replaceAll('\u0000', '').trim() ?? '';
}

/** LIKE pattern for literal text: a user's % or _ is searched for, not a wildcard. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
