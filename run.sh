#!/usr/bin/env bash
# Runs the whole system on this machine: PostgreSQL, Kafka, the three services, a demo producer.
# Builds first when needed. Ctrl-C stops everything. See README.md.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
ensure_java
ensure_postgres
ensure_nginx

needs_build=false
for module in ingest-service feed-service social-service; do
  jar="$module/target/quarkus-app/quarkus-run.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$module/src" messages/src platform-web/src -newer "$jar" -type f -print -quit)" ]; then
    needs_build=true
  fi
done
[ -f test-support/target/classpath.txt ] || needs_build=true
if $needs_build; then
  echo "==> Building (./mvnw package -DskipTests)"
  ./mvnw -B -q package -DskipTests -pl kafka-broker,messages,platform-web,test-support,ingest-service,feed-service,social-service
fi

exec "$JAVA_HOME/bin/java" -cp "test-support/target/classes:$(cat test-support/target/classpath.txt)" \
  -Dafp.root="$PWD" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  com.activityfeed.testsupport.local.LocalStack
