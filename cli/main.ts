/**
 * The main job (`npm start`). Until the grant model lands this runs the explorer over its fixture
 * models and prints their reports.
 */
import { check, formatReport } from '../explorer/index.js';
import { abbaLocks, binaryClock, counters } from '../explorer/fixtures.js';

const runs = [
  { title: 'binary clock', run: () => formatReport(check(binaryClock())) },
  { title: 'counters(4, 4)', run: () => formatReport(check(counters(4, 4)), { formatAction: (i: number) => `inc(${i})` }) },
  { title: 'two locks taken in opposite orders', run: () => formatReport(check(abbaLocks())) },
];
for (const r of runs) {
  process.stdout.write(`== ${r.title}\n${r.run()}\n`);
}
