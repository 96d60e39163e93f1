/**
 * Evaluation: confusion matrices, per-class IoU and mIoU, the CAM background-threshold sweep, evaluation JSON and tables.
 */
package dev.psa.eval;
