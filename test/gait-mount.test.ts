/**
 * Mount learning (shared/gait/mount.ts): how the pod sits on the shoe, learnt
 * from a run of RUN_STRIDES strides from one pose travelling one way, refused
 * for mixed poses or directions, stale after RUN_STRIDES strides off the toe
 * axis, and kept or restored with set/get. Vectors are in the sensor frame
 * of an arbitrary mounting, so nothing here depends on the pod sitting flat.
 */
import { describe, expect, it } from 'vitest';
import { ALONG_DEG, CLEAR_STEP_M, FIT_DEG, MIN_TURN_DEG, RUN_STRIDES, WALK_GAP_MS } from '../shared/gait/constants.js';
import { DIR_BACKWARD, DIR_FORWARD } from '../shared/gait/contact.js';
import { CAL_DONE, CAL_GRAVITY, CAL_NONE, CAL_STALE, createMount, RUN_GROWING, RUN_LEARNT, RUN_NEW } from '../shared/gait/mount.js';
import { rotationZYX } from '../host/src/replay/run.js';
import { ALONG as ALONG_SLOT, newStride, SAMPLE_T, TRAVEL_M, TURN_DEG, UP as UP_SLOT } from '../shared/gait/stride.js';

type V = [number, number, number];
const RAD = Math.PI / 180;

/** A pod clipped on at yaw 35, pitch -50, roll 120 (sensor -> foot): up and toe in its own frame. */
const M = rotationZYX(35, -50, 120);
const UP: V = [M[6], M[7], M[8]]; // M^T z
const TOE: V = [M[0], M[1], M[2]]; // M^T x
const LEFT: V = cross(UP, TOE);

function cross(a: V, b: V): V {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
/** v turned by deg about the unit axis k (Rodrigues). */
function turn(v: V, k: V, deg: number): V {
  const c = Math.cos(deg * RAD), s = Math.sin(deg * RAD), d = dot(k, v), x = cross(k, v);
  return [0, 1, 2].map((i) => v[i] * c + x[i] * s + k[i] * d * (1 - c)) as V;
}
const f64 = (v: V) => Float64Array.from(v);
const angle = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.acos(Math.max(-1, Math.min(1, dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))))) / RAD;

/** A stance up tilted deg off the mount's (about the toe axis), and a travel direction deg off the toe (about up). */
const upTilted = (deg: number) => f64(turn(UP, TOE, deg));
const alongOff = (deg: number, up: V = UP, toe: V = TOE) => f64(turn(toe, up, deg));

/**
 * A mount and the stride record it reads (shared/gait/stride.ts), with the calls in terms of a stride's
 * figures: each call first puts them into the record as the engine does (its stance up, its travel
 * direction and length, whether it turned, when it is judged).
 */
function mountWithLog() {
  const states: [number, number][] = [];
  const R = newStride();
  const m = createMount(R, (s, t) => states.push([s, t]));
  const put = (along: ArrayLike<number>, travel_m: number, turning: boolean, t_ms: number) => {
    R.set(along, ALONG_SLOT);
    R[TRAVEL_M] = travel_m;
    R[TURN_DEG] = turning ? MIN_TURN_DEG + 45 : 0;
    R[SAMPLE_T] = t_ms;
  };
  const mount = {
    state: m.state,
    toe: m.toe,
    get: m.get,
    set: m.set,
    fits: (up: ArrayLike<number>) => {
      R.set(up, UP_SLOT);
      return m.fits();
    },
    direction: (along: ArrayLike<number>, travel_m: number, turning: boolean, t_ms: number) => {
      put(along, travel_m, turning, t_ms);
      return m.direction();
    },
    addToRun: (up: ArrayLike<number>, along: ArrayLike<number>, travel_m: number, turning: boolean, t_ms: number) => {
      R.set(up, UP_SLOT);
      put(along, travel_m, turning, t_ms);
      return m.addToRun();
    },
    sawStanding: (t_ms: number) => m.sawStanding(t_ms),
    /** the provisional direction, as the engine takes it for a stride that does not fit: along the toe axis toe() hands out */
    along: (along: ArrayLike<number>) => (dot(along, m.toe()!) >= 0 ? DIR_FORWARD : DIR_BACKWARD),
  };
  return { mount, states };
}

