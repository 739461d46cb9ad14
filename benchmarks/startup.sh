#!/usr/bin/env bash
# Whole-process start-up cost of the agent: a hello-world that starts and joins one thread, run with and without
# -javaagent on the same JDK, interleaved, RUNS times each. Prints median wall time and median peak RSS of each,
# and the differences (targets: <= +120 ms wall, <= +25 MiB RSS). Then, in the same interleaved runs, the peers a
# user compares with (issue 21): a JFR recording with the JDK's default settings, and OpenTelemetry's Java agent
# (the one the integration tests copy to integration-tests/target/agents) with its exporters off, so that it starts
# as in production but sends nothing. Needs the built jars (mvn -DskipTests package) and GNU time ("time").
# usage: benchmarks/startup.sh [JAVA_HOME] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${1:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}/bin/java"
RUNS="${2:-20}"
AGENT=agent/target/pythread-agent.jar
CLASSES=integration-tests/target/test-classes
OTEL=integration-tests/target/agents/opentelemetry-javaagent.jar
JFR=(-Xlog:jfr+startup=error -XX:StartFlightRecording:settings=default,filename=/tmp/pythread-startup-$$.jfr)
OTEL_ARGS=("-javaagent:$OTEL" -Dotel.traces.exporter=none -Dotel.metrics.exporter=none -Dotel.logs.exporter=none)
[ -f "$AGENT" ] && [ -d "$CLASSES" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 1; }

measure() { # prints "<wall ms> <max RSS KiB>" for one run
  /usr/bin/time -f "%e %M" -o /tmp/pythread-startup.$$ "$JAVA" "$@" -cp "$CLASSES" dev.pythread.it.apps.Hello >/dev/null
  awk '{printf "%d %d\n", $1 * 1000, $2}' /tmp/pythread-startup.$$
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }

measure >/dev/null; measure "-javaagent:$AGENT" >/dev/null # warm the page cache
: > /tmp/pythread-startup-plain.$$; : > /tmp/pythread-startup-agent.$$
: > /tmp/pythread-startup-jfr.$$; : > /tmp/pythread-startup-otel.$$
for _ in $(seq "$RUNS"); do
  measure >> /tmp/pythread-startup-plain.$$
  measure "-javaagent:$AGENT" >> /tmp/pythread-startup-agent.$$
  measure "${JFR[@]}" >> /tmp/pythread-startup-jfr.$$
  if [ -f "$OTEL" ]; then measure "${OTEL_ARGS[@]}" >> /tmp/pythread-startup-otel.$$; fi
done
peer() { # peer NAME: "<ms> ms, <KiB> KiB peak RSS" of a peer's runs, or "not measured"
  if [ -s "/tmp/pythread-startup-$1.$$" ]; then
    echo "$(cut -d' ' -f1 "/tmp/pythread-startup-$1.$$" | median) ms, $(cut -d' ' -f2 "/tmp/pythread-startup-$1.$$" | median) KiB peak RSS"
  else
    echo "not measured (build the integration tests first)"
  fi
}
jfr_figures=$(peer jfr); otel_figures=$(peer otel)
plain_ms=$(cut -d' ' -f1 /tmp/pythread-startup-plain.$$ | median); plain_kib=$(cut -d' ' -f2 /tmp/pythread-startup-plain.$$ | median)
agent_ms=$(cut -d' ' -f1 /tmp/pythread-startup-agent.$$ | median); agent_kib=$(cut -d' ' -f2 /tmp/pythread-startup-agent.$$ | median)
rm -f /tmp/pythread-startup*.$$ /tmp/pythread-startup-$$.jfr
echo "$("$JAVA" -version 2>&1 | head -1), $RUNS runs each, medians:"
echo "  without agent: ${plain_ms} ms, ${plain_kib} KiB peak RSS"
echo "  with agent:    ${agent_ms} ms, ${agent_kib} KiB peak RSS"
echo "  cost:          +$((agent_ms - plain_ms)) ms wall, +$(((agent_kib - plain_kib) / 1024)) MiB peak RSS"
echo "  peers in the same runs: a JFR recording (settings=default): $jfr_figures;"
echo "    OpenTelemetry's Java agent 2.22.0, exporters off: $otel_figures"
