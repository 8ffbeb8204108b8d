// The handling departments (专业部门) of the demo city: the bureaus a street calls in with a
// whistle (街乡吹哨、部门报到) and a dispatcher may send a case to. Codes are the stable ids the case
// timelines carry; names are the city's, in Chinese first.

/** A handling department as the generator makes it. */
export interface GeneratedDepartment {
  code: string;
  nameZh: string;
  nameEn: string;
}

export const CITY_DEPARTMENTS: readonly GeneratedDepartment[] = [
  {
    code: 'urban-management',
    nameZh: '市综合行政执法局',
    nameEn: 'Urban Management and Law Enforcement Bureau',
  },
  { code: 'municipal', nameZh: '市政公用事业服务中心', nameEn: 'Municipal Utilities Service Center' },
  { code: 'environment', nameZh: '市生态环境局', nameEn: 'Ecology and Environment Bureau' },
  { code: 'police', nameZh: '市公安局', nameEn: 'Public Security Bureau' },
  { code: 'housing', nameZh: '市住房和城乡建设局', nameEn: 'Housing and Urban-Rural Development Bureau' },
  { code: 'emergency', nameZh: '市应急管理局', nameEn: 'Emergency Management Bureau' },
  { code: 'transport', nameZh: '市交通运输局', nameEn: 'Transport Bureau' },
  { code: 'market', nameZh: '市市场监督管理局', nameEn: 'Market Regulation Bureau' },
  { code: 'water', nameZh: '市水利局', nameEn: 'Water Resources Bureau' },
  { code: 'civil-affairs', nameZh: '市民政局', nameEn: 'Civil Affairs Bureau' },
];
