import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useMe } from './auth.tsx';
import { useLocale, useT } from './i18n.tsx';
import { useTRPC } from './trpc.ts';

// From December 1 a calendar in force without next year's holidays would count 元旦 and 春节 as
// working days in every deadline: administrators see it on every desk's header and on the wall
// (a short link to 工作日历), and in full on the calendar tab. Nobody else is asked to act on it.

/** The calendars in force lacking next year's holidays, for an administrator; null for anyone else or when none lacks them. */
export function useCalendarsDue() {
  const me = useMe();
  const trpc = useTRPC();
  const admin = me.data?.role === 'admin';
  const due = useQuery(
    trpc.calendars.due.queryOptions(undefined, {
      enabled: admin,
      staleTime: 10 * 60_000,
      refetchInterval: 60 * 60_000,
    }),
  );
  return admin && due.data && due.data.year !== null && due.data.missing.length > 0 ? due.data : null;
}

/** The full sentence: which calendars lack which year. */
export function useCalendarsDueText(): string | null {
  const t = useT();
  const { locale } = useLocale();
  const due = useCalendarsDue();
  if (!due) return null;
  const names = due.missing
    .map(
      (c) =>
        (c.name ?? t('admin.cal.builtin')) + (locale === 'en' ? ` (${c.units})` : `（${c.units} 个单位）`),
    )
    .join(locale === 'en' ? ', ' : '、');
  return t('admin.cal.due', { year: due.year ?? '', names });
}

/** A short warning for a header: links to the calendar tab. */
export function CalendarDueLink({ className }: { className?: string }) {
  const t = useT();
  const due = useCalendarsDue();
  const text = useCalendarsDueText();
  if (!due || !text) return null;
  return (
    <Link
      to="/admin?tab=calendars"
      className={`cal-due ${className ?? ''}`}
      title={text}
      role="alert"
      data-testid="calendar-due"
    >
      ⚠ {t('admin.cal.dueShort', { year: due.year ?? '' })}
    </Link>
  );
}
