/** Implementation details of the random walk (transition planes, barrier, array copies); not API. */
package dev.psa.randomwalk.internal;
