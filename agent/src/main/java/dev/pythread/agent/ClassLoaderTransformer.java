package dev.pythread.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * One copy of the API under child-first class loaders: every application {@code ClassLoader} subclass that
 * declares {@code loadClass(String, boolean)} or {@code loadClass(String)} gets, as it is loaded, the prologue
 * <pre>{@code Class<?> c = BootDelegation.find(name); if (c != null) return c;}</pre>
 * so that {@code dev.pythread.*} always resolves to the agent's copy in the bootstrap loader, even in a web
 * application (or plugin) class loader that would otherwise define its own copy from its own
 * {@code pythread-api.jar} — with its own hooks and state, which the agent would never see. Parent-first loaders
 * (the JDK's, Tomcat's for these names) find the bootstrap copy anyway; the prologue changes nothing for them.
 * OpenTelemetry's Java agent makes its bootstrap packages visible the same way.
 *
 * <p>What is rewritten: classes whose superclass is {@code ClassLoader} or a known subclass (the set grows as
 * subclasses load, superclasses first), defined by a non-bootstrap loader, in an unnamed module (a named module
 * does not read the bootstrap loader's unnamed module, and would fail to link the call). Classes loaded before the
 * agent (at attach time) are left alone. Per class load the cost is reading the class file's header.
 */
final class ClassLoaderTransformer implements ClassFileTransformer {

    private static final String LOAD_CLASS = "loadClass";
    private static final String LOAD_CLASS_RESOLVE_DESC = "(Ljava/lang/String;Z)Ljava/lang/Class;";
    private static final String LOAD_CLASS_DESC = "(Ljava/lang/String;)Ljava/lang/Class;";
    private static final int JAVA_6_MAJOR = 50;

    /** Internal names of {@code ClassLoader} and of every subclass seen so far. */
    private final Set<String> loaderTypes = ConcurrentHashMap.newKeySet();

    ClassLoaderTransformer() {
        loaderTypes.add("java/lang/ClassLoader");
        loaderTypes.add("java/security/SecureClassLoader");
        loaderTypes.add("java/net/URLClassLoader");
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader == null || redefined != null || className == null) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            String superName = reader.getSuperName();
            if (superName == null || !loaderTypes.contains(superName)) {
                return null;
            }
            loaderTypes.add(className);
            if (module != null && module.isNamed()) {
                return null;
            }
            boolean hasFrames = reader.readUnsignedShort(6) >= JAVA_6_MAJOR;
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new LoaderClassVisitor(writer, className, hasFrames),
                    hasFrames ? ClassReader.EXPAND_FRAMES : 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            // A class ASM cannot read is loaded as it is: the agent never breaks class loading.
            return null;
        }
    }

    private static final class LoaderClassVisitor extends ClassVisitor {
        private final String className;
        private final boolean hasFrames;

        LoaderClassVisitor(ClassVisitor next, String className, boolean hasFrames) {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.hasFrames = hasFrames;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            boolean concrete = (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) == 0;
            if (concrete && LOAD_CLASS.equals(name)) {
                if (LOAD_CLASS_RESOLVE_DESC.equals(descriptor)) {
                    return new DelegationPrologue(method, hasFrames,
                            new Object[] {className, "java/lang/String", Opcodes.INTEGER});
                }
                if (LOAD_CLASS_DESC.equals(descriptor)) {
                    return new DelegationPrologue(method, hasFrames, new Object[] {className, "java/lang/String"});
                }
            }
            return method;
        }
    }

    /** {@code Class c = BootDelegation.find(name); if (c != null) return c;} before the method's own code. */
    private static final class DelegationPrologue extends MethodVisitor {
        private final boolean hasFrames;
        private final Object[] entryLocals;

        DelegationPrologue(MethodVisitor next, boolean hasFrames, Object[] entryLocals) {
            super(Opcodes.ASM9, next);
            this.hasFrames = hasFrames;
            this.entryLocals = entryLocals;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label own = new Label();
            super.visitVarInsn(Opcodes.ALOAD, 1);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "dev/pythread/agent/BootDelegation", "find",
                    "(Ljava/lang/String;)Ljava/lang/Class;", false);
            super.visitInsn(Opcodes.DUP);
            super.visitJumpInsn(Opcodes.IFNULL, own);
            super.visitInsn(Opcodes.ARETURN);
            super.visitLabel(own);
            if (hasFrames) {
                super.visitFrame(Opcodes.F_NEW, entryLocals.length, entryLocals, 1, new Object[] {"java/lang/Class"});
            }
            super.visitInsn(Opcodes.POP);
        }
    }
}
