package dev.ffdispatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ffdispatch.caps.Capabilities;
import dev.ffdispatch.store.ProfileRecord;
import java.io.PrintWriter;
import java.util.List;

/**
 * A capability profile in short, as {@code host show} prints it: which ffmpeg, its version, the
 * hardware devices that work (and those listed that do not), and its hardware encoders. JSON
 * fields: ffmpeg, size, modified, learned, version, hwaccels, hwaccels_not_working,
 * hardware_encoders (the last four null when the listings are not an ffmpeg's).
 */
final class ProfileView {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProfileView() {
    }

    /** {@code profile} is null when none is stored. */
    static void print(PrintWriter out, ProfileRecord profile) {
        if (profile == null) {
            out.println("profile:  not learned yet (the daemon learns it when the worker answers; routing.capabilities)");
            return;
        }
        Capabilities caps = Capabilities.read(profile.answers(), profile.workingHwaccels());
        out.println("profile:  " + profile.path() + (caps == null || caps.version() == null ? "" : " version " + caps.version())
            + ", learned " + profile.learned());
        if (caps == null) {
            out.println("          its listings are not an ffmpeg's: its probes are answered as it answered them,"
                + " and no job is kept from it");
            return;
        }
        List<String> broken = caps.brokenHwaccels();
        out.println("hwaccels: " + words(caps.hwaccels()) + (broken.isEmpty() ? "" : " (listed, not working here: "
            + String.join(" ", broken) + ")"));
        out.println("hw enc:   " + words(caps.hardwareEncoders()));
    }

    static ObjectNode json(ProfileRecord profile) {
        ObjectNode o = JSON.createObjectNode();
        Capabilities caps = Capabilities.read(profile.answers(), profile.workingHwaccels());
        o.put("ffmpeg", profile.path());
        o.put("size", profile.size());
        o.put("modified", profile.modified().toString());
        o.put("learned", profile.learned().toString());
        o.put("version", caps == null ? null : caps.version());
        if (caps == null) {
            o.putNull("hwaccels");
            o.putNull("hwaccels_not_working");
            o.putNull("hardware_encoders");
        } else {
            caps.hwaccels().forEach(o.putArray("hwaccels")::add);
            caps.brokenHwaccels().forEach(o.putArray("hwaccels_not_working")::add);
            caps.hardwareEncoders().forEach(o.putArray("hardware_encoders")::add);
        }
        return o;
    }

    private static String words(List<String> words) {
        return words.isEmpty() ? "none" : String.join(" ", words);
    }
}
