#!/usr/bin/env bash
# Cost of the agent on Thread.start()+join(): the median ns per start+join of StartJoinLoop (in-process timing after
# warm-up), in fresh JVMs alternating between no agent, the agent with no sink, and the agent with audit=jsonl.
# Prints the medians over RUNS JVMs each and the ratios (targets: no sink <= 1.03x, jsonl <= 1.15x).
# usage: benchmarks/startjoin.sh [JAVA_HOME] [RUNS]   (build first: mvn -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA="${1:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}/bin/java"
RUNS="${2:-7}"
AGENT=agent/target/pythread-agent.jar
CLASSES=integration-tests/target/test-classes
LOG=$(mktemp -d)/threads.jsonl
loop() { "$JAVA" "$@" -cp "$CLASSES" dev.pythread.it.apps.StartJoinLoop 2000 9 3; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
: > /tmp/sj-plain.$$; : > /tmp/sj-agent.$$; : > /tmp/sj-jsonl.$$
for _ in $(seq "$RUNS"); do
  loop >> /tmp/sj-plain.$$
  loop "-javaagent:$AGENT" >> /tmp/sj-agent.$$
  loop "-javaagent:$AGENT=audit=jsonl:$LOG" >> /tmp/sj-jsonl.$$
  rm -f "$LOG"
done
plain=$(median < /tmp/sj-plain.$$); agent=$(median < /tmp/sj-agent.$$); jsonl=$(median < /tmp/sj-jsonl.$$)
rm -f /tmp/sj-*.$$
echo "$("$JAVA" -version 2>&1 | head -1): start+join, median of $RUNS JVMs (each the median of 9 rounds of 2000)"
awk -v p="$plain" -v a="$agent" -v j="$jsonl" 'BEGIN {
  printf "  no agent:            %6d ns\n", p
  printf "  agent, no sink:      %6d ns  = %.3fx\n", a, a / p
  printf "  agent, audit=jsonl:  %6d ns  = %.3fx\n", j, j / p }'
