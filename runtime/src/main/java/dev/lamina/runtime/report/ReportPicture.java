package dev.lamina.runtime.report;

/**
 * Internal, not API: a picture of the report, encoded once when added.
 *
 * @param title the heading above it
 * @param caption the sentence under it
 * @param mediaType {@code image/png} or {@code image/svg+xml}
 * @param bytes the encoded picture
 */
record ReportPicture(String title, String caption, String mediaType, byte[] bytes) {
}
