// Case categories: 大类/小类 of components (部件) and events (事件) after GB/T 30428, plus the
// grassroots-governance classes grid workers report (矛盾纠纷, 安全隐患, 民生服务). Each subclass
// carries its handling limit in working hours and the share of cases it takes in a typical
// city (used by the demo generator; the weights of one kind sum to about 1).

export type CategoryKind = 'component' | 'event';
/** Urgency grading in use in command centers: red 2 h, yellow 24 h, blue 72 h. */
export type Urgency = 'red' | 'yellow' | 'blue';

export interface MajorCategory {
  code: string;
  kind: CategoryKind;
  zh: string;
  en: string;
}

export interface Category {
  /** Subclass code: 2-digit major code + 2-digit serial, prefixed by kind (B = 部件, S = 事件). */
  code: string;
  major: string;
  zh: string;
  en: string;
  urgency: Urgency;
  /** Handling limit in working hours, counted from dispatch (派遣). */
  limitWorkingHours: number;
  /** Relative frequency in the demo city's case mix. */
  weight: number;
}

export const MAJOR_CATEGORIES: readonly MajorCategory[] = [
  { code: 'B01', kind: 'component', zh: '公用设施类', en: 'Public utilities' },
  { code: 'B02', kind: 'component', zh: '道路交通类', en: 'Roads and traffic' },
  { code: 'B03', kind: 'component', zh: '市容环境类', en: 'Cityscape facilities' },
  { code: 'B04', kind: 'component', zh: '园林绿化类', en: 'Green spaces' },
  { code: 'S01', kind: 'event', zh: '市容环境类', en: 'City appearance' },
  { code: 'S02', kind: 'event', zh: '宣传广告类', en: 'Advertising' },
  { code: 'S03', kind: 'event', zh: '施工管理类', en: 'Construction' },
  { code: 'S04', kind: 'event', zh: '突发事件类', en: 'Emergencies' },
  { code: 'S05', kind: 'event', zh: '街面秩序类', en: 'Street order' },
  { code: 'S06', kind: 'event', zh: '矛盾纠纷类', en: 'Disputes' },
  { code: 'S07', kind: 'event', zh: '安全隐患类', en: 'Safety hazards' },
  { code: 'S08', kind: 'event', zh: '民生服务类', en: 'Public services' },
];

export const CATEGORIES: readonly Category[] = [
  { code: 'B0101', major: 'B01', zh: '井盖破损', en: 'Broken manhole cover', urgency: 'red', limitWorkingHours: 2, weight: 0.025 },
  { code: 'B0102', major: 'B01', zh: '路灯损坏', en: 'Street light out', urgency: 'blue', limitWorkingHours: 16, weight: 0.03 },
  { code: 'B0103', major: 'B01', zh: '消防栓损坏', en: 'Damaged hydrant', urgency: 'yellow', limitWorkingHours: 8, weight: 0.008 },
  { code: 'B0201', major: 'B02', zh: '交通护栏损坏', en: 'Damaged guardrail', urgency: 'yellow', limitWorkingHours: 8, weight: 0.015 },
  { code: 'B0202', major: 'B02', zh: '道路破损', en: 'Damaged road surface', urgency: 'yellow', limitWorkingHours: 16, weight: 0.03 },
  { code: 'B0301', major: 'B03', zh: '垃圾桶破损', en: 'Broken litter bin', urgency: 'blue', limitWorkingHours: 16, weight: 0.02 },
  { code: 'B0401', major: 'B04', zh: '绿地养护', en: 'Green-space care', urgency: 'blue', limitWorkingHours: 40, weight: 0.02 },
  { code: 'S0101', major: 'S01', zh: '暴露垃圾', en: 'Exposed rubbish', urgency: 'yellow', limitWorkingHours: 4, weight: 0.16 },
  { code: 'S0102', major: 'S01', zh: '道路保洁', en: 'Street cleaning', urgency: 'yellow', limitWorkingHours: 2, weight: 0.08 },
  { code: 'S0103', major: 'S01', zh: '渣土撒漏', en: 'Muck spillage', urgency: 'yellow', limitWorkingHours: 16, weight: 0.02 },
  { code: 'S0201', major: 'S02', zh: '非法小广告', en: 'Illegal flyers', urgency: 'blue', limitWorkingHours: 8, weight: 0.05 },
  { code: 'S0301', major: 'S03', zh: '私搭乱建', en: 'Illegal structure', urgency: 'yellow', limitWorkingHours: 4, weight: 0.03 },
  { code: 'S0302', major: 'S03', zh: '施工扰民', en: 'Construction noise', urgency: 'yellow', limitWorkingHours: 8, weight: 0.025 },
  { code: 'S0401', major: 'S04', zh: '道路积水', en: 'Waterlogged road', urgency: 'red', limitWorkingHours: 2, weight: 0.012 },
  { code: 'S0402', major: 'S04', zh: '燃气泄漏', en: 'Gas leak', urgency: 'red', limitWorkingHours: 1, weight: 0.003 },
  { code: 'S0501', major: 'S05', zh: '占道经营', en: 'Street vending', urgency: 'yellow', limitWorkingHours: 4, weight: 0.11 },
  { code: 'S0502', major: 'S05', zh: '乱停车辆', en: 'Illegal parking', urgency: 'blue', limitWorkingHours: 4, weight: 0.09 },
  { code: 'S0503', major: 'S05', zh: '店外经营', en: 'Trading outside shop', urgency: 'blue', limitWorkingHours: 8, weight: 0.05 },
  { code: 'S0601', major: 'S06', zh: '邻里纠纷', en: 'Neighbour dispute', urgency: 'yellow', limitWorkingHours: 24, weight: 0.05 },
  { code: 'S0602', major: 'S06', zh: '劳资纠纷', en: 'Wage dispute', urgency: 'yellow', limitWorkingHours: 40, weight: 0.015 },
  { code: 'S0701', major: 'S07', zh: '消防通道堵塞', en: 'Blocked fire lane', urgency: 'red', limitWorkingHours: 2, weight: 0.03 },
  { code: 'S0702', major: 'S07', zh: '电动车违规充电', en: 'Unsafe e-bike charging', urgency: 'red', limitWorkingHours: 2, weight: 0.025 },
  { code: 'S0801', major: 'S08', zh: '噪音扰民', en: 'Noise nuisance', urgency: 'blue', limitWorkingHours: 8, weight: 0.04 },
  { code: 'S0802', major: 'S08', zh: '特殊人群关爱', en: 'Care for vulnerable residents', urgency: 'blue', limitWorkingHours: 40, weight: 0.02 },
];

const byCode = new Map(CATEGORIES.map((c) => [c.code, c]));
const majorByCode = new Map(MAJOR_CATEGORIES.map((c) => [c.code, c]));

/** Looks a subclass up by code; undefined when unknown. */
export function findCategory(code: string): Category | undefined {
  return byCode.get(code);
}

/** Looks a major class up by code; undefined when unknown. */
export function findMajorCategory(code: string): MajorCategory | undefined {
  return majorByCode.get(code);
}

export const CATEGORY_CODES = CATEGORIES.map((c) => c.code) as [string, ...string[]];
