// The measuring side of a real-interpreter pod run (bench/real-pod/real-pod.ts
// writes CFG, installs this file, the prelude and the bundle in Storage, and
// reads the "@..." lines this prints). It plays the world around the pod:
// IMU samples from files (raw LSB, int16 x 6 per sample) handed to the
// bundle's Puck.on('accel') listener, protocol frames written to its RX
// characteristic, and a stopwatch. Only the listener calls are timed
// (getTime() around the call), always against the reference loop in the
// same run. Puck.emit would only queue the event (as the IMU interrupt does
// on a pod) and run the listener later in the idle loop, out of the timed
// region: the runner calls the listener Puck.on stored ("#onaccel") itself,
// as the idle loop does. Memory is process.memory().usage (a GC first) minus the usage
// before the bundle was loaded.

// Every global of this file (and of prelude.js) has a name of three characters or more: the bundle runs at
// the top level, as .bootcde does, and its minified names (one or two characters) are globals too.
var STORE = require("Storage");
// timings, s: [0] walking sum, [1] walking count, [2] standing sum, [3] standing count, [4] idle sum, [5] idle
// count (the IMU's samples), [6] do-nothing sum, [7] do-nothing count; [8] idle samples that reached the pod;
// the reference loop run right after each walking batch: [9] seconds, [10] iterations; after each standing
// batch: [11], [12] (so a walking figure is a ratio to the reference timed under the same load of the machine)
var TIMES = new Float64Array(13);
// the current idle batch's INT1 flags (see int1)
var FLAGS = null;
// reference loop seconds per iteration, one per trial
var REFS = new Float64Array(CFG.refTrials * 5);
var refCount = 0;
// the first trial with the bundle loaded (the loop's Math is looked up through a root scope that then holds the
// bundle's names too, as on a pod: the pod's figures are against these, the do-nothing listener's against those before)
var refLoaded = 0;
var REF = eval(STORE.read("refloop.js"));
var FILE = null;
var BUF = new Int16Array(CFG.batch * 6);
var BYTES = new Uint8Array(BUF.buffer);
var base = 0;
var nop = {};
nop.on("accel", function (e) {});

// "@kind text" lines for the host. No JSON while measuring: naming a built-in object creates it in RAM (see below).
function out(kind, text) { print("@" + kind + " " + text); }

function refTrial() {
  for (var k = 0; k < CFG.refTrials; k++) {
    var t0 = getTime();
    REF(CFG.refIterations);
    REFS[refCount++] = (getTime() - t0) / CFG.refIterations;
  }
}

function usage() { return process.memory().usage - base; }

// Read up to n samples of the open file into BUF; returns how many.
function readBatch(n) {
  var s = FILE.read(n * 12);
  if (s === undefined) return 0;
  var got = s.length / 12 | 0;
  BYTES.set(E.toUint8Array(s));
  return got;
}

// The one 'accel' listener of obj (Espruino keeps its listeners in the hidden property "#onaccel").
function listenerOf(obj) {
  var fn = obj["#onaccel"];
  if (typeof fn === "object" && fn.length === 1) fn = fn[0];
  if (typeof fn !== "function") out("error", "expected one accel listener, found " + typeof fn);
  return fn;
}

// Sample i of BUF as the event Espruino hands the listener.
function sampleOf(i) {
  var k = i * 6;
  return { acc: { x: BUF[k], y: BUF[k + 1], z: BUF[k + 2] }, gyro: { x: BUF[k + 3], y: BUF[k + 4], z: BUF[k + 5] } };
}

// Hand sample i in BUF to an 'accel' listener, timing the call into TIMES[slot].
function feedOne(fn, i, slot) {
  var e = sampleOf(i);
  var t0 = getTime();
  fn(e);
  TIMES[slot] += getTime() - t0;
}

