/**
 * JMH benchmarks of the random-walk solvers (issue 6): {@code java -jar psa-bench/target/benchmarks.jar
 * 'dev.psa.bench.walk.*'} with {@code OMP_NUM_THREADS=2}. {@code psa bench walk} runs the same fixture
 * through {@link dev.psa.randomwalk.WalkBench} without JMH.
 */
package dev.psa.bench.walk;
