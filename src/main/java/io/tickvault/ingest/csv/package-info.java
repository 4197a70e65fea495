/**
 * CSV import ({@code tickvault import csv}): {@link io.tickvault.ingest.csv.CsvImportService}
 * streams a file into a source in one atomic write, recognising the layout from the header
 * ({@link io.tickvault.ingest.csv.CsvLayout}: tickvault, Yahoo, Alpaca/Polygon exports) and the
 * date form of each value. Depends on {@code domain} and {@code store}.
 */
package io.tickvault.ingest.csv;