// Hand n samples in BUF to an 'accel' listener, timing each call into TIMES[slot], TIMES[slot + 1]; then
// time CFG.refPerSample reference-loop iterations a sample into refSlot, refSlot + 1 (if given).
function feed(fn, n, slot, refSlot) {
  for (var i = 0; i < n; i++) feedOne(fn, i, slot);
  TIMES[slot + 1] += n;
  if (refSlot === undefined) return;
  var k = n * CFG.refPerSample, t0 = getTime();
  REF(k);
  TIMES[refSlot] += getTime() - t0;
  TIMES[refSlot + 1] += k;
}

// Write a protocol frame (its bytes in hex) to the bundle's RX characteristic, as a central's write arrives.
// (Hex, not a string of the bytes: on a build with unicode support a string holding bytes over 0x7f
// is UTF-8, and E.toUint8Array would hand the pod two bytes for each.)
function writeFrame(hex) {
  var b = [];
  for (var i = 0; i < hex.length; i += 2) b.push("0123456789abcdef".indexOf(hex[i]) * 16 + "0123456789abcdef".indexOf(hex[i + 1]));
  POD.services[CFG.rxService][CFG.rxChar].onWrite({ data: E.toUint8Array(b).buffer });
}

function connect() { POD.connected = true; NRF.emit("connect", "c0:ff:ee:00:00:01 public"); }
function disconnect() { POD.connected = false; NRF.emit("disconnect", 0x13); }

function checkRate(rate_hz, what) {
  if (POD.rate_hz !== rate_hz || POD.ctrl1_xl !== CFG[what + "Ctrl1"] || POD.ctrl2_g !== CFG[what + "Ctrl2"])
    out("mismatch", what + " " + POD.rate_hz + " " + POD.ctrl1_xl + " " + POD.ctrl2_g);
}

// 52 Hz samples from file, paced at CFG.pace x real time; samples [from, to) are timed as walking,
// the rest as standing. Calls done() when the file ends.
function walkPhase(file, from, to, memAt, done) {
  FILE = E.openFile(file, "r");
  var index = 0, t0 = getTime(), last = 0;
  function next() {
    var n = readBatch(CFG.batch);
    if (n === 0) { FILE.close(); FILE = null; return done(); }
    checkRate(52, "walk");
    var walking = index >= from && index < to;
    feed(listenerOf(Puck), n, walking ? 0 : 2, walking ? 9 : 11);
    index += n;
    if (last < memAt && index >= memAt) out("mem", "walking " + usage());
    last = index;
    // (pace 0: back to back, no idle between batches)
    var wait_ms = CFG.pace > 0 ? (t0 + index / 52 / CFG.pace - getTime()) * 1000 : 0;
    setTimeout(next, wait_ms > 0 ? wait_ms : 0);
  }
  next();
}

// Standing samples until the pod drops the IMU to its idle rate (its own 2 s timer decides).
function untilIdle(file, done) {
  FILE = E.openFile(file, "r");
  var t0 = getTime(), index = 0, waited = 0;
  function next() {
    if (POD.rate_hz !== 52) { FILE.close(); FILE = null; return done(); }
    var n = readBatch(CFG.batch);
    if (n === 0) {
      if (waited++ > 20) { FILE.close(); FILE = null; out("error", "the pod did not idle"); return done(); }
      return setTimeout(next, 250);
    }
    feed(listenerOf(Puck), n, 2, 11);
    index += n;
    var wait_ms = (t0 + index / 52 / CFG.pace - getTime()) * 1000;
    setTimeout(next, wait_ms > 0 ? wait_ms : 0);
  }
  next();
}

// The INT1 pin for idle sample i of a batch: data-ready if the pod left it routed, else the wake-up event
// if the pod routed that with the expected settings and the IMU raises it for this sample (FLAGS: 1 where
// it does, worked out by the bench's model of the IMU, host/src/sim/lsm6ds3.ts Lsm6ds3trc).
function int1(i) {
  if (POD.int1_ctrl & 3) return true;
  if (!(POD.md1_cfg & 0x20) || !(POD.tap_cfg & 0x80)) return false;
  if (POD.wake_ths !== CFG.wakeThs) out("mismatch", "wake-up threshold " + POD.wake_ths + " where the samples expect " + CFG.wakeThs);
  return FLAGS[i] === 1;
}

