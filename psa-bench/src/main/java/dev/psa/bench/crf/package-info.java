/**
 * JMH benchmarks of the dense CRF (issue 5): {@code java -jar psa-bench/target/benchmarks.jar
 * 'dev.psa.bench.crf.*'} with {@code OMP_NUM_THREADS=2} (build with {@code mvn -Pjmh -pl psa-bench -am
 * package -DskipTests}). {@code psa bench crf} runs the same inputs through
 * {@link dev.psa.crf.CrfBench} without JMH.
 */
package dev.psa.bench.crf;
