/**
 * The self-contained HTML report of a run: results, charts, gallery, failures and provenance.
 */
package dev.psa.eval.report;
