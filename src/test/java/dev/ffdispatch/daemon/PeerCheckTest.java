package dev.ffdispatch.daemon;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PeerCheckTest {
    private final PeerCheck check = new PeerCheck("ffdispatch", List.of("jellyfin"), List.of("video"));

    @Test
    void allowsTheDaemonUserRootListedUsersAndGroups() {
        assertNull(check.refusal("ffdispatch", "ffdispatch"));
        assertNull(check.refusal("root", "root"));
        assertNull(check.refusal("jellyfin", "jellyfin"));
        assertNull(check.refusal("emby", "video"));
    }

    @Test
    void refusalNamesTheUserAndTheKeysToChange() {
        String refusal = check.refusal("mallory", "users");
        assertTrue(refusal.contains("'mallory'") && refusal.contains("daemon.allowed_users")
            && refusal.contains("daemon.allowed_groups"), refusal);
    }
}
