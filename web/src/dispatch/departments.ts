import type { MessageKey } from '@gcc/shared/messages';

/** Handling departments (专业部门) a dispatcher can call in with a whistle (吹哨); names are in the message tables. */
export const DEPARTMENTS = ['urban-management', 'municipal', 'environment', 'police', 'housing', 'emergency', 'transport', 'market'] as const;
export type Department = (typeof DEPARTMENTS)[number];

export const departmentKey = (d: string): MessageKey => (DEPARTMENTS.includes(d as Department) ? (`department.${d as Department}` as const) : 'wall.others');
