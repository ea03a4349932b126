package io.tenantry.isolation;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static io.tenantry.isolation.AttackWorld.assertNoLeak;
import static io.tenantry.support.Problems.assertProblem;

/** One attacked world per test class; every attack is a parameterized test over {@link #pairings()}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AttackSuite {
  AttackWorld world;

  @BeforeAll
  void createWorld() {
    world = AttackWorld.create();
  }

  @AfterAll
  void closeWorld() {
    world.close();
  }

  List<Pairing> pairings() {
    return Pairing.ALL;
  }

  /** The answer is the refusal expected, and tells nothing of the pairing's B. */
  void refused(Pairing p, HttpResponse<Buffer> r, int status) {
    assertProblem(r, status);
    assertNoLeak(r, world.b(p));
  }
}
