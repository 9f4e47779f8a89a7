import type { PageRoute } from '../../page.tsx';
import { bookingForm, bookingSubmit } from './book.tsx';
import { liveConsole } from './console.tsx';
import { keyReplace } from './key.tsx';
import { liveList } from './list.tsx';
import { sessionDetail } from './session.tsx';

/** The 直播 section: one page a file, the pieces they share in parts.tsx. */
export const livePages: PageRoute[] = [liveList, bookingForm, bookingSubmit, sessionDetail, keyReplace, liveConsole];
