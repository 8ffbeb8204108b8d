import { describe, expect, it } from 'vitest';
import { appRouter } from './router.ts';
import type { Meta } from './trpc.ts';

// Every procedure declares its roles; this table is the security review of the API surface.
const EXPECTED: Record<string, Meta['roles']> = {
  'auth.login': 'public',
  'auth.kiosk': 'public',
  'auth.me': 'public',
  'auth.logout': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'admin.issueKioskToken': ['admin'],
  'admin.issueDeviceToken': ['admin'],
  'admin.issueDeviceTokens': ['admin'],
  'admin.devices': ['admin'],
  'admin.revokeToken': ['admin'],
  // The administration desk (系统管理): accounts, credentials, the audit log — administrators only,
  // each inside its jurisdiction (属地, checked in the query).
  'admin.units': ['admin'],
  'admin.users': ['admin'],
  'admin.createUser': ['admin'],
  'admin.updateUser': ['admin'],
  'admin.setUserDisabled': ['admin'],
  'admin.resetPassword': ['admin'],
  'admin.workers': ['admin'],
  'admin.issueUnitDeviceTokens': ['admin'],
  'admin.kioskTokens': ['admin'],
  'admin.auditLog': ['admin'],
  'admin.auditEntry': ['admin'],
  'planning.context': ['admin', 'planner'],
  // Department desks read the map base and only the cases their department was sent or called to.
  'city.info': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead', 'department'],
  'city.history': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'grids.layer': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'workers.snapshot': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'workers.away': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'workers.trajectory': ['admin', 'dispatcher', 'planner'],
  'alerts.open': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'cases.list': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead', 'department'],
  'cases.get': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead', 'department'],
  'cases.report': ['admin', 'dispatcher', 'inspector', 'intake', 'device'],
  // 地址搜索 at intake: the posts that take reports at a desk.
  'address.search': ['admin', 'dispatcher', 'inspector', 'intake'],
  'address.nearest': ['admin', 'dispatcher', 'inspector', 'intake'],
  // Which step each post may run is the engine's rule table (shared/src/case/case-rules.ts).
  'cases.command': ['admin', 'dispatcher', 'inspector', 'intake', 'shift-lead', 'department'],
  'cases.merge': ['dispatcher'],
  'cases.queueCounts': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'cases.duplicates': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'cases.allowed': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'cases.today': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'dispatch.recommend': ['admin', 'dispatcher'],
  'dispatch.assignBulk': ['dispatcher'],
  // 排班: administrators set a grid's weekly roster; the dispatching desks read it.
  'duty.roster': ['admin', 'dispatcher'],
  'duty.setRoster': ['admin'],
  // Assessors read indicators; the assessed (devices, departments) do not.
  'indicators.summary': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'indicators.trend': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'departments.list': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  // The category table and work calendars (deadline terms): administrators only; writes check 属地 in the directory.
  'categories.effective': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'categories.table': ['admin'],
  'categories.setOverride': ['admin'],
  'categories.clearOverride': ['admin'],
  'calendars.list': ['admin'],
  'calendars.due': ['admin'],
  'calendars.create': ['admin'],
  'calendars.update': ['admin'],
  'calendars.delete': ['admin'],
  'calendars.assign': ['admin'],
  'events.head': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'events.stream': ['admin', 'dispatcher', 'planner', 'wall', 'inspector', 'intake', 'shift-lead'],
  'plans.baseline': ['admin', 'planner'],
  // Planners read every plan; only a plan's author (or an administrator) writes it (the store checks).
  'plans.list': ['admin', 'planner'],
  'plans.get': ['admin', 'planner'],
  'plans.create': ['admin', 'planner'],
  'plans.save': ['admin', 'planner'],
  'plans.rename': ['admin', 'planner'],
  'plans.discard': ['admin', 'planner'],
  'plans.publish': ['admin', 'planner'],
  'boundaries.import': ['admin', 'planner'],
  'boundaries.export': ['admin', 'planner'],
  // Every desk shows the version in force by name and may look at what a publish changed.
  'boundaries.list': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
  'boundaries.report': [
    'admin',
    'dispatcher',
    'planner',
    'wall',
    'inspector',
    'intake',
    'shift-lead',
    'department',
  ],
};

describe('API roles', () => {
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  it('every procedure declares its roles, and they are the reviewed ones', () => {
    const actual = Object.fromEntries(
      Object.entries(procedures).map(([path, p]) => [path, p._def.meta?.roles ?? 'UNDECLARED']),
    );
    expect(actual).toEqual(EXPECTED);
  });
  it('only login-type procedures are public', () => {
    const publicOnes = Object.entries(procedures)
      .filter(([, p]) => p._def.meta?.roles === 'public')
      .map(([k]) => k)
      .sort();
    expect(publicOnes).toEqual(['auth.kiosk', 'auth.login', 'auth.me']);
  });
  it('the wall role can change nothing but its own session', () => {
    const wallMutations = Object.entries(procedures)
      .filter(([, p]) => (p as unknown as { _def: { type: string } })._def.type === 'mutation')
      .filter(
        ([, p]) => Array.isArray(p._def.meta?.roles) && (p._def.meta!.roles as string[]).includes('wall'),
      )
      .map(([k]) => k);
    expect(wallMutations).toEqual(['auth.logout']);
  });
});
