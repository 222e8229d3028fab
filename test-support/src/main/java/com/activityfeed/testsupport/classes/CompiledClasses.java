package com.activityfeed.testsupport.classes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The classes a module compiled ({@code target/classes} of the module the tests run in), for
 * rules every present and future class must follow, such as "every scheduled job stops with the
 * application". Loaded through the test's class loader without running their static initialisers.
 */
public final class CompiledClasses {
    private CompiledClasses() {
    }

    /** Every method of the module's own classes that carries {@code annotation} (repeated or not). */
    public static List<Method> methodsAnnotated(Class<? extends Annotation> annotation) {
        List<Method> found = new ArrayList<>();
        for (Class<?> type : all(Path.of("target", "classes"))) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getAnnotationsByType(annotation).length > 0) {
                    found.add(method);
                }
            }
        }
        found.sort(Comparator.comparing(Method::toString));
        return found;
    }

    static List<Class<?>> all(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("no compiled classes at " + root.toAbsolutePath());
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = root.relativize(file).toString();
                String name = relative.substring(0, relative.length() - ".class".length()).replace(file.getFileSystem().getSeparator(), ".");
                if (name.endsWith("module-info") || name.endsWith("package-info")) {
                    continue;
                }
                try {
                    types.add(Class.forName(name, false, loader));
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new IllegalStateException("cannot load compiled class " + name, e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return types;
    }
}