// 1.6 Hz accelerometer-only samples, fed as fast as they come (nothing in idle waits on a timer), each to
// the listener only when INT1 rises for it: TIMES[5] counts the IMU's samples, TIMES[8] those that reached
// the pod. Then samples of the foot starting to move, until the pod is back at walking rate.
function idlePhase(file, done) {
  FILE = E.openFile(file, "r");
  var flagFile = E.openFile(file + ".int1", "r");
  function next() {
    var n = readBatch(CFG.batch);
    if (n === 0) { FILE.close(); FILE = null; flagFile.close(); return done(); }
    FLAGS = E.toUint8Array(flagFile.read(n));
    checkRate(1.6, "idle");
    var fn = listenerOf(Puck);
    for (var i = 0; i < n; i++) {
      if (!int1(i)) continue;
      feedOne(fn, i, 4);
      TIMES[8]++;
    }
    TIMES[5] += n;
    setTimeout(next, 0);
  }
  next();
}

function wakePhase(file, done) {
  FILE = E.openFile(file, "r");
  var flagFile = E.openFile(file + ".int1", "r"), index = 0;
  function next() {
    if (POD.rate_hz === 52) {
      out("wake", index);
      FILE.close(); FILE = null; flagFile.close();
      return done();
    }
    var n = readBatch(1);
    if (n === 0) { FILE.close(); FILE = null; flagFile.close(); out("error", "the pod did not wake"); return done(); }
    FLAGS = E.toUint8Array(flagFile.read(1));
    index++;
    if (int1(0)) listenerOf(Puck)(sampleOf(0));
    setTimeout(next, 0);
  }
  next();
}

// Connect, write frames once the pod has seen the link (NRF.emit queues the event as
// the radio does), let it answer and its minute timer run, disconnect.
function talk(frames, wait_ms, done) {
  connect();
  setTimeout(function () {
    for (var i = 0; i < frames.length; i++) writeFrame(frames[i]);
    // (the pod's peak: the link loaded and its answers sent; the disconnect event then runs in the idle loop, as on
    // a pod, and the phases after it are measured once the link's buffers are gone)
    setTimeout(function () { out("mem", "connected " + usage()); disconnect(); setTimeout(done, 20); }, wait_ms);
  }, 20);
}

function records() {
  var names = STORE.list(/^rs\d+$/);
  for (var i = 0; i < names.length; i++) out("file", names[i] + " " + E.toUint8Array(STORE.read(names[i])).join(","));
}

function finish() {
  refTrial();
  records();
  out("result", JSON.stringify({
    walk_s: TIMES[0], walk_n: TIMES[1], stand_s: TIMES[2], stand_n: TIMES[3], idle_s: TIMES[4], idle_n: TIMES[5], idle_int1: TIMES[8], nop_s: TIMES[6], nop_n: TIMES[7],
    walk_ref_s: TIMES[9], walk_ref_n: TIMES[10], stand_ref_s: TIMES[11], stand_ref_n: TIMES[12],
    ref_s: [].slice.call(REFS, 0, refCount), ref_loaded_from: refLoaded, fet_pulses: POD.fetPulses, errors: E.getErrorFlags()
  }));
  setTimeout(quit, 0);
}

function doNothing() {
  FILE = E.openFile(CFG.walkFile, "r");
  for (var r = 0; r < CFG.nopBatches; r++) {
    var n = readBatch(CFG.batch);
    feed(listenerOf(nop), n, 6);
  }
  FILE.close();
  FILE = null;
}

