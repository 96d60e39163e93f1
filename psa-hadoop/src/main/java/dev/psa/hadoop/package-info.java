/**
 * The run folder on any Hadoop file system: a java.nio {@link java.nio.file.spi.FileSystemProvider}
 * over Hadoop's FileSystem API for {@code hdfs}, {@code s3a}, {@code webhdfs} and {@code viewfs}, so
 * the stages' {@code Path}/{@code Files} code (and AtomicFiles' temporary + rename) runs unchanged.
 * The JDK finds the providers through {@code META-INF/services/java.nio.file.spi.FileSystemProvider}
 * (its installed-provider mechanism, not a ServiceLoader call of ours); {@link
 * dev.psa.hadoop.HadoopPaths} serves class loaders that do not see them.
 */
package dev.psa.hadoop;
