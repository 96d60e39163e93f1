/**
 * The results store (JDBC: H2 file by default, PostgreSQL by URL) behind {@code psa runs}.
 */
package dev.psa.eval.store;
