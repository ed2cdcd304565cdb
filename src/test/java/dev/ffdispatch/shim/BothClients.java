package dev.ffdispatch.shim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A test that runs with the Java shim and the native client as released; for integration tests,
 * where the sanitized build would only repeat what ShimTest already runs it through.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@EnumSource(value = ShimClient.class, names = {"JAVA", "NATIVE"})
public @interface BothClients {
}
