// Names and phone numbers for grid staff. Surnames follow their frequency in China (王, 李, 张,
// 刘, 陈 take about a third of the population); given names are one or two characters.

import type { Rng } from '../random.ts';
import { weightedSampler } from '../random.ts';

// [surname, share in ‰] — the national ranking, rounded; the tail is spread evenly.
const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 72],
  ['李', 71],
  ['张', 68],
  ['刘', 54],
  ['陈', 45],
  ['杨', 31],
  ['黄', 23],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 17],
  ['孙', 15],
  ['马', 15],
  ['朱', 13],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['林', 11],
  ['罗', 11],
  ['高', 11],
  ['郑', 10],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['冯', 7],
  ['邓', 7],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5],
  ['董', 5],
  ['袁', 5],
  ['潘', 5],
  ['于', 5],
  ['蒋', 5],
  ['蔡', 5],
  ['余', 5],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['苏', 4],
  ['魏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['沈', 4],
  ['姚', 4],
  ['卢', 4],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 3],
  ['韦', 3],
  ['付', 3],
  ['方', 3],
  ['白', 3],
  ['邹', 3],
  ['孟', 3],
  ['熊', 3],
  ['秦', 3],
  ['邱', 3],
  ['江', 3],
  ['尹', 3],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 2],
  ['黎', 2],
  ['贺', 2],
  ['顾', 2],
  ['毛', 2],
  ['郝', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['钱', 2],
  ['严', 2],
  ['覃', 2],
  ['武', 2],
  ['戴', 2],
  ['莫', 2],
  ['孔', 2],
  ['向', 2],
  ['汤', 2],
  ['祝', 1],
  ['詹', 1],
  ['童', 1],
  ['占', 1],
  ['巫', 1],
  ['柴', 1],
  ['傅', 1],
  ['应', 1],
  ['翁', 1],
  ['楼', 1],
];

const MALE =
  '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国志海峰亮成文东兵新春生忠华荣力永胜德海';
const FEMALE =
  '芳娜敏静丽艳娟霞秀英华慧巧美娇兰燕玲红梅琳素云莲真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璐婷琪颖露瑶怡';

const drawSurname = weightedSampler(SURNAMES.map((s) => s[1]));

/** A plausible Chinese personal name: surname + one or two given-name characters. */
export function personName(rng: Rng): string {
  const surname = SURNAMES[drawSurname(rng)]![0];
  const pool = rng.chance(0.5) ? MALE : FEMALE;
  const a = pool[rng.int(0, pool.length - 1)]!;
  if (rng.chance(0.3)) return surname + a;
  let b = pool[rng.int(0, pool.length - 1)]!;
  if (b === a && rng.chance(0.7)) b = pool[rng.int(0, pool.length - 1)]!;
  return surname + a + b;
}

// Mobile prefixes in use (China Mobile, Unicom, Telecom): 13x, 15x, 17x, 18x, 19x mostly.
const SECOND_DIGIT = weightedSampler([0, 0, 0, 30, 3, 25, 2, 10, 28, 6]);

/** A mobile number 1[3-9]xxxxxxxxx, unique within `taken` (which it updates). */
export function phoneNumber(rng: Rng, taken: Set<string>): string {
  for (;;) {
    let s = `1${SECOND_DIGIT(rng)}`;
    for (let i = 0; i < 9; i++) s += String(rng.int(0, 9));
    if (!taken.has(s)) {
      taken.add(s);
      return s;
    }
  }
}
