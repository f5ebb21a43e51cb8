/**
 * Simulated trap (issue 5, not built yet): serves the hardware protocol, turns drive settings
 * back into model parameters and answers with single-shot measurements.
 */
package io.iontrap.simdevice;
