package dev.ffdispatch.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Finds, reads, overrides and validates the configuration.
 *
 * <p>File: {@code explicit} (the {@code --config} option), else {@code $FFDISPATCH_CONFIG}, else
 * {@code $FFDISPATCH_HOME/ffdispatch.yml}, else {@value #SYSTEM_FILE}. A default location that does
 * not exist means the documented defaults; a file named explicitly must exist.
 */
public final class ConfigLoader {
    /** The system-wide configuration file. */
    public static final String SYSTEM_FILE = "/etc/ffdispatch/ffdispatch.yml";
    /** Puts config, database, socket, known_hosts and key under one directory. */
    public static final String HOME_VARIABLE = "FFDISPATCH_HOME";
    /** Names the configuration file. */
    public static final String CONFIG_VARIABLE = "FFDISPATCH_CONFIG";
    /** File name of the configuration inside {@code FFDISPATCH_HOME}. */
    public static final String FILE_NAME = "ffdispatch.yml";

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private ConfigLoader() {
    }

    /**
     * Loads the effective configuration.
     *
     * @param explicitOrNull the {@code --config} file, or null
     * @param env            the process environment (tests pass their own)
     * @throws ConfigException naming file, line, key, bad value and the accepted values
     */
    public static LoadedConfig load(Path explicitOrNull, Map<String, String> env) {
        Path home = home(env);
        Config defaults = home == null ? Config.defaults() : Config.defaultsForHome(home);
        Path source = explicitOrNull;
        if (source == null && !env.getOrDefault(CONFIG_VARIABLE, "").isBlank()) {
            source = Path.of(env.get(CONFIG_VARIABLE));
        }
        boolean required = source != null;
        if (source == null) {
            source = home == null ? Path.of(SYSTEM_FILE) : home.resolve(FILE_NAME);
        }
        boolean exists = Files.isRegularFile(source);
        if (required && !exists) {
            throw new ConfigException("", "configuration file " + source + " does not exist: create it (every key"
                    + " is optional) or do not name it (--config / " + CONFIG_VARIABLE + ")", null);
        }
        YamlTree tree = exists ? readFile(source) : YamlTree.empty();
        EnvOverrides.apply(env, tree);
        Config config = bind(merge(ConfigMapper.toTree(defaults), tree.root()), tree, source);
        try {
            config.validate();
        } catch (ConfigException e) {
            throw e.at(where(tree, e.key(), source));
        }
        return new LoadedConfig(config, source, exists);
    }

    private static Path home(Map<String, String> env) {
        String home = env.getOrDefault(HOME_VARIABLE, "");
        return home.isBlank() ? null : Path.of(home).toAbsolutePath();
    }

    private static YamlTree readFile(Path source) {
        try {
            return YamlTree.read(source);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read configuration file " + source + ": " + e.getMessage(), e);
        }
    }

    /** Objects merge key by key; lists and scalars replace. */
    private static JsonNode merge(JsonNode base, JsonNode over) {
        if (!(base instanceof ObjectNode target) || !over.isObject()) {
            return over;
        }
        over.fields().forEachRemaining(e -> {
            JsonNode old = target.get(e.getKey());
            target.set(e.getKey(), old == null ? e.getValue() : merge(old, e.getValue()));
        });
        return target;
    }

    private static Config bind(JsonNode merged, YamlTree tree, Path source) {
        String empty = firstNull(merged, "");
        if (empty != null) {
            throw new ConfigException(empty, "has no value: write one (\"\" for empty text, [] for an empty list)"
                    + " or remove the key").at(where(tree, empty, source));
        }
        try {
            return ConfigMapper.fromTree(merged);
        } catch (JsonMappingException e) {
            String key = keyPath(e.getPath());
            throw new ConfigException(key, where(tree, key, source) + ": " + explain(e, key, merged), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String explain(JsonMappingException e, String key, JsonNode merged) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = knownKeys(u);
            return "key '" + key + "' is not known; known " + (key.contains(".") ? "keys here" : "sections") + ": " + known;
        }
        JsonNode value = merged.at("/" + key.replace(".", "/").replaceAll("\\[(\\d+)]", "/$1"));
        String shown = value.isMissingNode() ? "" : " " + (value.isTextual() ? "'" + value.asText() + "'" : value.toString());
        Class<?> type = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        return "key '" + key + "' has invalid value" + shown + "; expected " + expected(type);
    }

    /** In declaration order (Jackson's own order is not stable), which is the documentation's order. */
    private static String knownKeys(UnrecognizedPropertyException u) {
        Class<?> owner = u.getReferringClass();
        if (owner != null && owner.isRecord()) {
            return Arrays.stream(owner.getRecordComponents()).map(c -> SNAKE.translate(c.getName()))
                    .collect(Collectors.joining(", "));
        }
        return u.getKnownPropertyIds().stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a value of the documented type";
        } else if (type == Duration.class) {
            return Durations.ACCEPTED;
        } else if (type == int.class || type == Integer.class) {
            return "a whole number";
        } else if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        } else if (type == Path.class) {
            return "a file path";
        } else if (type == String.class) {
            return "a text value";
        } else if (List.class.isAssignableFrom(type)) {
            return "a list, e.g. [a, b]";
        } else if (Map.class.isAssignableFrom(type)) {
            return "a mapping of NAME: value";
        } else if (type.isRecord()) {
            return "a mapping with keys: " + Arrays.stream(type.getRecordComponents())
                    .map(c -> SNAKE.translate(c.getName())).collect(Collectors.joining(", "));
        }
        return "a " + type.getSimpleName();
    }

    /** The key path of the first YAML null ({@code key:} with nothing after it), or null. */
    private static String firstNull(JsonNode node, String path) {
        if (node.isNull()) {
            return path;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String found = firstNull(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            if (found != null) {
                return found;
            }
        }
        for (int i = 0; node.isArray() && i < node.size(); i++) {
            String found = firstNull(node.get(i), path + "[" + i + "]");
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static String keyPath(List<JsonMappingException.Reference> path) {
        StringBuilder key = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            if (ref.getFieldName() != null) {
                key.append(key.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                key.append('[').append(ref.getIndex()).append(']');
            }
        }
        return key.toString();
    }

    private static String where(YamlTree tree, String key, Path source) {
        String where = tree.where(key);
        return where != null ? where : source.toString();
    }
}
