/**
 * Hardware layer (issue 4): the trap description ({@code trap}), the drive compiler from model
 * parameters to laser settings and its exact inverse with every limit and validity check
 * ({@code drive}), the device protocol ({@code protocol}), its links (serial, MQTT, in-process;
 * {@code transport}), the client an experiment uses ({@code client}) and the device side that
 * devices and the simulated trap build on ({@code device}). Angular and cyclic frequencies are
 * distinct types ({@code units}). See docs/trap-file.md, docs/drive-formulas.md, docs/protocol.md.
 */
package io.iontrap.hardware;
