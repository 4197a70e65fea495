package io.tickvault.cli;

import java.lang.reflect.Proxy;
import java.util.List;

/**
 * SIGTERM and SIGINT (Ctrl-C) as a request to stop, so a long-running command can finish its
 * current write and exit 0 (a JVM shutdown hook would end the process with 143 instead). Uses the
 * JDK's {@code sun.misc.Signal} through reflection (module {@code jdk.unsupported}); where it is
 * missing, falls back to a shutdown hook. A second signal while stopping ends the process at once
 * with exit code 130. Thread-safe.
 */
final class Signals {
  private Signals() {}

  /** Calls {@code stop} on the first SIGTERM/SIGINT; returns whether signal handlers were installed. */
  static boolean onStop(Runnable stop) {
    boolean[] asked = {false};
    Runnable handle = () -> {
      synchronized (asked) {
        if (asked[0]) {
          Runtime.getRuntime().halt(130);
        }
        asked[0] = true;
      }
      stop.run();
    };
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (proxy, m, args) -> {
        switch (m.getName()) {
          case "handle" -> handle.run();
          case "hashCode" -> {
            return System.identityHashCode(proxy);
          }
          case "equals" -> {
            return proxy == args[0];
          }
          case "toString" -> {
            return "tickvault stop handler";
          }
          default -> { }
        }
        return null;
      });
      for (String name : List.of("TERM", "INT")) {
        Object s = signal.getConstructor(String.class).newInstance(name);
        signal.getMethod("handle", signal, handler).invoke(null, s, h);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Runtime.getRuntime().addShutdownHook(new Thread(stop, "tickvault-stop"));
      return false;
    }
  }
}