/** A mount learnt from RUN_STRIDES forward strides at 1.1 s. */
function learnt() {
  const m = mountWithLog();
  for (let i = 0; i < RUN_STRIDES; i++) m.mount.addToRun(f64(UP), alongOff(0), 1.3, false, 1000 + 1100 * i);
  expect(m.mount.state()).toBe(CAL_DONE);
  m.states.length = 0;
  return m;
}

describe('learning from a run of strides', () => {
  it(`RUN_STRIDES (${RUN_STRIDES}) forward strides from one pose teach up and the toe axis`, () => {
    const { mount, states } = mountWithLog();
    expect(mount.state()).toBe(CAL_NONE);
    expect(mount.toe()).toBeNull();
    // the strides wobble as real ones do: the stance up a few degrees either way, the travel toed out
    const answers: number[] = [];
    const ups = [upTilted(4), f64(turn(UP, LEFT, -3)), upTilted(-2)];
    const alongs = [alongOff(7), alongOff(-5), alongOff(10)];
    for (let i = 0; i < RUN_STRIDES; i++) answers.push(mount.addToRun(ups[i], alongs[i], 1.2, false, 2000 + 1100 * i));
    expect(answers).toEqual([RUN_NEW, ...Array(RUN_STRIDES - 2).fill(RUN_GROWING), RUN_LEARNT]);
    expect(mount.state()).toBe(CAL_DONE);
    expect(states).toEqual([[CAL_DONE, 2000 + 1100 * (RUN_STRIDES - 1)]]);
    const cal = mount.get()!;
    expect(angle(cal.up, UP)).toBeLessThan(5);
    expect(angle(cal.toe, TOE)).toBeLessThan(10);
    // unit vectors, the toe level (perpendicular to up)
    expect(dot(cal.up, cal.up)).toBeCloseTo(1, 9);
    expect(dot(cal.toe, cal.toe)).toBeCloseTo(1, 9);
    expect(dot(cal.up, cal.toe)).toBeCloseTo(0, 9);
    expect(angle(mount.toe()!, cal.toe)).toBeLessThan(1e-6);
  });

  it('one stride short of a run teaches nothing', () => {
    const { mount, states } = mountWithLog();
    for (let i = 0; i < RUN_STRIDES - 1; i++) expect(mount.addToRun(f64(UP), alongOff(0), 1.3, false, 1100 * i)).not.toBe(RUN_LEARNT);
    expect(mount.state()).toBe(CAL_NONE);
    expect(mount.get()).toBeNull();
    expect(states).toEqual([]);
  });

  it(`refuses mixed poses: strides whose stances differ by more than FIT_DEG (${FIT_DEG}) start a new run`, () => {
    const { mount } = mountWithLog();
    const other = upTilted(FIT_DEG + 10);
    const answers: number[] = [];
    // a shoe being handled lands every way: alternate poses never make a run
    for (let i = 0; i < 4 * RUN_STRIDES; i++) answers.push(mount.addToRun(i % 2 ? other : f64(UP), alongOff(0, UP), 1.3, false, 1100 * i));
    expect(answers.every((a) => a === RUN_NEW)).toBe(true);
    expect(mount.state()).toBe(CAL_NONE);
  });

  it('...but stances within FIT_DEG of the run are one pose', () => {
    const { mount } = mountWithLog();
    for (let i = 0; i < RUN_STRIDES; i++) mount.addToRun(upTilted(i % 2 ? FIT_DEG - 5 : 0), alongOff(0), 1.3, false, 1100 * i);
    expect(mount.state()).toBe(CAL_DONE);
  });

  it(`refuses mixed directions: a stride travelling more than ALONG_DEG (${ALONG_DEG}) off the run's way starts a new run`, () => {
    const { mount } = mountWithLog();
    const answers: number[] = [];
    for (let i = 0; i < 4 * RUN_STRIDES; i++) answers.push(mount.addToRun(f64(UP), alongOff(i % 2 ? 180 : 0), 1.3, false, 1100 * i));
    expect(answers.every((a) => a === RUN_NEW)).toBe(true);
    expect(mount.state()).toBe(CAL_NONE);
    const sideways = mountWithLog();
    for (let i = 0; i < 4 * RUN_STRIDES; i++) sideways.mount.addToRun(f64(UP), alongOff(i % 2 ? ALONG_DEG + 15 : 0), 1.3, false, 1100 * i);
    expect(sideways.mount.state()).toBe(CAL_NONE);
  });

  it('...but strides within ALONG_DEG of one another are one way', () => {
    const { mount } = mountWithLog();
    for (let i = 0; i < RUN_STRIDES; i++) mount.addToRun(f64(UP), alongOff(i % 2 ? ALONG_DEG - 10 : 0), 1.3, false, 1100 * i);
    expect(mount.state()).toBe(CAL_DONE);
  });

  it(`strides further apart than WALK_GAP_MS (${WALK_GAP_MS} ms) are no run`, () => {
    const { mount } = mountWithLog();
    const answers: number[] = [];
    for (let i = 0; i < 2 * RUN_STRIDES; i++) answers.push(mount.addToRun(f64(UP), alongOff(0), 1.3, false, i * (WALK_GAP_MS + 100)));
    expect(answers.every((a) => a === RUN_NEW)).toBe(true);
    expect(mount.state()).toBe(CAL_NONE);
  });

  it(`short (< CLEAR_STEP_M, ${CLEAR_STEP_M} m) or turning strides join the run but do not say where the toe points: they alone teach nothing`, () => {
    const { mount } = mountWithLog();
    for (let i = 0; i < 2 * RUN_STRIDES; i++) mount.addToRun(f64(UP), alongOff(90 * i), i % 2 ? 1.3 : CLEAR_STEP_M * 0.8, i % 2 === 1, 1100 * i);
    expect(mount.state()).toBe(CAL_NONE);
    // one stride that tells, in the same run: learnt, the toe from it alone
    expect(mount.addToRun(f64(UP), alongOff(0), 1.3, false, 1100 * 2 * RUN_STRIDES)).toBe(RUN_LEARNT);
    expect(angle(mount.toe()!, TOE)).toBeLessThan(1e-6);
  });
});

