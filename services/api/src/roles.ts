import { type UserRole, userRoles } from '@jobcast/core';

/**
 * Who may do what, in one place: the API's routes and the console's pages guard with these lists and
 * show or hide a form by them, so a page never offers what its route would refuse. The role table
 * in test/auth.test.ts pins every route against them.
 */

/** What a person calls each role. */
export const ROLE_LABELS: Record<UserRole, string> = {
  admin: '管理员',
  media: '宣传',
  anchor: '主播',
  manager: '负责人',
};

/** Any signed-in user: reading is open to every role of the site. */
export const anyRole: readonly UserRole[] = userRoles;

/** Deployment housekeeping: the queue dashboard. */
export const ADMINS = ['admin'] as const satisfies readonly UserRole[];

/** Who brings job exports in. */
export const IMPORTERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who asks for videos, posters and flyers. */
export const RENDER_MAKERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who adds clips, photos and music to the site's library. */
export const ASSET_UPLOADERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who sets the voice the site's videos are narrated in. */
export const VOICE_SETTERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who records publications, media reports and flyers' print runs (as they make the renders). */
export const PUBLISHERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who may delete a publication or media report: a count the year's score rests on. */
export const PUBLICATION_REMOVERS = ['admin'] as const satisfies readonly UserRole[];

/** Who exports the ledgers and evidence packs. */
export const EXPORT_ROLES = ['admin', 'manager', 'media'] as const satisfies readonly UserRole[];

/** Who runs a session: books it, puts jobs on screen, ends it, and is shown its overlay and preview addresses. */
export const LIVE_OPERATORS = ['admin', 'anchor'] as const satisfies readonly UserRole[];

/** Who pairs screens and sets their groups' playlists. */
export const SCREEN_MANAGERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who records job fairs, their employers and photos. */
export const FAIR_MANAGERS = ['admin', 'media'] as const satisfies readonly UserRole[];

/** Who may delete a fair: a count the year's score rests on. */
export const FAIR_REMOVERS = ['admin'] as const satisfies readonly UserRole[];

export function isLiveOperator(role: UserRole): boolean {
  return (LIVE_OPERATORS as readonly UserRole[]).includes(role);
}
