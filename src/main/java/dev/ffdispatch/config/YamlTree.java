package dev.ffdispatch.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document as a Jackson tree plus where each key path was written, so that errors found
 * later (while binding or validating) can still name file, line and column.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode root;
    private final Map<String, String> where;

    private YamlTree(ObjectNode root, Map<String, String> where) {
        this.root = root;
        this.where = where;
    }

    /** @throws ConfigException for YAML syntax errors and a document that is not a mapping */
    static YamlTree read(Path file) throws IOException {
        Map<String, String> where = new HashMap<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonParser p = YAML.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return new YamlTree(NODES.objectNode(), where);
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigException("", location(file, p.currentTokenLocation())
                        + ": the file must be a YAML mapping of sections (daemon:, ssh:, poll:, ...)", null);
            }
            ObjectNode root = readObject(p, file, "", where);
            return new YamlTree(root, where);
        } catch (JsonProcessingException e) {
            throw new ConfigException("", location(file, e.getLocation()) + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
    }

    static YamlTree empty() {
        return new YamlTree(NODES.objectNode(), new HashMap<>());
    }

    ObjectNode root() {
        return root;
    }

    /** Where {@code keyPath} (or its nearest written ancestor) came from, or null. */
    String where(String keyPath) {
        for (String k = keyPath; ; k = parent(k)) {
            String w = where.get(k);
            if (w != null || k.isEmpty()) {
                return w;
            }
        }
    }

    private static String parent(String keyPath) {
        int cut = keyPath.endsWith("]") ? keyPath.lastIndexOf('[') : keyPath.lastIndexOf('.');
        return keyPath.substring(0, Math.max(cut, 0));
    }

    /** Records that {@code keyPath} was set somewhere other than a file (an environment variable). */
    void noteSource(String keyPath, String source) {
        where.put(keyPath, source);
    }

    private static ObjectNode readObject(JsonParser p, Path file, String prefix, Map<String, String> where)
            throws IOException {
        ObjectNode node = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            String here = location(file, p.currentTokenLocation());
            if (node.has(name)) {
                // YAML parsers keep the last of two equal keys; the first one would be ignored silently.
                throw new ConfigException(path, here + ": key '" + path + "' is written twice (first at "
                        + where.get(path) + "); keep one", null);
            }
            where.put(path, here);
            p.nextToken();
            node.set(name, readValue(p, file, path, where));
        }
        return node;
    }

    private static JsonNode readValue(JsonParser p, Path file, String path, Map<String, String> where)
            throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> readObject(p, file, path, where);
            case START_ARRAY -> readArray(p, file, path, where);
            case VALUE_NULL -> NODES.nullNode();
            case VALUE_TRUE, VALUE_FALSE -> NODES.booleanNode(p.getBooleanValue());
            case VALUE_NUMBER_INT -> NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDecimalValue());
            default -> NODES.textNode(p.getText());
        };
    }

    private static ArrayNode readArray(JsonParser p, Path file, String path, Map<String, String> where)
            throws IOException {
        ArrayNode array = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String element = path + "[" + array.size() + "]";
            where.put(element, location(file, p.currentTokenLocation()));
            array.add(readValue(p, file, element, where));
        }
        return array;
    }

    private static String location(Path file, JsonLocation loc) {
        if (loc == null || loc.getLineNr() < 0) {
            return file.toString();
        }
        return file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
    }
}
