/**
 * Finding components by name: ServiceLoader over the built-in and plugin-folder class path, fed into Guice map bindings.
 */
package dev.psa.runtime.discovery;
