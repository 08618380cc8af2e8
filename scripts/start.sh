#!/usr/bin/env bash
# Builds the media node and starts the embedded default: a standalone node (every role in one process)
# serving the sample pages on http://localhost:3000/samples/. Extra arguments go to 'relaymesh standalone'.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
use_jdk
cd "$relaymesh_root"
./mvnw -q -B -DskipTests -pl media-node -am package
# JDK 23+ warns when Netty uses sun.misc.Unsafe, which the node turns on for an allocation-free packet path.
java_opts=()
if [ "$(java_major "$JAVA_HOME")" -ge 23 ]; then
  java_opts+=(--sun-misc-unsafe-memory-access=allow)
fi
exec "$JAVA_HOME/bin/java" "${java_opts[@]}" -jar media-node/target/media-node.jar standalone "$@"
