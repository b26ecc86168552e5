#!/usr/bin/env bash
# Build (once) and run a Nexmark query on a local Flink MiniCluster; prints one JSON line on stdout
# (logs go to stderr).
#   bench/flink/run.sh --query q0 --events 10000000 --parallelism 2
# Options:
#   --query q0|q1|q2|q3|q4|q5|q7|q8   the query (docs/nexmark-queries.md)
#   --events N                         events 0..N-1 (event time: 100,000 events/s from baseTime)
#   --parallelism P                    every operator (and the generator) at parallelism P
#   --seed S                           generator seed (default 42)
#   --rate R                           throttle the source to R events/s of wall time (R/P per subtask) and
#                                      report latency p50/p99/max (q0, q1, q5, q7, q8)
#   --checkpoint-ms T                  exactly-once checkpoints every T ms (hashmap state, temp-dir storage)
#   --output FILE                      write every output record as a JSON line to FILE
#   --object-reuse true|false          Flink object reuse (default true)
# JAVA_OPTS overrides the JVM options (default -Xmx4g).
set -euo pipefail
cd "$(dirname "$0")"
if [[ ! -f target/eddy-nexmark-flink.jar || -n "$(find src pom.xml -newer target/eddy-nexmark-flink.jar -print -quit)" ]]; then
  mvn -q -B -DskipTests package >&2
fi
# Java 17 module opens that Flink 1.20 documents for its serializers (harmless when unused).
OPENS=(--add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
       --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
       --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
       --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
       --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
       --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.sql/java.sql=ALL-UNNAMED)
exec java ${JAVA_OPTS:--Xmx4g} "${OPENS[@]}" -cp "target/eddy-nexmark-flink.jar:target/lib/*" dev.eddy.nexmark.RunQuery "$@"
