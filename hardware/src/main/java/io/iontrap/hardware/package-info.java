/**
 * Hardware layer (issue 4, not built yet): trap description, drive compiler from model
 * parameters to laser settings, limit checks, protocol and its serial/MQTT transports.
 */
package io.iontrap.hardware;