// (a count run's CFG has no reference trials and no do-nothing batches: these then do next to nothing, alike in every count run)
refTrial();
doNothing();
refTrial();
if (CFG.fillerBytes > 0) STORE.write("filler", "x", 0, STORE.getFree() - CFG.fillerBytes);
// Espruino creates a built-in object (Uint8Array, Math, JSON...) in RAM the first
// time a name reaches it, and keeps it: on a pod the bundle pays for those it
// names. Those the prelude and the runner named so far are dropped here, and
// after this point the runner names none but E, File and process (it needs
// them; the bundle uses E too, which costs 2 variables).
var BUILTINS = ["Uint8Array", "Uint16Array", "Int16Array", "Int32Array", "Uint32Array", "Float32Array", "Float64Array", "ArrayBuffer", "DataView", "Math", "JSON", "Object", "Array", "String", "Number", "Boolean", "Function", "Date", "Error", "TypeError", "RegExp", "Promise"];
for (var bIndex = 0; bIndex < BUILTINS.length; bIndex++) delete global[BUILTINS[bIndex]];
BUILTINS = undefined;
setTimeout(quit, CFG.deadline_ms);
base = process.memory().usage;
out("base", base + " " + process.memory().total);
eval(STORE.read(".bootcde"));
// Counting (CFG.count; bench/real-pod/count.ts runs this under valgrind), in place of the timed phases: the
// walk file's samples read and their events made, batch by batch as walkPhase reads them, handed to the listener
// only where CFG.count says (walking: the batches from index walkFrom to walkTo); then the reference loop for
// CFG.count.refIterations (0 in the runs it is counted against), and the end. All at once, as the bundle loads: no
// timer runs meanwhile (the pod's idle check and minute go by the wall clock, which valgrind slows by how busy
// the machine is), nor the idle loop, whose rounds while a timer is due would count, and move where each
// variable is allocated, differently in each run. No records read and no JSON made: a run that fed the pod has
// records the others lack. (A function made only here: the timed runs' base variables stay what they were.)
if (CFG.count) (function () {
  checkRate(52, "walk");
  FILE = E.openFile(CFG.walkFile, "r");
  var fn = listenerOf(Puck), index = 0, n;
  while ((n = readBatch(CFG.batch)) > 0) {
    var walking = index >= CFG.walkFrom && index < CFG.walkTo;
    var fed = walking ? CFG.count.walk : CFG.count.stand;
    for (var i = 0; i < n; i++) {
      var e = sampleOf(i);
      if (fed) fn(e);
    }
    TIMES[walking ? 1 : 3] += n;
    index += n;
  }
  FILE.close();
  FILE = null;
  REF(CFG.count.refIterations);
  out("counted", TIMES[1] + " " + TIMES[3] + " " + E.getErrorFlags().join(","));
  // (every timer cleared, the pod's and the runner's: the interpreter then ends after one idle round; quit()
  // would not stop it while this script's first evaluation is still running)
  clearTimeout();
})();
else setTimeout(function () {
  out("mem", "load " + usage());
  refLoaded = refCount;
  refTrial();
  checkRate(52, "walk");
  walkPhase(CFG.walkFile, CFG.walkFrom, CFG.walkTo, CFG.walkTo, function () {
    refTrial();
    if (CFG.mode === "steady") return finish();
    if (CFG.mode === "full") {
      return talk(CFG.closeFrames, CFG.closeWait_ms, function () {
        talk(CFG.statusFrames, CFG.statusWait_ms, function () {
          out("mem", "flash_full " + usage());
          finish();
        });
      });
    }
    untilIdle(CFG.standFile, function () {
      idlePhase(CFG.idleFile, function () {
        out("mem", "idle " + usage());
        wakePhase(CFG.wakeFile, function () {
          talk(CFG.closeFrames, CFG.closeWait_ms, function () {
            talk(CFG.statusFrames, CFG.statusWait_ms, finish);
          });
        });
      });
    });
  });
}, 50);
