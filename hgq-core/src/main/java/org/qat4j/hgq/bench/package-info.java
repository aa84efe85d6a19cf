/** Runnable benchmarks (programs, not tests) measuring HGQ against its float twin side by side. */
package org.qat4j.hgq.bench;
