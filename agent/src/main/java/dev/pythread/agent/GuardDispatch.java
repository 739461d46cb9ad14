package dev.pythread.agent;

import dev.pythread.Audit;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;

/**
 * What the instrumented JDK calls (see {@link GuardTransformer}) where code could switch the audit or the thread
 * policy off, or get around them:
 * <ul>
 *   <li>{@code AccessibleObject.setAccessible}/{@code trySetAccessible} and {@code MethodHandles.privateLookupIn}:
 *       the agent's classes are closed to code outside the agent, always — with no policy too, since removing an
 *       audit hook by reflection would leave thread starts unrecorded. The refusal raises
 *       {@code pythread.reflect.deny} with {@code (member, caller)}.</li>
 *   <li>{@code Runtime.addShutdownHook}: under a policy, a hook is decided as it is registered (the stack, its
 *       class, its task), since the stack it is started on at exit says nothing of who registered it.</li>
 *   <li>loading a Java agent at run time, and attaching to this JVM from itself: under a policy, a
 *       {@code pythread.policy.deny}, and refused under {@code mode enforce} — an agent can rewrite any check.</li>
 * </ul>
 *
 * <p>It is public because {@code java.base}, {@code java.instrument} and {@code jdk.attach} call it; it is not an API.
 */
public final class GuardDispatch {

    private static final String CLOSED = "pythread-agent's classes are closed to code outside the agent";
    /** The rule a {@code pythread.policy.deny} for an agent names. */
    private static final String NO_AGENT_AT_RUN_TIME = "no agent loaded at run time";

    private GuardDispatch() {
    }

    /**
     * First thing in {@code AccessibleObject.checkCanSetAccessible(caller, declaringClass, throwExceptionIfDenied)},
     * the check behind every {@code setAccessible} and {@code trySetAccessible}.
     *
     * @param member         the field, method or constructor to be made accessible
     * @param caller         the class asking, as the JDK found it
     * @param declaringClass the member's class
     * @param throwIfDenied  {@code setAccessible} ({@code true}) or {@code trySetAccessible} ({@code false})
     * @return whether the JDK's own check may go on; {@code false} makes it return {@code false}
     * @throws InaccessibleObjectException when a class outside the agent and the JDK asks for an agent member and
     *                                     {@code throwIfDenied}, worded as the JDK's own refusal
     */
    public static boolean mayOpen(AccessibleObject member, Class<?> caller, Class<?> declaringClass,
                                  boolean throwIfDenied) {
        if (!TrustedClasses.isAgent(declaringClass) || isAgentOrJdk(caller)) {
            return true;
        }
        String what = (member instanceof Field ? "field " : "") + member;
        refused(what, caller);
        if (throwIfDenied) {
            throw new InaccessibleObjectException("Unable to make " + what + " accessible: " + CLOSED);
        }
        return false;
    }

    /**
     * First thing in {@code MethodHandles.privateLookupIn(targetClass, caller)}: no full-privilege lookup on an agent
     * class for code outside the agent (it would read and write the agent's private state, and define classes in
     * the agent's packages).
     *
     * @param targetClass the class to look up in
     * @param caller      the lookup asking
     * @throws IllegalAccessException as {@code privateLookupIn} declares for a target it may not open
     */
    public static void checkPrivateLookup(Class<?> targetClass, MethodHandles.Lookup caller)
            throws IllegalAccessException {
        if (targetClass == null || caller == null || !TrustedClasses.isAgent(targetClass)
                || isAgentOrJdk(caller.lookupClass())) {
            return; // null: the JDK's own check throws its NullPointerException
        }
        refused("privateLookupIn(" + targetClass.getName() + ")", caller.lookupClass());
        throw new IllegalAccessException(targetClass.getName() + " is not open to " + caller.lookupClass() + ": "
                + CLOSED);
    }

