/**
 * Analysis (issue 6, not built yet): run files, population estimators, fits of rates and
 * β_eff, detailed-balance tests, plots and the report.
 */
package io.iontrap.analysis;
