import type { CaseTier } from '../domain/schemas.ts';

// Case categories: 大类/小类 of components (部件) and events (事件) after GB/T 30428, plus the
// grassroots-governance classes grid workers report (矛盾纠纷, 安全隐患, 民生服务). Each subclass
// carries its default 四事分流 tier, its urgency, per-step limits in working hours (a local
// table as DOMAIN.md quotes it: exposed rubbish 4 h, street cleaning 2 h, illegal structure
// stopped in 4 h, muck 2 working days, green-space care 5) and the share of cases it takes in a
// typical city (used by the demo generator; the weights sum to about 1). Admins override entries
// with `CategoryOverrideSchema` (category-override.schema.ts).

export type CategoryKind = 'component' | 'event';
/** Urgency grading in use in command centers: red 2 h, yellow 24 h, blue 72 h. */
export type Urgency = 'red' | 'yellow' | 'blue';
export const URGENCIES = ['red', 'yellow', 'blue'] as const;

export interface MajorCategory {
  code: string;
  kind: CategoryKind;
  zh: string;
  en: string;
}

/** Per-step time limits in working hours (red-urgency cases count them around the clock, see `case-deadline.ts`). */
export interface StepLimits {
  /** 上报 → 立案/不予立案 */
  register: number;
  /** 立案 → 派遣 */
  dispatch: number;
  /** 派遣 → 反馈: the handling limit; the clock starts at dispatch (and again at rework). */
  handle: number;
  /** 反馈 → 核查 */
  verify: number;
  /** 核查 → 结案 */
  close: number;
}

export interface Category {
  /** Subclass code: 2-digit major code + 2-digit serial, prefixed by kind (B = 部件, S = 事件). */
  code: string;
  major: string;
  zh: string;
  en: string;
  urgency: Urgency;
  /** 四事分流 tier a case of this class is registered with unless intake decides otherwise. */
  tier: CaseTier;
  /** Handling limit in working hours, counted from dispatch (派遣); the same as `limits.handle`. */
  limitWorkingHours: number;
  limits: StepLimits;
  /** Relative frequency in the demo city's case mix. */
  weight: number;
}

/** Handling-limit ceiling of each urgency in hours (red 2 h, yellow 24 h, blue 72 h). */
export const URGENCY_HOURS: Readonly<Record<Urgency, number>> = { red: 2, yellow: 24, blue: 72 };

/** Intake, dispatch, verification and closing limits by urgency, in working hours. */
const STEP_LIMITS: Readonly<Record<Urgency, Omit<StepLimits, 'handle'>>> = {
  red: { register: 0.25, dispatch: 0.25, verify: 0.5, close: 0.5 },
  yellow: { register: 0.5, dispatch: 0.5, verify: 2, close: 1 },
  blue: { register: 1, dispatch: 1, verify: 4, close: 2 },
};

function sub(
  code: string,
  zh: string,
  en: string,
  urgency: Urgency,
  handle: number,
  tier: CaseTier,
  weight: number,
): Category {
  return {
    code,
    major: code.slice(0, 3),
    zh,
    en,
    urgency,
    tier,
    limitWorkingHours: handle,
    limits: { ...STEP_LIMITS[urgency], handle },
    weight,
  };
}

export const MAJOR_CATEGORIES: readonly MajorCategory[] = [
  { code: 'B01', kind: 'component', zh: '公用设施类', en: 'Public utilities' },
  { code: 'B02', kind: 'component', zh: '道路交通类', en: 'Roads and traffic' },
  { code: 'B03', kind: 'component', zh: '市容环境类', en: 'Cityscape facilities' },
  { code: 'B04', kind: 'component', zh: '园林绿化类', en: 'Green spaces' },
  { code: 'B05', kind: 'component', zh: '其他设施类', en: 'Other facilities' },
  { code: 'S01', kind: 'event', zh: '市容环境类', en: 'City appearance' },
  { code: 'S02', kind: 'event', zh: '宣传广告类', en: 'Advertising' },
  { code: 'S03', kind: 'event', zh: '施工管理类', en: 'Construction' },
  { code: 'S04', kind: 'event', zh: '突发事件类', en: 'Emergencies' },
  { code: 'S05', kind: 'event', zh: '街面秩序类', en: 'Street order' },
  { code: 'S06', kind: 'event', zh: '矛盾纠纷类', en: 'Disputes' },
  { code: 'S07', kind: 'event', zh: '安全隐患类', en: 'Safety hazards' },
  { code: 'S08', kind: 'event', zh: '民生服务类', en: 'Public services' },
  { code: 'S09', kind: 'event', zh: '其他事件类', en: 'Other events' },
];

