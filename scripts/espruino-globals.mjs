/**
 * Globals a Puck.js has (Espruino 2v29) that the pod bundle's top-level names must not take: the bundle runs
 * at Espruino's top level, and terser names its variables with one or two characters, so the short ones
 * matter most (E, the pins D0-D31 and A0-A7). Used by the firmware build and by anything that minifies the
 * bundle again (bench/cost-model.ts).
 */
export const ESPRUINO_GLOBALS = ['E', 'NRF', 'Puck', 'Bluetooth', 'LoopbackA', 'LoopbackB', 'Serial1', 'Terminal', 'Modules', 'BTN', 'BTN1', 'LED', 'LED1', 'LED2', 'LED3', 'FET', 'IR', 'SDA', 'SCL', 'SPI1', 'I2C1', 'Pin', 'Storage', 'Graphics', 'global', 'process', 'require', 'print', 'trace', 'eval', 'getTime', 'setTime', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval', 'changeInterval', 'setWatch', 'clearWatch', 'digitalRead', 'digitalWrite', 'digitalPulse', 'analogRead', 'analogWrite', 'getSerial', 'peek8', 'poke8', 'peek16', 'poke16', 'peek32', 'poke32', 'edit', 'dump', 'load', 'save', 'reset', 'echo', 'console', 'btoa', 'atob', 'arguments'];
for (let i = 0; i < 32; i++) ESPRUINO_GLOBALS.push('D' + i);
for (let i = 0; i < 8; i++) ESPRUINO_GLOBALS.push('A' + i);
