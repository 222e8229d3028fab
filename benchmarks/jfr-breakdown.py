#!/usr/bin/env python3
"""Where a service's CPU and allocations go, from a flight recording.

  jfr print --json --stack-depth 64 --events jdk.ExecutionSample rec.jfr > exec.json
  jfr print --json --stack-depth 64 --events jdk.ObjectAllocationSample rec.jfr > alloc.json
  python3 benchmarks/jfr-breakdown.py exec.json alloc.json [HH:MM:SS-from HH:MM:SS-to]

Restrict the window to the load (the start-up's class loading and JIT otherwise dominate). Prints,
for CPU samples and allocation weight: the innermost non-JDK package, the share of samples that
have each component anywhere on the stack (inclusive), and the share per thread kind.
"""
import collections
import json
import sys

FEATURES = (
    ('JWT verify (SmallRye JWT, jose4j)', ('io.smallrye.jwt', 'org.jose4j')),
    ('body JSON parse (JsonBodies)', 'com.activityfeed.ingest.events.JsonBodies'),
    ('validation (EventValidator)', 'com.activityfeed.ingest.events.EventValidator'),
    ('EventService', 'com.activityfeed.ingest.events.EventService'),
    ('serialise+send (EventPublisher)', 'com.activityfeed.ingest.publish.EventPublisher'),
    ('Kafka client', 'org.apache.kafka'),
    ('lz4', 'net.jpountz'),
    ('Micrometer', 'io.micrometer'),
    ('Jackson', 'com.fasterxml'),
    ('Vert.x HTTP', 'io.vertx.core.http'),
    ('Netty', 'io.netty'),
    ('Quarkus REST', 'org.jboss.resteasy'),
    ('Quarkus security', ('io.quarkus.security', 'io.quarkus.vertx.http.runtime.security')),
    ('OpenTelemetry', ('io.opentelemetry', 'io.quarkus.opentelemetry')),
    ('context propagation', ('io.smallrye.context', 'io.quarkus.arc.runtime.context')),
    ('Hibernate', 'org.hibernate'),
    ('PostgreSQL JDBC', 'org.postgresql'),
    ('feed stream (SSE)', 'com.activityfeed.feed.stream'),
    ('feed consumer (ingest, grouping)', ('com.activityfeed.feed.ingest', 'com.activityfeed.feed.grouping')),
    ('change relay', 'com.activityfeed.feed.changes'),
)


def name(frame):
    return frame['method']['type']['name'].replace('/', '.')


def innermost_package(frames, depth=3):
    for frame in frames:
        n = name(frame)
        if not n.startswith(('java.', 'jdk.', 'sun.')):
            return '.'.join(n.split('.')[:depth])
    return 'JDK only' if frames else '?'


def report(kind, path, lo, hi):
    events = json.load(open(path))['recording']['events']
    events = [e for e in events if e['values'].get('stackTrace') and lo <= e['values']['startTime'][11:19] <= hi]
    inner, inclusive, threads, total = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for e in events:
        weight = e['values'].get('weight', 1) if kind == 'allocation' else 1
        frames = e['values']['stackTrace']['frames']
        names = [name(f) for f in frames]
        total += weight
        inner[innermost_package(frames)] += weight
        for label, prefix in FEATURES:
            if any(n.startswith(prefix) for n in names):
                inclusive[label] += weight
        thread = (e['values'].get('sampledThread') or e['values'].get('eventThread') or {}).get('javaName', '?')
        threads[''.join(ch for ch in thread if not ch.isdigit())] += weight
    print(f'{kind}: {len(events)} samples')
    for title, counter in (('innermost non-JDK package', inner), ('inclusive', inclusive), ('thread', threads)):
        print(f'  by {title}:')
        for key, value in counter.most_common(14):
            print(f'    {100 * value / max(total, 1):5.1f}%  {key}')


if __name__ == '__main__':
    lo = sys.argv[3] if len(sys.argv) > 3 else '00:00:00'
    hi = sys.argv[4] if len(sys.argv) > 4 else '23:59:59'
    report('CPU', sys.argv[1], lo, hi)
    report('allocation', sys.argv[2], lo, hi)
