package dev.ffdispatch.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The one Jackson mapper for config records: snake_case keys, strict (unknown keys and fractional
 * integers fail; the loader rejects nulls before binding), {@link Duration} as {@code 3s}, {@link Path} as plain text.
 */
final class ConfigMapper {
    static final ObjectMapper MAPPER = create();

    private ConfigMapper() {
    }

    static JsonNode toTree(Config config) {
        ObjectNode tree = MAPPER.valueToTree(config);
        // Optional paths (log.file, state.password_file) are null when unset and written "" in YAML.
        tree.fields().forEachRemaining(section -> {
            if (section.getValue() instanceof ObjectNode keys) {
                keys.fields().forEachRemaining(key -> {
                    if (key.getValue().isNull()) {
                        key.setValue(keys.textNode(""));
                    }
                });
            }
        });
        return tree;
    }

    static Config fromTree(JsonNode tree) throws IOException {
        return MAPPER.treeToValue(tree, Config.class);
    }

    private static ObjectMapper create() {
        SimpleModule module = new SimpleModule("ffdispatch-config");
        module.addDeserializer(Duration.class, new DurationDeserializer());
        module.addSerializer(Duration.class, new DurationSerializer());
        module.addDeserializer(Path.class, new PathDeserializer());
        module.addSerializer(Path.class, new PathSerializer());
        ObjectMapper mapper = new ObjectMapper()
                .registerModule(module)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // Environment overrides arrive as text: "5" must become 5 and "false" false.
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        return mapper;
    }

    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
            }
            try {
                return Durations.parse(p.getText());
            } catch (IllegalArgumentException e) {
                return (Duration) ctx.handleWeirdStringValue(Duration.class, p.getText(), Durations.ACCEPTED);
            }
        }
    }

    private static final class DurationSerializer extends StdSerializer<Duration> {
        DurationSerializer() {
            super(Duration.class);
        }

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(Durations.format(value));
        }
    }

    private static final class PathDeserializer extends StdScalarDeserializer<Path> {
        PathDeserializer() {
            super(Path.class);
        }

        @Override
        public Path deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return (Path) ctx.handleUnexpectedToken(Path.class, p);
            }
            String text = p.getText();
            return text.isEmpty() ? null : Path.of(text);
        }
    }

    private static final class PathSerializer extends StdSerializer<Path> {
        PathSerializer() {
            super(Path.class);
        }

        @Override
        public void serialize(Path value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.toString());
        }
    }
}
