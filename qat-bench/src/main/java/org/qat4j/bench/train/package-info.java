/**
 * Training-step benchmarks (programs, not tests): one HGQ or A2Q+ training step against the same network
 * from plain DJL blocks and against a floor model, side by side in one run, ratios printed.
 */
package org.qat4j.bench.train;