export const CATEGORIES: readonly Category[] = [
  sub('B0101', '井盖破损', 'Broken manhole cover', 'red', 2, 'small', 0.025),
  sub('B0102', '路灯损坏', 'Street light out', 'blue', 16, 'small', 0.03),
  sub('B0103', '消防栓损坏', 'Damaged hydrant', 'yellow', 8, 'large', 0.008),
  sub('B0104', '电力井盖缺失', 'Missing power-duct cover', 'red', 2, 'hard', 0.004),
  sub('B0105', '通信交接箱破损', 'Damaged telecom cabinet', 'blue', 16, 'small', 0.004),
  sub('B0106', '公厕设施损坏', 'Public toilet fixtures broken', 'yellow', 8, 'small', 0.005),
  sub('B0201', '交通护栏损坏', 'Damaged guardrail', 'yellow', 8, 'small', 0.015),
  sub('B0202', '道路破损', 'Damaged road surface', 'yellow', 16, 'large', 0.03),
  sub('B0203', '交通信号灯故障', 'Traffic light fault', 'red', 2, 'hard', 0.004),
  sub('B0204', '道路指示牌损坏', 'Damaged road sign', 'blue', 16, 'small', 0.005),
  sub('B0205', '停车泊位标线缺损', 'Worn parking-bay markings', 'blue', 24, 'small', 0.003),
  sub('B0206', '公交站亭损坏', 'Damaged bus shelter', 'blue', 16, 'small', 0.003),
  sub('B0301', '垃圾桶破损', 'Broken litter bin', 'blue', 16, 'small', 0.02),
  sub('B0302', '公共座椅损坏', 'Broken public bench', 'blue', 24, 'small', 0.003),
  sub('B0303', '报刊亭破损', 'Damaged news kiosk', 'blue', 24, 'small', 0.002),
  sub('B0401', '绿地养护', 'Green-space care', 'blue', 40, 'small', 0.02),
  sub('B0402', '行道树倒伏', 'Fallen street tree', 'red', 2, 'large', 0.004),
  sub('B0403', '绿化护栏损坏', 'Damaged planter fence', 'blue', 24, 'small', 0.003),
  sub('B0501', '其他部件问题', 'Other component problem', 'blue', 24, 'small', 0.004),
  sub('S0101', '暴露垃圾', 'Exposed rubbish', 'yellow', 4, 'micro', 0.16),
  sub('S0102', '道路保洁', 'Street cleaning', 'yellow', 2, 'micro', 0.08),
  sub('S0103', '渣土撒漏', 'Muck spillage', 'yellow', 16, 'large', 0.02),
  sub('S0104', '焚烧垃圾树叶', 'Burning rubbish or leaves', 'yellow', 2, 'small', 0.005),
  sub('S0105', '乱涂乱画', 'Graffiti', 'blue', 16, 'micro', 0.008),
  sub('S0106', '乱堆物料', 'Materials piled in public space', 'yellow', 8, 'small', 0.01),
  sub('S0201', '非法小广告', 'Illegal flyers', 'blue', 8, 'micro', 0.05),
  sub('S0202', '违规户外广告', 'Unauthorised outdoor advert', 'blue', 24, 'large', 0.006),
  sub('S0203', '违规悬挂条幅', 'Unauthorised banner', 'blue', 8, 'small', 0.006),
  sub('S0301', '私搭乱建', 'Illegal structure', 'yellow', 4, 'large', 0.03),
  sub('S0302', '施工扰民', 'Construction noise', 'yellow', 8, 'large', 0.025),
  sub('S0303', '施工占道', 'Construction blocking the road', 'yellow', 8, 'large', 0.006),
  sub('S0304', '工地扬尘', 'Construction-site dust', 'yellow', 4, 'large', 0.008),
  sub('S0401', '道路积水', 'Waterlogged road', 'red', 2, 'large', 0.012),
  sub('S0402', '燃气泄漏', 'Gas leak', 'red', 1, 'hard', 0.003),
  sub('S0403', '路面塌陷', 'Road collapse', 'red', 2, 'hard', 0.002),
  sub('S0404', '火情', 'Fire', 'red', 1, 'hard', 0.002),
  sub('S0501', '占道经营', 'Street vending', 'yellow', 4, 'small', 0.11),
  sub('S0502', '乱停车辆', 'Illegal parking', 'blue', 4, 'small', 0.09),
  sub('S0503', '店外经营', 'Trading outside shop', 'blue', 8, 'micro', 0.05),
  sub('S0504', '非法营运', 'Unlicensed taxi service', 'blue', 24, 'large', 0.004),
  sub('S0505', '露天烧烤', 'Open-air barbecue', 'yellow', 4, 'small', 0.012),
  sub('S0506', '沿街晾挂', 'Laundry hung along the street', 'blue', 8, 'micro', 0.008),
  sub('S0601', '邻里纠纷', 'Neighbour dispute', 'yellow', 24, 'small', 0.05),
  sub('S0602', '劳资纠纷', 'Wage dispute', 'blue', 40, 'hard', 0.015),
  sub('S0603', '物业纠纷', 'Property-management dispute', 'blue', 40, 'small', 0.01),
  sub('S0701', '消防通道堵塞', 'Blocked fire lane', 'red', 2, 'small', 0.03),
  sub('S0702', '电动车违规充电', 'Unsafe e-bike charging', 'red', 2, 'micro', 0.025),
  sub('S0703', '危房隐患', 'Dangerous building', 'red', 2, 'hard', 0.003),
  sub('S0801', '噪音扰民', 'Noise nuisance', 'blue', 8, 'small', 0.04),
  sub('S0802', '特殊人群关爱', 'Care for vulnerable residents', 'blue', 40, 'small', 0.02),
  sub('S0803', '停水报修', 'Water outage', 'yellow', 8, 'large', 0.006),
  sub('S0901', '其他事件', 'Other matter', 'blue', 24, 'small', 0.006),
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
