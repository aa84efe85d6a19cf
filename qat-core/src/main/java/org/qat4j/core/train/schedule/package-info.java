/**
 * Regularizer-strength schedules for QAT (HGQ, arXiv 2405.00645 §4.4): piecewise linear/log β ramps
 * applied per epoch, and a controller that steers β so the measured resource cost reaches a target.
 */
package org.qat4j.core.train.schedule;
