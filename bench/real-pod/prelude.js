// Stand-ins for what a Puck.js v2 has and Espruino's Linux build lacks, for
// running the pod bundle on the real interpreter (bench/real-pod/). Same
// names and argument shapes as the real APIs (../shared/espruino.md and
// firmware/espruino.d.ts); each keeps only what the runner reads back.
// Event listeners are left to Espruino's own Object.on, so Puck.on('accel')
// and NRF.on('connect') store their "#on..." properties exactly as on a pod.
// Loaded from Storage like the bundle: its functions run from flash.

// Puck.js v2 pins (jswrap_puck.c): BTN D0, LED3 D3, LED2 D4, LED1 D5, FET D26.
var BTN = D0, LED3 = D3, LED2 = D4, LED1 = D5, FET = D26;

// What the stand-ins were asked to do, kept to a few numbers: every variable
// here is one the pod does not have on the real interpreter's 2,630.
var POD = {
  // rate given to the last Puck.accelOn (0: off) and the registers it and Puck.accelWr set
  rate_hz: 0,
  ctrl1_xl: 0,
  ctrl2_g: 0,
  // INT1_CTRL (data-ready on INT1), and the wake-up: TAP_CFG, WAKE_UP_THS, MD1_CFG (the runner plays the INT1 pin from them)
  int1_ctrl: 0,
  tap_cfg: 0,
  wake_ths: 0,
  md1_cfg: 0,
  // digitalPulse calls on FET (the motor)
  fetPulses: 0,
  connected: false,
  // what NRF.setServices/setAdvertising/setSecurity were given: a pod keeps them (hidden root) too
  services: undefined,
  servicesOptions: undefined,
  advertising: undefined,
  advertisingOptions: undefined,
  security: undefined
};

// Linux would drive the host's GPIO (sysfs) here. The button is not held; LEDs are not watched.
function digitalRead(pin) { return 0; }
function digitalWrite(pin, value) {}
function digitalPulse(pin, value, time) { if ((pin | 0) === 26) POD.fetPulses++; }
function analogWrite(pin, value, options) {}

// register -> POD field, for what accelWr and accelRd reach
var ACCEL_REGS = { 13: "int1_ctrl", 16: "ctrl1_xl", 17: "ctrl2_g", 88: "tap_cfg", 91: "wake_ths", 94: "md1_cfg" };

var Puck = {
  // jswrap_puck.c accel_on: the IMU powered down and up (registers to defaults), CTRL1_XL = rate code << 4 | 0x0B
  // (4 g), CTRL2_G = rate code << 4 (245 dps; off at 1.6 Hz), INT1_CTRL = 3 (data-ready on INT1)
  accelOn: function (rate) {
    var r = rate === undefined ? 12.5 : rate;
    var codes = [1.6, 11, 12.5, 1, 26, 2, 52, 3, 104, 4, 208, 5, 416, 6, 833, 7, 1660, 8];
    var code = -1;
    for (var i = 0; i < codes.length; i += 2) if (codes[i] === r) code = codes[i + 1];
    if (code < 0) throw new Error("Invalid sample rate " + r + " - must be 1660, 833, 416, 208, 104, 52, 26, 12.5, 1.6 Hz");
    Puck.accelOff();
    POD.rate_hz = r;
    POD.ctrl1_xl = (code << 4) | 0x0b;
    POD.ctrl2_g = code === 11 ? 0 : code << 4;
    POD.int1_ctrl = 3;
  },
  accelOff: function () { POD.rate_hz = 0; for (var k in ACCEL_REGS) POD[ACCEL_REGS[k]] = 0; },
  // the registers the pod writes (ACCEL_REGS); others read 0
  accelWr: function (reg, data) { var f = ACCEL_REGS[reg]; if (f) POD[f] = data; },
  accelRd: function (reg) { var f = ACCEL_REGS[reg]; return f ? POD[f] : 0; },
  getBatteryPercentage: function () { return 90; }
};

var NRF = {
  setServices: function (data, options) { POD.services = data; POD.servicesOptions = options; },
  // notifications reach the host as "@notify <hex>" lines (the runner decodes frames from them)
  updateServices: function (data) {
    if (!POD.connected) return;
    for (var s in data) for (var c in data[s]) if (data[s][c].notify) print("@notify " + c + " " + E.toUint8Array(data[s][c].value).join(","));
  },
  setAdvertising: function (data, options) { POD.advertising = data; POD.advertisingOptions = options; },
  setSecurity: function (options) { POD.security = options; },
  getSecurityStatus: function () { return { advertising: !POD.connected, connected: POD.connected, encrypted: false, mitm_protected: false, bonded: false }; },
  getAddress: function () { return "d3:7a:42:19:c6:5e public"; },
  disconnect: function () { },
  // volts: 2.2 V (0%) to 2.8 V (100%) for a CR2032, as jswrap_puck_getBattery
  getBattery: function () { return 2.74; }
};

// a fresh CR2032 (the virtual pod's default)
E.getBattery = function () { return 90; };
