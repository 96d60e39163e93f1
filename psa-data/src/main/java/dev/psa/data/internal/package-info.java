/**
 * File helpers shared by the on-disk datasets (id lists, contained paths, checked loading); not API.
 */
package dev.psa.data.internal;
