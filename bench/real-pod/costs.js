// What single constructs cost on the real interpreter, in reference loops (bench/real-pod/costs.ts runs this):
// each case runs N times in a loop, less the same loop empty, over the reference loop timed beside it. ES5,
// plain Espruino; a case's body sits in a function with the per-sample path's shape (seven parameters,
// locals declared first) where the construct needs one.
var N = 3000;
function REF(n) { var x = 0, y = 0; for (var j = 0; j < n; j++) { x = x*0.5 + y*0.25 + j*0.125 + x*0.1 + y*0.2 + j*0.3; y = Math.sqrt(j + 1); } return x; }
function EMPTY(n) { for (var j = 0; j < n; j++) {} }
function make() {
  var T = new Float64Array(8), c1 = 1, c2 = 2, c3 = 3, c4 = 4;
  return {
    call0: function () {},
    call7: function (a, b, c, d, e, f, g) {},
    // (each: the same function with the construct ten times, against it with none)
    none: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; return s; },
    local: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; s = l1 + l2 + l3 + l4 + l1 + l2 + l3 + l4 + l1 + l2; return s; },
    closure: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; s = c1 + c2 + c3 + c4 + c1 + c2 + c3 + c4 + c1 + c2; return s; },
    slot: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; s = t[1] + t[2] + t[3] + t[4] + t[1] + t[2] + t[3] + t[4] + t[1] + t[2]; return s; },
    closureWrite: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; c1 = a; c2 = a; c3 = a; c4 = a; c1 = a; c2 = a; c3 = a; c4 = a; c1 = a; c2 = a; return s; },
    slotWrite: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; t[1] = a; t[2] = a; t[3] = a; t[4] = a; t[1] = a; t[2] = a; t[3] = a; t[4] = a; t[1] = a; t[2] = a; return s; },
    declare: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; var d1 = a, d2 = a, d3 = a, d4 = a, d5 = a, d6 = a, d7 = a, d8 = a, d9 = a, d10 = a; return s; },
    multiply: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; s = l1 * l2 * l3 * l4 * l1 * l2 * l3 * l4 * l1 * l2 * l3; return s; },
    skipped: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; if (a) { s = l1 * l2 + l3 * l4 + l1 * l2 + l3 * l4 + l1 * l2 + l3 * l4 + l1; } return s; },
    afterReturn: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; return s; s = l1 * l2 + l3 * l4 + l1 * l2 + l3 * l4 + l1 * l2 + l3 * l4 + l1; },
    sqrt: function (a) { var t = T, l1 = 1, l2 = 2, l3 = 3, l4 = 4, s = 0; s = Math.sqrt(l1); s = Math.sqrt(l2); s = Math.sqrt(l3); s = Math.sqrt(l4); s = Math.sqrt(l1); s = Math.sqrt(l2); s = Math.sqrt(l3); s = Math.sqrt(l4); s = Math.sqrt(l1); s = Math.sqrt(l2); return s; },
  };
}
var o = make();
function time(f) {
  var t0 = getTime(); f(N); var t = getTime() - t0;
  t0 = getTime(); EMPTY(N); var e = getTime() - t0;
  t0 = getTime(); REF(N); var r = getTime() - t0;
  return (t - e) / r;
}
var cases = {
  call0: function (n) { for (var j = 0; j < n; j++) o.call0(); },
  call7: function (n) { for (var j = 0; j < n; j++) o.call7(1, 2, 3, 4, 5, 6, 7); },
  none: function (n) { for (var j = 0; j < n; j++) o.none(0); },
  local: function (n) { for (var j = 0; j < n; j++) o.local(0); },
  closure: function (n) { for (var j = 0; j < n; j++) o.closure(0); },
  slot: function (n) { for (var j = 0; j < n; j++) o.slot(0); },
  closureWrite: function (n) { for (var j = 0; j < n; j++) o.closureWrite(0); },
  slotWrite: function (n) { for (var j = 0; j < n; j++) o.slotWrite(0); },
  declare: function (n) { for (var j = 0; j < n; j++) o.declare(0); },
  multiply: function (n) { for (var j = 0; j < n; j++) o.multiply(0); },
  skipped: function (n) { for (var j = 0; j < n; j++) o.skipped(0); },
  afterReturn: function (n) { for (var j = 0; j < n; j++) o.afterReturn(0); },
  sqrt: function (n) { for (var j = 0; j < n; j++) o.sqrt(0); }
};
// three rounds; the median of each
var res = {};
for (var k in cases) res[k] = [];
for (var round = 0; round < 3; round++) for (var k in cases) res[k].push(time(cases[k]));
for (var k in cases) { var v = res[k].sort(function (a, b) { return a - b; }); print("@C " + k + " " + v[1].toFixed(4)); }
