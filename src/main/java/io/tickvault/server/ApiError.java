package io.tickvault.server;

/**
 * The one JSON error shape of the API: {@code {"status": 404, "title": "Not Found", "type":
 * "not_found", "message": "unknown symbol 'ZZZ' ..."}}. {@code type} is stable and meant for code;
 * {@code message} is for people (what happened, the numbers, what to do) and may change.
 * Never carries a stack trace or credentials.
 */
record ApiError(int status, String title, String type, String message) {
  ApiError {
    message = io.tickvault.domain.Secrets.redact(message); // every API error body passes the redaction boundary
  }
}
