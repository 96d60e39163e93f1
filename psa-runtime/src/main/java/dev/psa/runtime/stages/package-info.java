/**
 * The executors of {@code psa run}: each wires config and components to its module's stage API; plus the data check and the walk stage.
 */
package dev.psa.runtime.stages;