describe('which way a stride went, and whether it fits', () => {
  it('along the toe is forward, against it backward', () => {
    const { mount } = learnt();
    expect(mount.direction(alongOff(8), 1.3, false, 10_000)).toBe(DIR_FORWARD);
    expect(mount.direction(alongOff(180 - 8), 0.8, false, 11_000)).toBe(DIR_BACKWARD);
  });

  it('the provisional direction along the toe axis it hands out, which never makes the mount stale', () => {
    const { mount, states } = learnt();
    for (let i = 0; i < 3 * RUN_STRIDES; i++) {
      expect(mount.along(alongOff(8))).toBe(DIR_FORWARD);
      expect(mount.along(alongOff(180 - 8))).toBe(DIR_BACKWARD);
      mount.along(alongOff(ALONG_DEG + 20));
    }
    expect(mount.state()).toBe(CAL_DONE);
    expect(states).toEqual([]);
  });

  it(`a stance fits within FIT_DEG (${FIT_DEG}) of the mount's up, and nothing fits before a mount is learnt`, () => {
    const fresh = mountWithLog().mount;
    expect(fresh.fits(f64(UP))).toBe(false);
    const { mount } = learnt();
    expect(mount.fits(f64(UP))).toBe(true);
    expect(mount.fits(upTilted(FIT_DEG - 2))).toBe(true);
    expect(mount.fits(upTilted(-(FIT_DEG + 2)))).toBe(false);
    expect(mount.fits(upTilted(90))).toBe(false);
  });
});

