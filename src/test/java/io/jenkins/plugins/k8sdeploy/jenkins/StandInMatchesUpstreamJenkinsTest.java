package io.jenkins.plugins.k8sdeploy.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offline build compiles the plugin against a hand-written stand-in of the Jenkins API (offline/stand-in). This
 * test, which only the real build runs (the real classes are on its classpath), compiles the stand-in's sources and
 * holds every class, constructor, method and field it declares against the real Jenkins, Stapler, Pipeline and
 * credentials classes: same kind, supertypes the real class has, final and abstract alike, same parameters, return
 * type (with generics), static-ness, checked exceptions, no more visible than upstream, and abstract where upstream is.
 * A stand-in member that does not exist upstream, or differs, is listed.
 *
 * <p>Named *JenkinsTest and tagged {@code jenkins} so that the offline build leaves it out; it starts no Jenkins.
 */
@Tag("jenkins")
class StandInMatchesUpstreamJenkinsTest {
    @TempDir
    Path classes;

    @Test
    void everyStandInDeclarationMatchesTheRealApi() throws Exception {
        Path sources = Path.of("offline/stand-in/src/main/java");
        assertTrue(Files.isDirectory(sources), "no stand-in sources at " + sources.toAbsolutePath());
        List<String> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        // Compile against the third-party libraries the stand-in may use (offline/stand-in/pom.xml), found by a class
        // of each, never against the real Jenkins classes.
        String thirdParty = Stream.of("edu.umd.cs.findbugs.annotations.NonNull",
                        "org.springframework.security.core.Authentication", "net.java.sezpoz.Indexable",
                        "com.google.common.base.Preconditions", "org.junit.jupiter.api.Test",
                        "org.apiguardian.api.API", "org.opentest4j.AssertionFailedError",
                        "org.junit.platform.commons.JUnitException", "org.htmlunit.WebClient")
                .map(StandInMatchesUpstreamJenkinsTest::jarOf).distinct()
                .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", thirdParty, "-proc:none",
                "-nowarn", "--release", "21"));
        args.addAll(files);
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "the stand-in did not compile");

        List<String> problems = new ArrayList<>();
        ClassLoader real = getClass().getClassLoader();
        try (URLClassLoader standIn = new StandInLoader(classes, real)) {
            int checked = 0;
            for (String name : classNames(classes)) {
                Class<?> s = standIn.loadClass(name);
                Class<?> r;
                try {
                    r = Class.forName(name, false, real);
                } catch (ClassNotFoundException e) {
                    problems.add(name + ": no such class upstream");
                    continue;
                }
                checked++;
                compareClass(s, r, problems);
            }
            assertTrue(checked > 50, "only " + checked + " stand-in classes were checked");
        }
        assertEquals("", String.join("\n", problems), "stand-in declarations that differ from upstream");
    }

    private static String jarOf(String className) {
        try {
            return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (ReflectiveOperationException | java.net.URISyntaxException e) {
            throw new AssertionError("no " + className + " on the test classpath", e);
        }
    }

    private static void compareClass(Class<?> s, Class<?> r, List<String> problems) {
        String n = s.getName();
        if (s.isInterface() != r.isInterface() || s.isAnnotation() != r.isAnnotation() || s.isEnum() != r.isEnum()) {
            problems.add(n + ": kind differs (interface/annotation/enum)");
        }
        if (Modifier.isPublic(s.getModifiers()) && !Modifier.isPublic(r.getModifiers())) {
            problems.add(n + ": public here, not upstream");
        }
        // (An enum is final, or abstract when a constant has a body of its own: compiled detail, not API shape.)
        if (!s.isEnum() && Modifier.isFinal(s.getModifiers()) != Modifier.isFinal(r.getModifiers())) {
            problems.add(n + ": final " + Modifier.isFinal(s.getModifiers()) + " here, upstream "
                    + Modifier.isFinal(r.getModifiers()));
        }
        if (!s.isInterface() && !s.isEnum()
                && Modifier.isAbstract(s.getModifiers()) != Modifier.isAbstract(r.getModifiers())) {
            problems.add(n + ": abstract " + Modifier.isAbstract(s.getModifiers()) + " here, upstream "
                    + Modifier.isAbstract(r.getModifiers()));
        }
        if (s.getTypeParameters().length != r.getTypeParameters().length) {
            problems.add(n + ": " + s.getTypeParameters().length + " type parameters, upstream "
                    + r.getTypeParameters().length);
        }
        for (String sup : supertypes(s)) {
            if (!supertypes(r).contains(sup)) {
                problems.add(n + ": extends or implements " + sup + ", upstream does not");
            }
        }
        for (Constructor<?> c : s.getDeclaredConstructors()) {
            if (Modifier.isPrivate(c.getModifiers()) || c.isSynthetic()) {
                continue; // a private constructor only stands for "none that callers may use"
            }
            Constructor<?> match = Arrays.stream(r.getDeclaredConstructors())
                    .filter(rc -> sameParameters(c, rc)).findFirst().orElse(null);
            if (match == null) {
                problems.add(n + ": constructor " + params(c) + " not upstream");
            } else {
                compareThrows(n + ".<init>" + params(c), c, match, problems);
                compareVisibility(n + ".<init>" + params(c), c.getModifiers(), match.getModifiers(), problems);
            }
        }
        for (Method m : s.getDeclaredMethods()) {
            if (Modifier.isPrivate(m.getModifiers()) || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            Method match = findMethod(r, m);
            String where = n + "." + m.getName() + params(m);
            if (match == null) {
                problems.add(where + ": not upstream");
                continue;
            }
            if (Modifier.isStatic(m.getModifiers()) != Modifier.isStatic(match.getModifiers())) {
                problems.add(where + ": static differs");
            }
            if (!m.getReturnType().getName().equals(match.getReturnType().getName())) {
                problems.add(where + ": returns " + m.getReturnType().getName() + ", upstream "
                        + match.getReturnType().getName());
            } else if (!generic(m.getGenericReturnType()).equals(generic(match.getGenericReturnType()))) {
                problems.add(where + ": returns " + m.getGenericReturnType() + ", upstream "
                        + match.getGenericReturnType());
            }
            compareThrows(where, m, match, problems);
            compareVisibility(where, m.getModifiers(), match.getModifiers(), problems);
            // A member abstract upstream but implemented here would let a class that lacks it compile offline.
            if (Modifier.isAbstract(match.getModifiers()) && !Modifier.isAbstract(m.getModifiers())) {
                problems.add(where + ": abstract upstream, not here");
            }
        }
        for (Field f : s.getDeclaredFields()) {
            if (Modifier.isPrivate(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            try {
                Field rf = r.getField(f.getName());
                if (!f.getType().getName().equals(rf.getType().getName())) {
                    problems.add(n + "." + f.getName() + ": type " + f.getType().getName() + ", upstream "
                            + rf.getType().getName());
                }
            } catch (NoSuchFieldException e) {
                problems.add(n + "." + f.getName() + ": no such field upstream");
            }
        }
    }

    /** A method of that name and parameters on the real class or what it inherits, public or protected. */
    private static Method findMethod(Class<?> r, Method m) {
        for (Class<?> c = r; c != null; c = c.getSuperclass()) {
            for (Method rm : c.getDeclaredMethods()) {
                if (rm.getName().equals(m.getName()) && sameParameters(m, rm) && !rm.isBridge()) {
                    return rm;
                }
            }
        }
        for (Class<?> i : allInterfaces(r)) {
            for (Method rm : i.getDeclaredMethods()) {
                if (rm.getName().equals(m.getName()) && sameParameters(m, rm)) {
                    return rm;
                }
            }
        }
        return null;
    }

    /** A member more visible here than upstream would let offline code use what real Jenkins refuses. */
    private static void compareVisibility(String where, int here, int upstream, List<String> problems) {
        if (rank(here) > rank(upstream)) {
            problems.add(where + ": " + Modifier.toString(here & (Modifier.PUBLIC | Modifier.PROTECTED))
                    + " here, upstream " + Modifier.toString(upstream & (Modifier.PUBLIC | Modifier.PROTECTED
                    | Modifier.PRIVATE)));
        }
    }

    private static int rank(int modifiers) {
        return Modifier.isPublic(modifiers) ? 3 : Modifier.isProtected(modifiers) ? 2
                : Modifier.isPrivate(modifiers) ? 0 : 1;
    }

    private static boolean sameParameters(Executable a, Executable b) {
        return params(a).equals(params(b));
    }

    private static String params(Executable e) {
        return Arrays.stream(e.getParameterTypes()).map(Class::getName).collect(Collectors.joining(", ", "(", ")"));
    }

    private static void compareThrows(String where, Executable s, Executable r, List<String> problems) {
        Set<String> a = checked(s.getExceptionTypes());
        Set<String> b = checked(r.getExceptionTypes());
        if (!a.equals(b)) {
            problems.add(where + ": throws " + a + ", upstream " + b);
        }
    }

    private static Set<String> checked(Class<?>[] types) {
        Set<String> out = new TreeSet<>();
        for (Class<?> t : types) {
            if (!RuntimeException.class.isAssignableFrom(t) && !Error.class.isAssignableFrom(t)) {
                out.add(t.getName());
            }
        }
        return out;
    }

    /** A generic type as text, with type variables named by position-free placeholders. */
    private static String generic(Type t) {
        return t.getTypeName().replaceAll("\\b[A-Z]\\b", "T");
    }

    private static Set<String> supertypes(Class<?> c) {
        Set<String> out = new HashSet<>();
        for (Class<?> k = c.getSuperclass(); k != null && k != Object.class; k = k.getSuperclass()) {
            out.add(k.getName());
        }
        for (Class<?> i : allInterfaces(c)) {
            out.add(i.getName());
        }
        return out;
    }

    private static Set<Class<?>> allInterfaces(Class<?> c) {
        Set<Class<?>> out = new HashSet<>();
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                addInterface(i, out);
            }
        }
        return out;
    }

    private static void addInterface(Class<?> i, Set<Class<?>> out) {
        if (out.add(i)) {
            for (Class<?> j : i.getInterfaces()) {
                addInterface(j, out);
            }
        }
    }

    private static List<String> classNames(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", ""))
                    .sorted().toList();
        }
    }

    /** Loads the stand-in's own classes from its compiled folder first; everything else from the test's loader. */
    private static final class StandInLoader extends URLClassLoader {
        private final Path root;

        StandInLoader(Path root, ClassLoader parent) throws IOException {
            super(new URL[] {root.toUri().toURL()}, parent);
            this.root = root;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && Files.isRegularFile(root.resolve(name.replace('.', '/') + ".class"))) {
                    c = findClass(name);
                }
                if (c == null) {
                    c = super.loadClass(name, false);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
