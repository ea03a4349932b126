package io.tenantry.auth;

import io.tenantry.tenant.Isolation;
import io.tenantry.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** canAdminister answers from the tenant's own (cached) path: admins of the tenant and of its ancestors only. */
class AccessHierarchyTest {
  private static final UUID ROOT = UUID.randomUUID();
  private static final UUID PARENT = UUID.randomUUID();
  private static final UUID SIBLING = UUID.randomUUID();
  private static final UUID CHILD = UUID.randomUUID();
  private static final Tenant CHILD_TENANT = new Tenant(CHILD, "child", "child", Tenant.Status.ACTIVE, Isolation.SHARED,
    null, 0, null, Instant.now(), null, 0, "parent", List.of(ROOT, PARENT));
  private static final Tenant PARENT_TENANT = new Tenant(PARENT, "parent", "parent", Tenant.Status.ACTIVE,
    Isolation.SHARED, null, 0, null, Instant.now(), null, 0, "root", List.of(ROOT));

  private static Caller admin(UUID tenant) {
    return new Caller(UUID.randomUUID(), tenant, Set.of(Caller.TENANT_ADMIN));
  }

  @Test
  void theTenantsOwnAndItsAncestorsAdminsAdministerIt() {
    assertThat(Access.canAdminister(admin(CHILD), CHILD_TENANT)).isTrue();
    assertThat(Access.canAdminister(admin(PARENT), CHILD_TENANT)).isTrue();
    assertThat(Access.canAdminister(admin(ROOT), CHILD_TENANT)).isTrue();
    assertThat(Access.canAdminister(new Caller(UUID.randomUUID(), null, Set.of(Caller.SUPER_ADMIN)), CHILD_TENANT)).isTrue();
  }

  @Test
  void noOneElseDoes() {
    assertThat(Access.canAdminister(admin(CHILD), PARENT_TENANT)).as("a child's admin on its parent").isFalse();
    assertThat(Access.canAdminister(admin(SIBLING), CHILD_TENANT)).as("a sibling's admin").isFalse();
    assertThat(Access.canAdminister(admin(null), CHILD_TENANT)).as("a token naming no tenant").isFalse();
    assertThat(Access.canAdminister(new Caller(UUID.randomUUID(), PARENT, Set.of(Caller.MEMBER)), CHILD_TENANT))
      .as("a member of the parent").isFalse();
    assertThat(Access.canAdminister(new Caller(UUID.randomUUID(), CHILD, Set.of(Caller.READ_ONLY)), CHILD_TENANT))
      .as("a reader of the tenant").isFalse();
  }
}
