package dev.pythread.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites the JDK paths through which code could switch the agent off or get around it, so that they call
 * {@link GuardDispatch} first (each an insertion of one static call, as {@link ThreadTransformer} does):
 * <ul>
 *   <li>{@code AccessibleObject.checkCanSetAccessible(Class, Class, boolean)}, behind every {@code setAccessible}
 *       and {@code trySetAccessible}: returns {@code false} (or throws) when {@code GuardDispatch.mayOpen} says
 *       no;</li>
 *   <li>{@code MethodHandles.privateLookupIn(Class, Lookup)};</li>
 *   <li>{@code Runtime.addShutdownHook(Thread)};</li>
 *   <li>{@code sun.instrument.InstrumentationImpl.loadClassAndCallAgentmain(String, String)}, through which every
 *       Java agent loaded at run time is started;</li>
 *   <li>the constructor of {@code sun.tools.attach.HotSpotVirtualMachine} (module {@code jdk.attach}, loaded when
 *       first used), which every attach goes through.</li>
 * </ul>
 * {@link #notInstrumented} is the self-test, as for the thread paths.
 */
final class GuardTransformer implements ClassFileTransformer {

    private static final String DISPATCH = Type.getInternalName(GuardDispatch.class);
    static final String ACCESSIBLE_OBJECT = Type.getInternalName(AccessibleObject.class);
    static final String METHOD_HANDLES = Type.getInternalName(MethodHandles.class);
    static final String RUNTIME = Type.getInternalName(Runtime.class);
    /** Not exported by {@code java.instrument} / {@code jdk.attach}: by name. */
    static final String INSTRUMENTATION_IMPL = "sun/instrument/InstrumentationImpl";
    static final String HOTSPOT_VM = "sun/tools/attach/HotSpotVirtualMachine";

    /** The classes loaded at start-up, which the installer retransforms. */
    static final List<String> LOADED_AT_START = List.of(ACCESSIBLE_OBJECT, METHOD_HANDLES, RUNTIME,
            INSTRUMENTATION_IMPL);

    private enum Guard {
        SET_ACCESSIBLE(ACCESSIBLE_OBJECT, "checkCanSetAccessible",
                descriptor(boolean.class, Class.class, Class.class, boolean.class)),
        PRIVATE_LOOKUP(METHOD_HANDLES, "privateLookupIn",
                descriptor(MethodHandles.Lookup.class, Class.class, MethodHandles.Lookup.class)),
        SHUTDOWN_HOOK(RUNTIME, "addShutdownHook", descriptor(void.class, Thread.class)),
        AGENT_LOAD(INSTRUMENTATION_IMPL, "loadClassAndCallAgentmain",
                descriptor(void.class, String.class, String.class)),
        ATTACH(HOTSPOT_VM, "<init>", "(Lcom/sun/tools/attach/spi/AttachProvider;Ljava/lang/String;)V");

        final String owner;
        final String method;
        final String descriptor;

        Guard(String owner, String method, String descriptor) {
            this.owner = owner;
            this.method = method;
            this.descriptor = descriptor;
        }

        static Guard of(String owner, String method, String descriptor) {
            for (Guard guard : values()) {
                if (guard.owner.equals(owner) && guard.method.equals(method) && guard.descriptor.equals(descriptor)) {
                    return guard;
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return owner + "." + method + descriptor;
        }
    }

    /** A method descriptor from real types, so that a changed signature fails to compile rather than to match. */
    private static String descriptor(Class<?> returned, Class<?>... parameters) {
        Type[] types = new Type[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            types[i] = Type.getType(parameters[i]);
        }
        return Type.getMethodDescriptor(Type.getType(returned), types);
    }

    private final Set<Guard> instrumented = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (className == null || module == null || !module.isNamed()
                || !(LOADED_AT_START.contains(className) || HOTSPOT_VM.equals(className))) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new GuardedClass(writer, className), 0);
            return writer.toByteArray();
        } catch (Throwable e) {
            failure = e; // a transformer must not throw: the class loads unchanged, and the self-test says why
            return null;
        }
    }

    /**
     * The self-test for the classes loaded at start-up: which guards were not put in place, in one line.
     *
     * @return that line, or {@code null} when every guard is in place
     */
    String notInstrumented() {
        Set<Guard> missing = Set.of(Guard.SET_ACCESSIBLE, Guard.PRIVATE_LOOKUP, Guard.SHUTDOWN_HOOK,
                Guard.AGENT_LOAD).stream().filter(guard -> !instrumented.contains(guard)).collect(Collectors.toSet());
        Throwable failed = failure;
        if (missing.isEmpty() && failed == null) {
            return null;
        }
        return "Java " + Runtime.version() + " is not guarded as expected: missing " + missing
                + (failed == null ? "" : ", failure " + failed)
                + "; code could reach the agent's state by reflection, or the policy be got around";
    }

    private final class GuardedClass extends ClassVisitor {
        private final String className;

        GuardedClass(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            Guard guard = Guard.of(className, name, descriptor);
            if (guard == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                return method;
            }
            instrumented.add(guard);
            return new GuardOnEntry(method, guard);
        }
    }

    /** The call to {@link GuardDispatch} before the method's own first instruction. */
    private static final class GuardOnEntry extends MethodVisitor {
        private final Guard guard;

        GuardOnEntry(MethodVisitor next, Guard guard) {
            super(Opcodes.ASM9, next);
            this.guard = guard;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            switch (guard) {
                case SET_ACCESSIBLE:
                    // if (!GuardDispatch.mayOpen(this, caller, declaringClass, throwExceptionIfDenied)) return false;
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitVarInsn(Opcodes.ALOAD, 2);
                    super.visitVarInsn(Opcodes.ILOAD, 3);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "mayOpen",
                            descriptor(boolean.class, AccessibleObject.class, Class.class, Class.class, boolean.class),
                            false);
                    Label mayOpen = new Label();
                    super.visitJumpInsn(Opcodes.IFNE, mayOpen);
                    super.visitInsn(Opcodes.ICONST_0);
                    super.visitInsn(Opcodes.IRETURN);
                    super.visitLabel(mayOpen);
                    // The frame at method entry: the JDK's own first frame, if any, is a delta from this same frame.
                    super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
                    break;
                case PRIVATE_LOOKUP:
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "checkPrivateLookup",
                            descriptor(void.class, Class.class, MethodHandles.Lookup.class), false);
                    break;
                case SHUTDOWN_HOOK:
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "onAddShutdownHook",
                            descriptor(void.class, Thread.class), false);
                    break;
                case AGENT_LOAD:
                    super.visitVarInsn(Opcodes.ALOAD, 1);
                    super.visitVarInsn(Opcodes.ALOAD, 2);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "onAgentLoad",
                            descriptor(void.class, String.class, String.class), false);
                    break;
                case ATTACH:
                    // Before the super constructor call: a static call that does not touch 'this' is allowed there.
                    super.visitVarInsn(Opcodes.ALOAD, 2);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "onAttach",
                            descriptor(void.class, String.class), false);
                    break;
                default:
                    throw new IllegalStateException(guard.toString());
            }
        }
    }
}
