package dev.pythread.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The two JDK transformers in process, on this JDK's own class files: every method they must rewrite is rewritten,
 * the self-test says so, and the first call of each rewritten method is the dispatcher's. (The child-JVM tests show
 * the rewritten JDK runs; these fail first, and say which method, when a JDK renames one.)
 */
class TransformersTest {

    @Test
    void threadStartsAndDeathsCallTheDispatcherFirst() throws IOException {
        ThreadTransformer transformer = new ThreadTransformer();
        byte[] thread = transformer.transform(Thread.class.getModule(), null, ThreadTransformer.THREAD, null, null,
                classFile(Thread.class.getModule(), ThreadTransformer.THREAD));
        assertNotNull(thread, "Thread was not transformed");
        assertNull(transformer.notInstrumented(ThreadTransformer.THREAD));
        List<String> starts = firstCalls(thread, "start", null);
        assertEquals(Runtime.version().feature() >= 21 ? 2 : 1, starts.size(), starts::toString);
        for (String call : starts) {
            assertEquals("dev/pythread/agent/ThreadDispatch.onStart"
                    + "(Ljava/lang/Thread;Ljava/lang/Thread$State;Ljava/lang/Runnable;)V", call);
        }
        assertEquals(List.of("dev/pythread/agent/ThreadDispatch.onUncaught(Ljava/lang/Thread;Ljava/lang/Throwable;)V"),
                firstCalls(thread, "dispatchUncaughtException", null));
    }

    @Test
    void theGuardedJdkMethodsCallTheGuardFirst() throws IOException {
        GuardTransformer transformer = new GuardTransformer();
        Module base = Object.class.getModule();
        Module instrument = ModuleLayer.boot().findModule("java.instrument").orElseThrow();
        List<String> calls = new ArrayList<>();
        for (String[] target : new String[][] {
                {GuardTransformer.ACCESSIBLE_OBJECT, "checkCanSetAccessible",
                    "(Ljava/lang/Class;Ljava/lang/Class;Z)Z"},
                {GuardTransformer.METHOD_HANDLES, "privateLookupIn", null},
                {GuardTransformer.RUNTIME, "addShutdownHook", null},
                {GuardTransformer.INSTRUMENTATION_IMPL, "loadClassAndCallAgentmain", null}}) {
            Module module = target[0].equals(GuardTransformer.INSTRUMENTATION_IMPL) ? instrument : base;
            byte[] transformed = transformer.transform(module, null, target[0], null, null,
                    classFile(module, target[0]));
            assertNotNull(transformed, target[0]);
            calls.addAll(firstCalls(transformed, target[1], target[2]));
        }
        assertNull(transformer.notInstrumented());
        assertEquals(List.of(
                "dev/pythread/agent/GuardDispatch.mayOpen"
                        + "(Ljava/lang/reflect/AccessibleObject;Ljava/lang/Class;Ljava/lang/Class;Z)Z",
                "dev/pythread/agent/GuardDispatch.checkPrivateLookup"
                        + "(Ljava/lang/Class;Ljava/lang/invoke/MethodHandles$Lookup;)V",
                "dev/pythread/agent/GuardDispatch.onAddShutdownHook(Ljava/lang/Thread;)V",
                "dev/pythread/agent/GuardDispatch.onAgentLoad(Ljava/lang/String;Ljava/lang/String;)V"), calls);
    }

    @Test
    void aClassOutsideTheGuardedOnesIsLeftAlone() throws IOException {
        assertNull(new GuardTransformer().transform(Object.class.getModule(), null, "java/lang/String", null, null,
                classFile(Object.class.getModule(), "java/lang/String")));
        assertNull(new ThreadTransformer().transform(Object.class.getModule(), null, "java/lang/String", null, null,
                classFile(Object.class.getModule(), "java/lang/String")));
    }

    private static byte[] classFile(Module module, String internalName) throws IOException {
        try (InputStream in = module.getResourceAsStream(internalName + ".class")) {
            return in.readAllBytes();
        }
    }

    /**
     * The first method call of each method named {@code name} (of that descriptor, unless {@code null}), as
     * {@code owner.name(descriptor)}.
     */
    private static List<String> firstCalls(byte[] classFile, String name, String descriptorOrAny) {
        List<String> calls = new ArrayList<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String descriptor, String signature,
                                             String[] exceptions) {
                if (!method.equals(name) || descriptorOrAny != null && !descriptorOrAny.equals(descriptor)
                        || (access & Opcodes.ACC_ABSTRACT) != 0) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    private boolean seen;

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String called, String calledDescriptor,
                                                boolean isInterface) {
                        // The state argument is the JDK's getState(), called before onStart: skip it.
                        if (!seen && !called.equals("getState")) {
                            seen = true;
                            calls.add(owner + "." + called + calledDescriptor);
                        }
                    }
                };
            }
        }, 0);
        return calls;
    }
}
