/** HardSigmoid max(0, min(1, αx + β)) (α = 0.2, β = 0.5): table lookup, clamped outside its ramp. */
import { attrFloat } from './attrs.ts';
import { tableOp } from './table.ts';

export const hardSigmoid = tableOp('HardSigmoid', (node) => {
  const a = attrFloat(node, 'alpha', 0.2);
  const b = attrFloat(node, 'beta', 0.5);
  const ends = [-b / a, (1 - b) / a].sort((x, y) => x - y) as [number, number];
  return { fn: (x) => Math.max(0, Math.min(1, a * x + b)), outside: 'clamp', saturatesAt: () => [ends[0] - 1, ends[1] + 1] };
});
