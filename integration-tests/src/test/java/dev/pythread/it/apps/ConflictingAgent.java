package dev.pythread.it.apps;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Another Java agent, loaded before pythread's, whose transformer adds a method to {@code java.lang.Thread} whenever
 * it is retransformed. The JVM refuses such a retransformation (a retransformation may not change a class's shape),
 * so pythread-agent cannot instrument {@code Thread}: a real way for the agent to fail to install, for
 * {@code required=}.
 */
public final class ConflictingAgent {

    private ConflictingAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        instrumentation.addTransformer(new AddsAMethodToThread(), true);
    }

    private static final class AddsAMethodToThread implements ClassFileTransformer {
        @Override
        public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                                ProtectionDomain domain, byte[] bytes) {
            if (!"java/lang/Thread".equals(className) || redefined == null) {
                return null;
            }
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public void visitEnd() {
                    MethodVisitor method = cv.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC,
                            "conflictingAgentWasHere", "()V", null, null);
                    method.visitCode();
                    method.visitInsn(Opcodes.RETURN);
                    method.visitMaxs(0, 0);
                    method.visitEnd();
                    super.visitEnd();
                }
            }, 0);
            return writer.toByteArray();
        }
    }
}
