package io.tenantry.load;

/** Request bodies of the workloads: small, realistic JSON documents (~250 bytes). */
final class Bodies {
  private Bodies() {
  }

  static String record(long n) {
    return "{\"title\":\"Note " + n + "\",\"body\":\"Quarterly figures for the regional office, reviewed and approved "
      + "by the finance team.\",\"tags\":[\"finance\",\"q" + (n % 4 + 1) + "\"],\"priority\":" + (n % 5)
      + ",\"done\":" + (n % 2 == 0) + ",\"owner\":{\"name\":\"Alex\",\"team\":\"ops\"}}";
  }
}
