package io.tickvault.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that Jetty refuses before they reach tickvault's routes (a malformed or ambiguous URI,
 * such as {@code %00} or an encoded {@code ..} segment, bad UTF-8) get the same JSON error shape
 * as every other error ({@link ApiError}), not Jetty's HTML page. Never shows a stack trace.
 * Stateless and thread-safe.
 */
final class JettyErrors extends ErrorHandler {
  private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

  JettyErrors() {
    setShowStacks(false);
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) throws IOException {
    response.getHeaders().put(JSON);
    response.write(true, ByteBuffer.wrap(body(code, message)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(JSON);
    return ByteBuffer.wrap(body(status, reason));
  }

  private static byte[] body(int code, String reason) {
    HttpStatus s = HttpStatus.forStatus(code);
    String title = s == HttpStatus.UNKNOWN ? "HTTP " + code : s.getMessage();
    String message = "the request was refused before reaching tickvault: " + (reason == null ? title : reason)
        + (code == 400 ? "; send a plain path (encode '/' in a symbol as %2F, no '..' or empty segments) and "
        + "valid UTF-8" : "");
    try {
      String type = code == 400 ? "invalid_input" : title.toLowerCase(Locale.ROOT).replace(' ', '_');
      return ApiJson.MAPPER.writeValueAsBytes(new ApiError(code, title, type, message));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
