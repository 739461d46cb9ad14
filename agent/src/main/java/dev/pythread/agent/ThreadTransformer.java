package dev.pythread.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Rewrites the JDK's thread start and uncaught-exception paths so that they call {@link ThreadDispatch}.
 *
 * <ul>
 *   <li>Every {@code start} method through which a thread starts gets, as its first instruction,
 *       {@code ThreadDispatch.onStart(this, state, task)}: {@code Thread.start()} (JDK 17: the only path);
 *       {@code Thread.start(ThreadContainer)} (JDK 21+: the path of pool workers, which JDK 25 does not route
 *       through {@code start()}); {@code VirtualThread.start(ThreadContainer)} (JDK 21+: every virtual thread,
 *       {@code VirtualThread.start()} calls it). A throwing dispatcher vetoes the start before anything happens.
 *       {@code state} is the JDK's own {@code getState()} of the thread, called non-virtually
 *       ({@code invokespecial} from inside {@code Thread}; {@code VirtualThread} is final): a subclass that
 *       overrides {@code getState()} cannot make the dispatcher believe its thread was started already.</li>
 *   <li>{@code Thread.dispatchUncaughtException(Throwable)}, which the VM calls for a platform thread and
 *       {@code VirtualThread} calls for a virtual one, gets the body {@code ThreadDispatch.onUncaught(this, e)}.
 *       Its JDK body, {@code getUncaughtExceptionHandler().uncaughtException(this, e)} on JDK 17 to 25, is what
 *       the dispatcher does by default.</li>
 * </ul>
 *
 * <p>Why plain ASM (Byte Buddy's bundled, relocated copy) and not Byte Buddy's {@code Advice}: {@code Advice} needs
 * a type pool and loads some 800 classes, half a second of start-up in every production JVM; inserting one static
 * call needs none of it. The methods are found by name and descriptor; {@link #notInstrumented} — the
 * self-test, run for {@code Thread} at start-up and for {@code VirtualThread} when it loads — reports in one line
 * any method a JDK has renamed, so that a thread path is never silently unaudited.
 */
final class ThreadTransformer implements ClassFileTransformer {

    static final String THREAD = Type.getInternalName(Thread.class);
    static final String VIRTUAL_THREAD = "java/lang/VirtualThread";

    private static final String DISPATCH = Type.getInternalName(ThreadDispatch.class);
    private static final String START = "start";
    private static final String START_DESC = "()V";
    private static final String CONTAINER_START_DESC = "(Ljdk/internal/vm/ThreadContainer;)V";
    private static final String GET_STATE = "getState";
    private static final String GET_STATE_DESC = Type.getMethodDescriptor(Type.getType(Thread.State.class));
    private static final String ON_START_DESC = Type.getMethodDescriptor(Type.VOID_TYPE, Type.getType(Thread.class),
            Type.getType(Thread.State.class), Type.getType(Runnable.class));
    private static final String RUNNABLE_DESC = Type.getDescriptor(Runnable.class);
    /** JDK 17: {@code Thread.target}, the task. */
    private static final String TARGET = "target";
    /** JDK 21+: {@code Thread.holder}, whose {@code task} is the task. */
    private static final String HOLDER = "holder";
    private static final String FIELD_HOLDER = "java/lang/Thread$FieldHolder";
    private static final String TASK = "task";
    private static final String DISPATCH_UNCAUGHT = "dispatchUncaughtException";
    private static final String DISPATCH_UNCAUGHT_DESC = Type.getMethodDescriptor(Type.VOID_TYPE,
            Type.getType(Throwable.class));
    private static final String ON_UNCAUGHT_DESC = Type.getMethodDescriptor(Type.VOID_TYPE, Type.getType(Thread.class),
            Type.getType(Throwable.class));

    /** {@code class.method(descriptor)} of every method rewritten so far. */
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    private volatile Throwable failure;

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        if (loader != null || !(THREAD.equals(className) || VIRTUAL_THREAD.equals(className))) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(bytes);
            // Passing the reader lets ASM copy every method we leave alone byte for byte.
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new ThreadClassVisitor(writer, className), 0);
            byte[] transformed = writer.toByteArray();
            if (VIRTUAL_THREAD.equals(className) && redefined == null) {
                // VirtualThread loading after start-up: nobody else is there to check it. The installer checks what
                // it retransforms itself.
                String problem = notInstrumented(VIRTUAL_THREAD);
                if (problem != null) {
                    AgentInstaller.warn(problem);
                }
            }
            return transformed;
        } catch (Throwable e) {
            failure = e; // a transformer must not throw: the class loads unchanged, and the self-test says why
            return null;
        }
    }

    /**
     * The self-test: which of the methods this JDK must have in {@code className} were not rewritten (or why the
     * transformation failed), in one line, so that a new JDK that renamed one is noticed.
     *
     * @return that line, or {@code null} when every method was rewritten
     */
    String notInstrumented(String className) {
        List<String> missing = new ArrayList<>();
        boolean jdk21 = Runtime.version().feature() >= 21;
        if (THREAD.equals(className)) {
            missing.add(THREAD + "." + START + START_DESC);
            missing.add(THREAD + "." + DISPATCH_UNCAUGHT + DISPATCH_UNCAUGHT_DESC);
            if (jdk21) {
                missing.add(THREAD + "." + START + CONTAINER_START_DESC);
            }
        } else if (VIRTUAL_THREAD.equals(className)) {
            missing.add(VIRTUAL_THREAD + "." + START + CONTAINER_START_DESC);
        }
        missing.removeAll(instrumented);
        Throwable failed = failure;
        if (missing.isEmpty() && failed == null) {
            return null;
        }
        return "Java " + Runtime.version() + " is not instrumented as expected: missing " + missing
                + (failed == null ? "" : ", failure " + failed) + "; those thread paths are not audited";
    }

    private final class ThreadClassVisitor extends ClassVisitor {
        private final String className;
        /** Where {@code Thread} keeps its task: {@link #TARGET}, {@link #HOLDER} or {@code null} (fields come first). */
        private String taskField;

        ThreadClassVisitor(ClassVisitor next, String className) {
            super(Opcodes.ASM9, next);
            this.className = className;
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                       Object value) {
            if (THREAD.equals(className) && (access & Opcodes.ACC_STATIC) == 0
                    && (TARGET.equals(name) && RUNNABLE_DESC.equals(descriptor)
                    || HOLDER.equals(name) && ("L" + FIELD_HOLDER + ";").equals(descriptor))) {
                taskField = name;
            }
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_STATIC)) != 0) {
                return method;
            }
            if (START.equals(name) && (CONTAINER_START_DESC.equals(descriptor)
                    || THREAD.equals(className) && START_DESC.equals(descriptor))) {
                instrumented.add(className + "." + name + descriptor);
                if (THREAD.equals(className) && taskField == null) {
                    failure = new IllegalStateException("java.lang.Thread has neither 'target' nor 'holder.task'");
                }
                return new CallOnEntry(method, className, taskField);
            }
            if (THREAD.equals(className) && DISPATCH_UNCAUGHT.equals(name)
                    && DISPATCH_UNCAUGHT_DESC.equals(descriptor)) {
                writeDispatchUncaught(method);
                instrumented.add(className + "." + name + descriptor);
                return null; // the JDK's body is replaced, not visited
            }
            return method;
        }
    }

    /**
     * {@code ThreadDispatch.onStart(this, state, task)} before the method's own first instruction, {@code state} being
     * {@code Thread.getState()} as the JDK wrote it: in {@code Thread}, {@code invokespecial} runs
     * {@code Thread}'s own method whatever a subclass overrides; {@code VirtualThread} is final, so a plain call
     * there cannot reach application code either. {@code task} is read from the JDK's field ({@code this.target} on
     * JDK 17, {@code this.holder.task} on JDK 21+); {@code null} in {@code VirtualThread}.
     */
    private static final class CallOnEntry extends MethodVisitor {
        private final String className;
        private final String taskField;

        CallOnEntry(MethodVisitor next, String className, String taskField) {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.taskField = taskField;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitVarInsn(Opcodes.ALOAD, 0);
            boolean inThread = THREAD.equals(className);
            super.visitMethodInsn(inThread ? Opcodes.INVOKESPECIAL : Opcodes.INVOKEVIRTUAL, className, GET_STATE,
                    GET_STATE_DESC, false);
            if (TARGET.equals(taskField)) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, THREAD, TARGET, RUNNABLE_DESC);
            } else if (HOLDER.equals(taskField)) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitFieldInsn(Opcodes.GETFIELD, THREAD, HOLDER, "L" + FIELD_HOLDER + ";");
                super.visitFieldInsn(Opcodes.GETFIELD, FIELD_HOLDER, TASK, RUNNABLE_DESC);
            } else {
                super.visitInsn(Opcodes.ACONST_NULL);
            }
            super.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "onStart", ON_START_DESC, false);
        }
    }

    /** {@code void dispatchUncaughtException(Throwable e) { ThreadDispatch.onUncaught(this, e); }} */
    private static void writeDispatchUncaught(MethodVisitor method) {
        method.visitCode();
        method.visitVarInsn(Opcodes.ALOAD, 0);
        method.visitVarInsn(Opcodes.ALOAD, 1);
        method.visitMethodInsn(Opcodes.INVOKESTATIC, DISPATCH, "onUncaught", ON_UNCAUGHT_DESC, false);
        method.visitInsn(Opcodes.RETURN);
        method.visitMaxs(2, 2);
        method.visitEnd();
    }
}
