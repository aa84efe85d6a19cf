/** Readers of external array files (NumPy {@code .npy}) for the command line and tools; no DJL. */
package org.qat4j.runtime.io;
