/**
 * The calibration pass ("trace min/max", arXiv 2405.00645 §4.2) that re-derives every activation
 * quantizer's integer bits from calibration data before export.
 */
package org.qat4j.hgq.calib;
