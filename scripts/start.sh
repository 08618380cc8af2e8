#!/usr/bin/env bash
# Builds the media node and starts the embedded default: a standalone node (every role in one process)
# serving the sample pages on http://localhost:3000/samples/. Extra arguments go to 'relaymesh standalone'.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
use_jdk
cd "$relaymesh_root"
./mvnw -q -B -DskipTests -pl media-node -am package
exec "$JAVA_HOME/bin/java" -jar media-node/target/media-node.jar standalone "$@"