describe('stale: the pod was turned on the shoe', () => {
  const off = ALONG_DEG + 20;

  it(`RUN_STRIDES strides in a row more than ALONG_DEG (${ALONG_DEG}) off the toe axis make it stale, on the last of them`, () => {
    const { mount, states } = learnt();
    for (let i = 0; i < RUN_STRIDES - 1; i++) {
      mount.direction(alongOff(off), 1.3, false, 10_000 + 1100 * i);
      expect(mount.state(), `after ${i + 1}`).toBe(CAL_DONE);
    }
    mount.direction(alongOff(-off), 1.3, false, 20_000);
    expect(mount.state()).toBe(CAL_STALE);
    expect(states).toEqual([[CAL_STALE, 20_000]]);
    expect(mount.toe()).toBeNull();
    expect(mount.get()).toBeNull();
    expect(mount.fits(f64(UP))).toBe(false);
  });

  it('only in a row: a stride on the axis between starts the count again', () => {
    const { mount } = learnt();
    let t = 10_000;
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < RUN_STRIDES - 1; i++) mount.direction(alongOff(off), 1.3, false, (t += 1100));
      mount.direction(alongOff(5), 1.3, false, (t += 1100));
    }
    expect(mount.state()).toBe(CAL_DONE);
  });

  it('backward strides are on the toe axis (they go the other way along it)', () => {
    const { mount } = learnt();
    for (let i = 0; i < 3 * RUN_STRIDES; i++) expect(mount.direction(alongOff(180 + (i % 2 ? 20 : -20)), 0.7, false, 10_000 + 1100 * i)).toBe(DIR_BACKWARD);
    expect(mount.state()).toBe(CAL_DONE);
  });

  it('short or turning strides say nothing about the toe axis', () => {
    const { mount } = learnt();
    for (let i = 0; i < 3 * RUN_STRIDES; i++) mount.direction(alongOff(90), i % 2 ? CLEAR_STEP_M * 0.8 : 1.3, i % 2 === 0, 10_000 + 1100 * i);
    expect(mount.state()).toBe(CAL_DONE);
  });

  it('a stale mount is learnt again from the next run (the new pose, the new toe axis)', () => {
    const { mount, states } = learnt();
    for (let i = 0; i < RUN_STRIDES; i++) mount.direction(alongOff(90), 1.3, false, 10_000 + 1100 * i);
    expect(mount.state()).toBe(CAL_STALE);
    // the pod was turned 90 deg about up on the shoe: the toe now lies along the old "left"
    for (let i = 0; i < RUN_STRIDES; i++) mount.addToRun(f64(UP), f64(LEFT), 1.3, false, 15_000 + 1100 * i);
    expect(mount.state()).toBe(CAL_DONE);
    expect(angle(mount.toe()!, LEFT)).toBeLessThan(1e-6);
    expect(states.map(([s]) => s)).toEqual([CAL_STALE, CAL_DONE]);
  });
});

describe('set, get and the standing pose', () => {
  it('a calibration set is the one got back, and it counts as learnt', () => {
    const { mount, states } = mountWithLog();
    const toe = turn(LEFT, UP, 30);
    mount.set({ up: [...UP], toe: [...toe] });
    expect(mount.state()).toBe(CAL_DONE);
    const got = mount.get()!;
    for (let i = 0; i < 3; i++) {
      expect(got.up[i]).toBeCloseTo(UP[i], 12);
      expect(got.toe[i]).toBeCloseTo(toe[i], 12);
    }
    expect(mount.fits(f64(UP))).toBe(true);
    expect(mount.direction(f64(toe), 1.3, false, 1000)).toBe(DIR_FORWARD);
    // setting is the host's doing, not a change the engine reports
    expect(states).toEqual([]);
  });

  it('get returns a copy: changing it changes nothing inside', () => {
    const { mount } = learnt();
    const got = mount.get()!;
    got.up[0] += 1;
    got.toe[1] += 1;
    expect(angle(mount.get()!.up, UP)).toBeLessThan(1e-6);
    expect(angle(mount.get()!.toe, TOE)).toBeLessThan(1e-6);
  });

  it('set(null) forgets it, and a run begun before does not carry over', () => {
    const { mount } = learnt();
    mount.set(null);
    expect(mount.state()).toBe(CAL_NONE);
    expect(mount.get()).toBeNull();
    expect(mount.toe()).toBeNull();
    expect(mount.fits(f64(UP))).toBe(false);
    const m2 = mountWithLog().mount;
    for (let i = 0; i < RUN_STRIDES - 1; i++) m2.addToRun(f64(UP), alongOff(0), 1.3, false, 1100 * i);
    m2.set(null);
    expect(m2.addToRun(f64(UP), alongOff(0), 1.3, false, 1100 * RUN_STRIDES)).toBe(RUN_NEW);
    expect(m2.state()).toBe(CAL_NONE);
  });

  it('standing seen: CAL_GRAVITY while nothing better is known, and never over a learnt mount', () => {
    const { mount, states } = mountWithLog();
    mount.sawStanding(500);
    expect(mount.state()).toBe(CAL_GRAVITY);
    mount.sawStanding(900);
    expect(states).toEqual([[CAL_GRAVITY, 500]]);
    const done = learnt();
    done.mount.sawStanding(50_000);
    expect(done.mount.state()).toBe(CAL_DONE);
    expect(done.states).toEqual([]);
  });
});
