package io.tenantry.isolation;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

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
}
