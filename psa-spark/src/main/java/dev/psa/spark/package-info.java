/**
 * {@code engine = spark}: psa's per-image stages as Apache Spark tasks, images partitioned, each task
 * rebuilding the stage from the job's configuration and writing its outputs itself.
 */
package dev.psa.spark;
