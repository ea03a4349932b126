package io.tenantry.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class PublicPathsTest {
  /** The gate lets exactly the operations the contract marks {@code security: []} through without a token. */
  @Test
  void thePublicPathsAreTheContractsOperationsWithoutSecurity() throws IOException {
    JsonNode contract;
    try (InputStream in = getClass().getResourceAsStream("/openapi.yaml")) {
      contract = new ObjectMapper(new YAMLFactory()).readTree(in);
    }
    Set<String> open = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = contract.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fields().forEachRemaining(operation -> {
        JsonNode security = operation.getValue().get("security");
        if (security != null && security.isArray() && security.isEmpty()) {
          open.add(path.getKey());
        }
      });
    }
    assertThat(open).containsExactlyInAnyOrderElementsOf(PublicPaths.PATHS);
  }
}
