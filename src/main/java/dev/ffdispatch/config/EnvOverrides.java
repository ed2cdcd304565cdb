package dev.ffdispatch.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code FFDISPATCH_<SECTION>_<KEY>} environment variables laid over the file: {@code metrics.listen}
 * is {@code FFDISPATCH_METRICS_LISTEN}; lists are comma-separated, {@code jobs.env} is
 * {@code NAME=value,NAME=value}. The key set comes from the config records themselves.
 */
final class EnvOverrides {
    static final String PREFIX = "FFDISPATCH_";
    /** Variables with the prefix that are not config keys. */
    static final List<String> RESERVED = List.of("FFDISPATCH_HOME", "FFDISPATCH_CONFIG");

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Key path ("poll.interval") by variable name ("FFDISPATCH_POLL_INTERVAL"). */
    private static final Map<String, Key> KEYS = keys();

    private record Key(String section, String name, Class<?> type) {
        String path() {
            return section + "." + name;
        }
    }

    private EnvOverrides() {
    }

    /** All variable names, sorted: for documentation and tests. */
    static List<String> variableNames() {
        return List.copyOf(KEYS.keySet());
    }

    /**
     * Applies every config variable in {@code env} to {@code tree}.
     *
     * @throws ConfigException for a variable that names a section but no key of it (a typo)
     */
    static void apply(Map<String, String> env, YamlTree tree) {
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            String var = e.getKey();
            if (!var.startsWith(PREFIX) || RESERVED.contains(var)) {
                continue;
            }
            Key key = KEYS.get(var);
            if (key == null) {
                rejectTypo(var);
                continue;
            }
            ObjectNode section = tree.root().has(key.section()) && tree.root().get(key.section()).isObject()
                    ? (ObjectNode) tree.root().get(key.section())
                    : tree.root().putObject(key.section());
            section.set(key.name(), value(key, e.getValue()));
            tree.noteSource(key.path(), "environment variable " + var);
        }
    }

    private static JsonNode value(Key key, String text) {
        if (List.class.isAssignableFrom(key.type())) {
            ArrayNode array = NODES.arrayNode();
            Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(array::add);
            return array;
        }
        if (Map.class.isAssignableFrom(key.type())) {
            ObjectNode map = NODES.objectNode();
            for (String pair : text.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigException(key.path(), "entry '" + pair.trim() + "' is not NAME=value").at(
                            "environment variable " + PREFIX + key.path().replace('.', '_').toUpperCase(Locale.ROOT));
                }
                map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
            }
            return map;
        }
        return NODES.textNode(text);
    }

    private static void rejectTypo(String var) {
        for (String section : sections()) {
            String sectionPrefix = PREFIX + section.toUpperCase(Locale.ROOT) + "_";
            if (var.startsWith(sectionPrefix)) {
                String known = KEYS.values().stream().filter(k -> k.section().equals(section))
                        .map(k -> PREFIX + k.path().replace('.', '_').toUpperCase(Locale.ROOT))
                        .collect(Collectors.joining(", "));
                throw new ConfigException("", "environment variable " + var + " is not a config key; known in section '"
                        + section + "': " + known, null);
            }
        }
    }

    private static List<String> sections() {
        return KEYS.values().stream().map(Key::section).distinct().toList();
    }

    private static Map<String, Key> keys() {
        Map<String, Key> keys = new TreeMap<>();
        for (RecordComponent section : Config.class.getRecordComponents()) {
            String sectionName = SNAKE.translate(section.getName());
            for (RecordComponent c : section.getType().getRecordComponents()) {
                Key key = new Key(sectionName, SNAKE.translate(c.getName()), c.getType());
                keys.put(PREFIX + key.path().replace('.', '_').toUpperCase(Locale.ROOT), key);
            }
        }
        return keys;
    }
}
