// Rewrites the class files of a jar to a newer class-file version, with StackMapTable frames, in place.
//
// Why: CDS / the JDK 25 AOT cache skip classes older than version 50 ("Old class"), and exclude version-50
// classes that fail over to the old verifier (no StackMapTable). picocli 4.7.7 ships Java 5 bytecode, so its
// ~170 classes were loaded, parsed and verified from the jar on every CLI call. Re-emitting them as version 52
// with computed frames lets the AOT cache hold them. The bytecode itself is unchanged; only the frames are added.
//
// Uses only the JDK's java.lang.classfile API (final in JDK 24), so it needs no dependency and runs as a
// single-file program:  java bin/ClassFileUpgrade.java target/lib/picocli-4.7.7.jar [52]
// Idempotent: a jar whose classes are all at the target version already is left untouched.

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

public final class ClassFileUpgrade {
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java ClassFileUpgrade.java JAR [MAJOR_VERSION (default 52)]");
            System.exit(2);
        }
        Path jar = Path.of(args[0]);
        int major = args.length == 2 ? Integer.parseInt(args[1]) : 52;
        Path tmp = Files.createTempFile(jar.toAbsolutePath().getParent(), jar.getFileName().toString(), ".tmp");
        int upgraded;
        try (var loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            upgraded = rewrite(jar, tmp, major, classFile(loader));
        }
        if (upgraded == 0) {
            Files.delete(tmp);
            System.out.println(jar + ": all classes at version " + major + " or newer, unchanged");
            return;
        }
        // The temp file was made owner-only; the jar keeps the permissions it had.
        Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(jar));
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println(jar + ": " + upgraded + " classes upgraded to class-file version " + major);
    }

    /** Frames need the class hierarchy: the jar's own classes from the jar, the JDK's from the running JDK. */
    private static ClassFile classFile(ClassLoader jarLoader) {
        var resolver = ClassHierarchyResolver.defaultResolver()
                .orElse(ClassHierarchyResolver.ofResourceParsing(jarLoader));
        return ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(resolver),
                ClassFile.StackMapsOption.GENERATE_STACK_MAPS);
    }

    /** Copies the jar entry by entry, rewriting the old class files; returns how many it rewrote. */
    private static int rewrite(Path in, Path out, int major, ClassFile cf) throws IOException {
        int upgraded = 0;
        try (var zip = new ZipFile(in.toFile()); var dest = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                byte[] bytes;
                try (var stream = zip.getInputStream(entry)) {
                    bytes = stream.readAllBytes();
                }
                if (entry.getName().endsWith(".class") && majorOf(bytes) < major) {
                    bytes = upgrade(cf, bytes, major);
                    upgraded++;
                }
                var copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                dest.putNextEntry(copy);
                dest.write(bytes);
                dest.closeEntry();
            }
        }
        return upgraded;
    }

    private static int majorOf(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    /** Re-emits every method body (which is what makes the API compute frames) under the new version. */
    private static byte[] upgrade(ClassFile cf, byte[] bytes, int major) {
        ClassModel model = cf.parse(bytes);
        ClassTransform setVersion = (builder, element) -> {
            if (element instanceof ClassFileVersion) builder.withVersion(major, 0);
            else builder.with(element);
        };
        return cf.transformClass(model,
                setVersion.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
    }
}
