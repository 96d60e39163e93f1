/**
 * Image decoding details (EXIF orientation, format checks); not API.
 */
package dev.psa.data.io.internal;
