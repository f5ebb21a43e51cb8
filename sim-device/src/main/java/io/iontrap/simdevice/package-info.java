/**
 * The simulated trap (issue 5, docs/sim-device.md): a device of the hardware protocol that keeps its own
 * trap and limits, turns drive settings back into model parameters ({@code DriveDecoder}), and answers
 * runs with sampled single shots from the exact effective master equation, kinetic Monte Carlo or the
 * full Lindblad model, with per-ion detection errors and an optional calibration error; served over
 * serial, MQTT or in-process by {@link io.iontrap.simdevice.SimDeviceServer}.
 */
package io.iontrap.simdevice;
