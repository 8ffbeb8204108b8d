import {
  calendarHasYear,
  DEFAULT_CALENDAR,
  ESTIMATED_HOLIDAY_YEARS,
  UnitIdSchema,
  yearDueAt,
} from '@gcc/shared';
import { z } from 'zod';
import { editDeadlineTerms, procedureFor, router, userOf } from '../trpc.ts';

// Work calendars (工作日历) and the units that use them: deadlines count working time on the
// calendar of the case's jurisdiction (a unit without one inherits its parent's; the city's
// default is the built-in DEFAULT_CALENDAR). Every write is audited by the API middleware.

const minute = z.number().int().min(0).max(1440);
/** Dates are taken as any short string and checked by `validateWorkCalendar`, so a bad one is refused in the user's words (`bad-date`). */
const dates = z.array(z.string().trim().max(20)).max(1000);
const CalendarInputSchema = z.object({
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().max(80).default(''),
  calendar: z.object({
    utcOffsetMinutes: z.number().int().min(-720).max(840).default(DEFAULT_CALENDAR.utcOffsetMinutes),
    workWeekdays: z.array(z.number().int().min(0).max(6)).max(7),
    periods: z
      .array(z.tuple([minute, minute]))
      .min(1)
      .max(12),
    holidays: dates,
    workdays: dates,
  }),
});
const calendarId = z.string().trim().min(1).max(64);

export const calendarsRouter = router({
  /** The calendars, the built-in default, and the units of the admin's jurisdiction with the calendar each has of its own. */
  list: procedureFor('admin').query(({ ctx }) => {
    const admin = userOf(ctx);
    const d = ctx.services.deadlines;
    const boundary = ctx.services.boundary();
    const assignments = d.assignments();
    const units = boundary.units.filter((u) => boundary.unitWithin(u.id, admin.unitId));
    const usedBy = new Map<string, number>();
    for (const id of assignments.values()) usedBy.set(id, (usedBy.get(id) ?? 0) + 1);
    return {
      builtIn: DEFAULT_CALENDAR,
      calendars: d.calendars().map((c) => ({ ...c, usedBy: usedBy.get(c.id) ?? 0 })),
      units: units.map((u) => ({
        id: u.id,
        level: u.level,
        code: u.code,
        name: u.name,
        parentId: u.parentId,
        calendarId: assignments.get(u.id) ?? null,
        effectiveId: d.calendarForUnit(u.id).id,
      })),
    };
  }),

  /**
   * From December 1, the calendars in force in the administrator's jurisdiction that hold no
   * holiday of the next year (the desk warns: deadlines would count the new year's holidays as
   * working days); `estimated` when the built-in calendar's holidays of that year are estimated.
   */
  due: procedureFor('admin').query(({ ctx }) => {
    const admin = userOf(ctx);
    const d = ctx.services.deadlines;
    const boundary = ctx.services.boundary();
    const year = yearDueAt(Date.now(), DEFAULT_CALENDAR.utcOffsetMinutes);
    if (year === null) return { year, missing: [], estimated: false };
    const inForce = new Map<string, { id: string; units: number }>();
    for (const u of boundary.units) {
      if (!boundary.unitWithin(u.id, admin.unitId)) continue;
      const cal = d.calendarForUnit(u.id);
      if (calendarHasYear(cal, year)) continue;
      const seen = inForce.get(cal.id) ?? { id: cal.id, units: 0 };
      seen.units++;
      inForce.set(cal.id, seen);
    }
    const names = new Map(d.calendars().map((c) => [c.id, c.nameZh]));
    return {
      year,
      missing: [...inForce.values()].map((c) => ({ ...c, name: names.get(c.id) ?? null })),
      estimated: ESTIMATED_HOLIDAY_YEARS.includes(year),
    };
  }),

  create: procedureFor('admin')
    .input(CalendarInputSchema)
    .mutation(({ ctx, input }) =>
      editDeadlineTerms(ctx, (d, editor) =>
        d.createCalendar({ ...input, nameEn: input.nameEn || input.nameZh }, editor),
      ),
    ),

  update: procedureFor('admin')
    .input(CalendarInputSchema.extend({ id: calendarId }))
    .mutation(({ ctx, input: { id, ...body } }) =>
      editDeadlineTerms(ctx, (d, editor) =>
        d.updateCalendar(id, { ...body, nameEn: body.nameEn || body.nameZh }, editor),
      ),
    ),

  /** Deletes a calendar no unit uses (`calendar-in-use` otherwise); cases that recorded it keep counting on it. */
  delete: procedureFor('admin')
    .input(z.object({ id: calendarId }))
    .mutation(({ ctx, input }) =>
      editDeadlineTerms(ctx, async (d, editor) => {
        await d.deleteCalendar(input.id, editor);
        return { deleted: input.id };
      }),
    ),

  /** Gives a unit of the admin's jurisdiction its own calendar, or (`calendarId: null`) lets it inherit its parent's. */
  assign: procedureFor('admin')
    .input(z.object({ unitId: UnitIdSchema, calendarId: calendarId.nullable() }))
    .mutation(({ ctx, input }) =>
      editDeadlineTerms(ctx, async (d, editor) => {
        await d.assign(input.unitId, input.calendarId, editor);
        return {
          unitId: input.unitId,
          calendarId: input.calendarId,
          effectiveId: d.calendarForUnit(input.unitId).id,
        };
      }),
    ),
});
