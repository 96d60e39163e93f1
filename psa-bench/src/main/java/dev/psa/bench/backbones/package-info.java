/**
 * JMH benchmarks of backbone forward passes (inference), to compare builds and settings of the network code.
 */
package dev.psa.bench.backbones;
