/**
 * HTML, chart and image-tile helpers of the report; not API.
 */
package dev.psa.eval.report.internal;
