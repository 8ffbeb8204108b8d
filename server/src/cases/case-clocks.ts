import {
  caseClock,
  type CaseClock,
  type CaseEvent,
  type GridId,
  type StepLimits,
  type WorkCalendar,
} from '@gcc/shared';
import { calendarOfCase, FALLBACK_LIMITS, type CaseTermsSource } from '../deadlines/deadline-directory.ts';

// The deadline clock of a case: on the terms recorded at its report (older timelines: the table
// and its grid's calendar as they are now).

export class CaseClocks {
  constructor(
    /** The category table and the jurisdictions' work calendars (the admin-edited directory). */
    readonly terms: CaseTermsSource,
  ) {}

  /**
   * The clock of a timeline: on the limits and calendar recorded at its report; a timeline from
   * before they were recorded runs on the category table and its grid's calendar as they are now
   * (red urgency around the clock).
   */
  clockOf(c: { category: string; gridId: GridId }, timeline: readonly CaseEvent[]): CaseClock {
    return caseClock(timeline, this.limitsOf(c.category), this.calendarOf(c, timeline));
  }

  /** The calendar a case's clock runs on (see `clockOf`). */
  calendarOf(c: { category: string; gridId: GridId }, timeline: readonly CaseEvent[]): WorkCalendar {
    return calendarOfCase(this.terms, c.category, c.gridId, timeline);
  }

  /** The category table's step limits now (for timelines without recorded terms). */
  limitsOf(category: string): StepLimits {
    return this.terms.categoryOf(category)?.limits ?? FALLBACK_LIMITS;
  }
}
