import { motionSource } from '../host/src/sim/motions.js';
import { createWalker, MOUNTS } from '../host/src/sim/walker.js';
const o = new Float64Array(6);
createWalker([{ kind: 'stand', duration_s: 5 }], { seed: 1, mount: MOUNTS.laces, noise: false }).source(1000, 52, o); console.log('walker', Array.from(o).map(v=>v.toFixed(3)));
motionSource('sit-stand', 1).bind(null)(100, 52, o); console.log('motion', Array.from(o).map(v=>v.toFixed(3)));
motionSource('tap-seated', 1)(9990*1000/1000*1, 52, o); console.log('tap', Array.from(o).map(v=>v.toFixed(3)));