    /**
     * Who may open the agent's classes: the agent; the JDK, which does so on the agent's behalf (it makes
     * {@code agentmain} accessible to call it); and a caller the JDK cannot name ({@code null}: native code, which
     * no in-process check can stop anyway).
     */
    private static boolean isAgentOrJdk(Class<?> caller) {
        return caller == null || TrustedClasses.isAgent(caller) || TrustedClasses.isJdk(caller);
    }

    private static void refused(String what, Class<?> caller) {
        if (Audit.isActive()) {
            Audit.audit(AgentEvents.REFLECT_DENY, what, caller.getName());
        }
    }

    /**
     * First thing in {@code Runtime.addShutdownHook(hook)}: under a policy, the hook is decided now (see
     * {@link ThreadPolicy#checkShutdownHook}), and a denied one raises {@code pythread.policy.deny} and, under
     * {@code mode enforce}, is not registered: {@code addShutdownHook} throws the {@code SecurityException} a denied
     * start would. The JDK's own hooks — of a JDK class that application code cannot create — are not decided.
     *
     * @param hook the thread to be started at exit
     */
    public static void onAddShutdownHook(Thread hook) {
        ThreadPolicy policy = ThreadDispatch.policy();
        if (policy == null || hook == null || isJdksOwnHook(hook.getClass())) {
            return;
        }
        ThreadDispatch.enforce(policy, hook, policy.checkShutdownHook(hook, ThreadTasks.taskOf(hook)));
    }

    /**
     * A JDK class of thread that only the JDK can create: not public, or in a package the JDK does not export (as
     * {@code java.util.logging}'s cleaner hook). Never a virtual thread, whose task is anyone's.
     */
    private static boolean isJdksOwnHook(Class<?> type) {
        if (!TrustedClasses.isJdk(type) || type == Thread.class || type.getName().startsWith("java.lang.VirtualThread")
                || type.getName().startsWith("java.lang.BaseVirtualThread")
                || type.getName().startsWith("java.lang.ThreadBuilders$")) {
            return false;
        }
        return !Modifier.isPublic(type.getModifiers()) || !type.getModule().isExported(type.getPackageName());
    }

    /**
     * First thing in {@code sun.instrument.InstrumentationImpl.loadClassAndCallAgentmain}: a Java agent is about to be
     * loaded at run time (attached from another process, or by this one).
     *
     * <p>One load passes: this agent's own {@code threads} command ({@link ThreadsCommand}), which reads and installs
     * nothing. The system class loader finds the agent class in the bootstrap loader first, so the class named is
     * this very agent's, and the command is in the arguments it will be given.
     *
     * @param agentClass its {@code Agent-Class}
     * @param arguments  the arguments its {@code agentmain} will be given, or {@code null}
     */
    public static void onAgentLoad(String agentClass, String arguments) {
        if (Premain.class.getName().equals(agentClass) && ThreadsCommand.isCommand(arguments)) {
            return;
        }
        denyUnderPolicy("agent " + agentClass, "agent " + agentClass + " not loaded");
    }

    /**
     * First thing in {@code sun.tools.attach.HotSpotVirtualMachine}'s constructor: attaching to this very JVM (which
     * {@code -Djdk.attach.allowAttachSelf=true} permits) would let its code load agents, native ones included.
     *
     * @param pid the process to attach to
     */
    public static void onAttach(String pid) {
        if (String.valueOf(ProcessHandle.current().pid()).equals(pid)) {
            denyUnderPolicy("attach to this JVM (pid " + pid + ")", "attach to this JVM denied");
        }
    }

    private static void denyUnderPolicy(String frame, String refusal) {
        ThreadPolicy policy = ThreadDispatch.policy();
        if (policy == null) {
            return;
        }
        if (Audit.isActive()) {
            AgentEvents.raisePolicyDeny(policy, Thread.currentThread(), NO_AGENT_AT_RUN_TIME, frame);
        }
        if (policy.mode() == ThreadPolicy.Mode.ENFORCE) {
            throw new SecurityException(refusal + ": the thread policy " + policy.file() + " allows "
                    + NO_AGENT_AT_RUN_TIME);
        }
    }
}
