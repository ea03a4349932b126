package io.tenantry.support;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The threads that could hold up a stop, a few frames each: what a "no result within" failure in CI needs to say
 * where it waited, since only the failure's message reaches the CI summary.
 */
final class ThreadDump {
  private static final int FRAMES = 4;

  private ThreadDump() {
  }

  static String compact() {
    return Thread.getAllStackTraces().entrySet().stream()
      .filter(e -> relevant(e.getKey(), e.getValue()))
      .map(ThreadDump::describe)
      .sorted()
      .collect(Collectors.joining("\n"));
  }

  private static boolean relevant(Thread thread, StackTraceElement[] stack) {
    if (thread == Thread.currentThread() || stack.length == 0) {
      return false;
    }
    String name = thread.getName();
    if (name.startsWith("vert.x-eventloop") && stack[0].getMethodName().startsWith("epoll")) {
      return false; // an idle event loop
    }
    return name.startsWith("vert.x") || name.startsWith("tenantry")
      || java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.tenantry"));
  }

  private static String describe(Map.Entry<Thread, StackTraceElement[]> e) {
    StackTraceElement[] stack = e.getValue();
    StringBuilder line = new StringBuilder(e.getKey().getName()).append(' ').append(e.getKey().getState());
    for (int i = 0; i < Math.min(FRAMES, stack.length); i++) {
      line.append("\n    at ").append(stack[i]);
    }
    return line.toString();
  }
}
