import { addressRouter } from './routers/address.router.ts';
import { adminRouter } from './routers/admin.router.ts';
import { alertsRouter } from './routers/alerts.router.ts';
import { authRouter } from './routers/auth.router.ts';
import { boundariesRouter } from './routers/boundaries.router.ts';
import { calendarsRouter } from './routers/calendars.router.ts';
import { categoriesRouter } from './routers/categories.router.ts';
import { casesRouter } from './routers/cases.router.ts';
import { cityRouter } from './routers/city.router.ts';
import { departmentsRouter } from './routers/departments.router.ts';
import { dispatchRouter } from './routers/dispatch.router.ts';
import { dutyRouter } from './routers/duty.router.ts';
import { eventsRouter } from './routers/events.router.ts';
import { gridsRouter } from './routers/grids.router.ts';
import { indicatorsRouter } from './routers/indicators.router.ts';
import { planningRouter } from './routers/planning.router.ts';
import { plansRouter } from './routers/plans.router.ts';
import { workersRouter } from './routers/workers.router.ts';
import { router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  admin: adminRouter,
  city: cityRouter,
  grids: gridsRouter,
  workers: workersRouter,
  cases: casesRouter,
  address: addressRouter,
  dispatch: dispatchRouter,
  duty: dutyRouter,
  departments: departmentsRouter,
  events: eventsRouter,
  alerts: alertsRouter,
  indicators: indicatorsRouter,
  categories: categoriesRouter,
  calendars: calendarsRouter,
  plans: plansRouter,
  planning: planningRouter,
  boundaries: boundariesRouter,
});

export type AppRouter = typeof appRouter;
