package dev.ffdispatch.workersetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ffdispatch.doctor.Check;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginShellTest {
    private static final byte[] NONE = new byte[0];

    @Test
    void shAndDashAreOkBashAndZshWarnWithTheDedicatedUserHint() {
        assertEquals(Check.Status.OK, LoginShell.name("/bin/sh\n", "Linux", "ff").status());
        assertEquals(Check.Status.OK, LoginShell.name("dash\n", "Linux", "ff").status());
        Check bash = LoginShell.name("-bash\n", "Linux", "ff");
        assertEquals(Check.Status.WARN, bash.status());
        assertTrue(bash.fix().contains("useradd -r -m -s /bin/sh ffdispatch"), bash.fix());
        Check zsh = LoginShell.name("zsh\n", "Darwin", "ff");
        assertEquals(Check.Status.WARN, zsh.status());
        assertTrue(zsh.fix().contains("dscl"), zsh.fix());
    }

    @Test
    void aBannerOnStdoutFailsAndIsShown() {
        byte[] motd = "Welcome to worker1!\n".getBytes(StandardCharsets.UTF_8);
        Check banner = LoginShell.output(List.of(NONE, motd), List.of(NONE, NONE), "ff");
        assertEquals(Check.Status.FAIL, banner.status());
        assertTrue(banner.detail().contains("'Welcome to worker1!\\n'"), banner.detail());
        assertTrue(banner.fix().contains("wc -c must print 0"), banner.fix());
    }

    @Test
    void outputOnStderrOnlyWarnsAndSilenceIsOk() {
        byte[] noise = "bash: warning\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(Check.Status.WARN, LoginShell.output(List.of(NONE), List.of(noise), "ff").status());
        assertEquals(Check.Status.OK, LoginShell.output(List.of(NONE, NONE), List.of(NONE, NONE), "ff").status());
    }

    @Test
    void startUpIsTheMedianAndWarnsAboveTheLimit() {
        assertEquals(Duration.ofMillis(20), LoginShell.median(List.of(Duration.ofMillis(900), Duration.ofMillis(5),
            Duration.ofMillis(20))));
        assertEquals(Check.Status.OK, LoginShell.startup(List.of(Duration.ofMillis(900), Duration.ofMillis(5),
            Duration.ofMillis(20)), "Linux").status());
        Check slow = LoginShell.startup(List.of(Duration.ofMillis(150), Duration.ofMillis(140), Duration.ofMillis(20)), "Linux");
        assertEquals(Check.Status.WARN, slow.status());
        assertTrue(slow.detail().startsWith("'true' takes 140 ms"), slow.detail());
    }
}
