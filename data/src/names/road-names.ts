// Road names in the local style: urban streets from a stock of two-character words (府山路,
// 新安大道, 荷花街…), county and township roads named after the places they join (衢常公路,
// 航石线), and the national and provincial roads that cross the city (320国道).

import type { Rng } from '../random.ts';

// Names seen on Quzhou's map plus common Chinese street words; order is irrelevant (shuffled).
const PREFIXES = [
  '府山',
  '新安',
  '衢江',
  '荷花',
  '花园',
  '白云',
  '双港',
  '信安',
  '柯城',
  '三衢',
  '烂柯',
  '九华',
  '礼贤',
  '钟楼',
  '县学',
  '天宁',
  '东方',
  '西安',
  '南湖',
  '北门',
  '通荷',
  '世纪',
  '文昌',
  '百汇',
  '盈川',
  '书院',
  '紫荆',
  '丹桂',
  '银桂',
  '金桂',
  '迎宾',
  '振兴',
  '锦绣',
  '凯旋',
  '学院',
  '劳动',
  '新桥',
  '上街',
  '坊门',
  '蛟池',
  '水亭',
  '天王',
  '美食',
  '滨江',
  '江滨',
  '春江',
  '荷五',
  '亭川',
  '龙门',
  '仙霞',
  '月潭',
  '东港',
  '西区',
  '衢化',
  '巨化',
  '石梁',
  '航埠',
  '沟溪',
  '九龙',
  '芹江',
  '兴华',
  '朝晖',
  '朝阳',
  '松园',
  '清莲',
  '新荷',
  '斗潭',
  '迎和',
  '浮石',
  '樟潭',
  '柯山',
  '峥嵘',
  '万田',
  '华墅',
  '太真',
  '云溪',
  '杜泽',
  '莲花',
  '廿里',
  '全旺',
  '大洲',
  '后溪',
  '湖南',
  '高家',
  '上方',
  '峡川',
  '灰坪',
  '双桥',
  '周家',
  '举村',
  '岭洋',
  '黄坛',
  '常青',
  '永丰',
  '人民',
  '解放',
  '中山',
  '建设',
  '和平',
  '育才',
  '园林',
  '体育',
  '文化',
  '光明',
  '幸福',
  '团结',
  '友谊',
  '长春',
  '长安',
  '平安',
  '康宁',
  '丰收',
  '红旗',
  '工业',
  '环城',
  '景湖',
  '秀水',
  '桃源',
  '梅园',
  '竹溪',
  '桂花',
  '兰亭',
  '杏林',
  '柳湖',
  '橘园',
  '茶山',
  '书香',
  '彩虹',
  '五环',
  '乐业',
  '杨浦',
  '城站',
  '坊门',
  '天湖',
  '东升',
  '南苑',
  '北苑',
  '西苑',
  '东苑',
  '翠竹',
  '金山',
  '银湖',
  '玉泉',
  '清风',
  '明月',
  '锦江',
  '凤凰',
  '白鹭',
  '鹿鸣',
  '孔府',
];
const DIRECTIONS = ['东', '西', '南', '北', '中'];
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** National and provincial roads through Quzhou, for the trunk roads that leave the city. */
const TRUNK_NAMES = ['320国道', '205国道', '351国道', '46省道', '222省道', '229省道', '527国道', '15省道'];

export interface RoadNamer {
  /** A city street: 'primary' gets 大道 or 路, 'street' sometimes 街 or 巷. */
  urban(cls: 'primary' | 'secondary' | 'street'): string;
  /** A road joining two places, named by their first characters: 航石线, 衢常公路. */
  between(a: string, b: string, kind: '公路' | '线'): string;
  /** A trunk road leaving the city. */
  trunk(): string;
}

export function createRoadNamer(rng: Rng): RoadNamer {
  const prefixes = rng.shuffle([...new Set(PREFIXES)]);
  const used = new Set<string>();
  let next = 0;
  let trunkNext = 0;
  const unique = (base: string, suffix: string): string => {
    if (!used.has(base + suffix)) {
      used.add(base + suffix);
      return base + suffix;
    }
    for (const d of [...DIRECTIONS, ...NUMERALS]) {
      const n = `${base}${d}${suffix}`;
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
    for (let i = 2; ; i++) {
      const n = `${base}${suffix}${i}号`;
      if (!used.has(n)) {
        used.add(n);
        return n;
      }
    }
  };
  return {
    urban: (cls) => {
      const p = prefixes[next % prefixes.length]!;
      const round = Math.floor(next / prefixes.length);
      next++;
      const base = round === 0 ? p : `${p}${DIRECTIONS[(round - 1) % DIRECTIONS.length]}`;
      const r = rng.next();
      const suffix =
        cls === 'primary'
          ? r < 0.6
            ? '大道'
            : '路'
          : cls === 'secondary'
            ? '路'
            : r < 0.55
              ? '路'
              : r < 0.9
                ? '街'
                : '巷';
      return unique(base, suffix);
    },
    between: (a, b, kind) => {
      // First characters of the two places (航埠 + 石梁 → 航石); a different pair when taken.
      const pairs = [
        [a[0], b[0]],
        [a[0], b[1]],
        [a[1], b[0]],
        [a[1], b[1]],
      ]
        .filter((p): p is [string, string] => p[0] !== undefined && p[1] !== undefined && p[0] !== p[1])
        .map((p) => p.join(''));
      const free = pairs.find((p) => !used.has(p + kind));
      return unique(free ?? pairs[0] ?? `${a.slice(0, 2) || b.slice(0, 2)}`, kind);
    },
    trunk: () => unique(TRUNK_NAMES[trunkNext++ % TRUNK_NAMES.length]!, ''),
  };
}
