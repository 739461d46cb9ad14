package dev.pythread.agent;

/**
 * The agent's version, written into this class by the build (templating-maven-plugin, from the POM's version) so
 * that it is known however the agent's classes were loaded: the manifest's {@code Implementation-Version} is not
 * readable from the bootstrap loader after {@link LateBootClassPath} appended the jar.
 */
final class AgentVersion {

    /** The Maven version of the agent, e.g. {@code 0.1.0} or {@code 0.1.0-SNAPSHOT}. */
    static final String VERSION = "${project.version}";

    /**
     * The name a Maven repository gives the jar, which the manifest's {@code Boot-Class-Path} lists: filled in from
     * the same POM properties as that manifest entry.
     */
    static final String VERSIONED_JAR = "${project.artifactId}-${project.version}.jar";

    /** The name the build writes to {@code agent/target}, which {@code Boot-Class-Path} lists too. */
    static final String PLAIN_JAR = "${project.build.finalName}.jar";

    private AgentVersion() {
    }
}
