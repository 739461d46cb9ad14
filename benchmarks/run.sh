#!/usr/bin/env bash
# The whole benchmark suite of issue 7, in one go (about 17 minutes on 2 cores): builds the project, then runs
# dev.pythread.bench.suite.Suite, which measures everything (JMH through its Runner API, JOL, CPython's lock, the
# interleaved JVMs, start-up through benchmarks/startup.sh and hyperfine) and writes benchmarks/RESULTS.md: every row
# of the issue's table with its figure, the baseline measured in the same run, the ratio, the target and whether it
# was met; then every raw figure, the machine, the JDK and the date. The configurations, baselines and targets are
# one table in the suite (Configuration, Target, Floor); the report's prose is RESULTS.md.template beside them.
# Nothing here fails on a missed target: benchmarks measure, they report.
#
# usage: benchmarks/run.sh [--quick]
#   JAVA_HOME   the JDK to build and measure with (default /usr/lib/jvm/java-17-openjdk-amd64); a JDK other than 17
#               writes benchmarks/RESULTS-jdkN.md (e.g. RESULTS-jdk25.md) instead of benchmarks/RESULTS.md
#   --quick     a smoke run of the harness itself (tiny iterations, figures meaningless), written to
#               benchmarks/target/RESULTS-quick.md instead of benchmarks/RESULTS.md
# Needs: Maven, GNU time (/usr/bin/time, Debian package "time") for startup.sh's peak RSS.
# Optional: python3 (the CPython row), hyperfine (a second opinion on start-up wall time).
set -euo pipefail
cd "$(dirname "$0")/.."
STARTED=$(date +%s) # the report's duration and the steps' clock include the build

case "${1:-}" in
  --quick|"") ;;
  *) echo "usage: benchmarks/run.sh [--quick]" >&2; exit 2 ;;
esac

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
die() { echo "benchmarks/run.sh: $*" >&2; exit 1; }

# What the suite needs, checked before minutes of work.
[ -x "$JAVA" ] || die "no java at $JAVA; set JAVA_HOME to a JDK 17+"
command -v mvn >/dev/null 2>&1 || die "needs Maven (apt-get install maven)"
[ -x /usr/bin/time ] || die "needs GNU time for the start-up figures (apt-get install time)"

echo "== [  0s] build: mvn -q -B -DskipTests package (JAVA_HOME=$JAVA_HOME)"
mvn -q -B -ntp -Dstyle.color=never -DskipTests package
JAR=benchmarks/target/benchmarks.jar
[ -f "$JAR" ] || die "the build did not produce $JAR"

# No JVM options: JMH's forks inherit the suite's.
exec "$JAVA" -cp "$JAR" dev.pythread.bench.suite.Suite --started "$STARTED" "$@"
