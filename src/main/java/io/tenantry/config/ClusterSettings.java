package io.tenantry.config;

import java.util.List;

/**
 * The cluster.* keys. {@code members} are TCP-IP join addresses ("host" or "host:port"); they are only used when
 * {@code multicast} is off.
 */
public record ClusterSettings(
  boolean enabled,
  String name,
  String host,
  int port,
  List<String> members,
  boolean multicast,
  int eventBusPort,
  int minMembers,
  int failureTimeoutSeconds,
  int joinWaitSeconds) {

  public ClusterSettings {
    members = List.copyOf(members);
  }
}
