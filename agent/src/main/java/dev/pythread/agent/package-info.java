/**
 * The pythread {@code -javaagent}: rewrites the JDK's thread start and uncaught-exception paths so
 * that every thread of an unmodified application goes through {@code _thread}'s audit and unraisable
 * hooks. Still to come (issue "The agent"); this module only holds its place in the build.
 */
package dev.pythread.agent;
